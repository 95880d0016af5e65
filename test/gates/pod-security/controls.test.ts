import { describe, expect, it } from 'vitest';
import { BASELINE_CAPABILITIES, POD_SECURITY_CONTROLS } from '../../../src/gates/pod-security/controls.ts';

describe('POD_SECURITY_CONTROLS', () => {
  it('lists the 11 baseline and 6 restricted-only controls of Kubernetes 1.28', () => {
    expect(POD_SECURITY_CONTROLS.filter((c) => c.level === 'baseline')).toHaveLength(11);
    expect(POD_SECURITY_CONTROLS.filter((c) => c.level === 'restricted')).toHaveLength(6);
  });

  it('gives each control a unique id and a code derived from it', () => {
    const ids = POD_SECURITY_CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of POD_SECURITY_CONTROLS) expect(c.code).toBe(`pod-security/${c.id}`);
  });

  it('describes every control and names its pod-security-admission check', () => {
    for (const c of POD_SECURITY_CONTROLS) {
      expect(c.title).not.toBe('');
      expect(c.description).toMatch(/\.$/);
      expect(c.admissionCheck).toMatch(/^[a-zA-Z_]+$/);
    }
  });

  it('allows baseline to add only the container runtime default capabilities', () => {
    expect(BASELINE_CAPABILITIES).toContain('NET_BIND_SERVICE');
    expect(BASELINE_CAPABILITIES).not.toContain('SYS_ADMIN');
    expect(BASELINE_CAPABILITIES).not.toContain('NET_RAW');
  });
});
