import { describe, expect, it } from 'vitest';
import { anchorString, isPhaseOneAnchor, isTrackedAnchor, parseAnchor } from '../../../src/policy/legacy/anchor.ts';

describe('parseAnchor', () => {
  it('recognises every anchor modifier', () => {
    expect(parseAnchor('(name)')).toEqual({ type: 'condition', key: 'name' });
    expect(parseAnchor('<(name)')).toEqual({ type: 'global', key: 'name' });
    expect(parseAnchor('=(hostPID)')).toEqual({ type: 'equality', key: 'hostPID' });
    expect(parseAnchor('^(containers)')).toEqual({ type: 'existence', key: 'containers' });
    expect(parseAnchor('X(hostPath)')).toEqual({ type: 'negation', key: 'hostPath' });
    expect(parseAnchor('+(label)')).toEqual({ type: 'add', key: 'label' });
  });

  it('keeps keys with dots and slashes and trims spaces like Go', () => {
    expect(parseAnchor(' =(container.apparmor.security.beta.kubernetes.io/*) ')).toEqual({ type: 'equality', key: 'container.apparmor.security.beta.kubernetes.io/*' });
  });

  it('treats plain keys and empty anchors as plain', () => {
    expect(parseAnchor('spec')).toBeUndefined();
    expect(parseAnchor('=()')).toBeUndefined();
    expect(parseAnchor('Y(x)')).toBeUndefined();
  });

  it('renders anchors back and classifies them', () => {
    expect(anchorString('negation', 'a')).toBe('X(a)');
    expect(anchorString('condition', 'a')).toBe('(a)');
    expect(isPhaseOneAnchor(parseAnchor('<(a)'))).toBe(false);
    expect(isPhaseOneAnchor(parseAnchor('=(a)'))).toBe(true);
    expect(isTrackedAnchor(parseAnchor('=(a)'))).toBe(false);
    expect(isTrackedAnchor(parseAnchor('X(a)'))).toBe(true);
  });
});
