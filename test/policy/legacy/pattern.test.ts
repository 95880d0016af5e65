import { describe, expect, it } from 'vitest';
import { compilePattern, matchPattern } from '../../../src/policy/legacy/pattern.ts';

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }) => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
const check = (resource: unknown, pattern: unknown) => matchPattern(resource, compilePattern(pattern));

describe('matchPattern', () => {
  it('passes when an equality anchor key is absent and checks it when present', () => {
    const p = { spec: { '=(hostPID)': 'false' } };
    expect(check(pod({}), p)).toEqual({ status: 'pass' });
    expect(check(pod({ hostPID: false }), p)).toEqual({ status: 'pass' });
    expect(check(pod({ hostPID: true }), p)).toMatchObject({ status: 'fail', path: '/spec/hostPID/' });
  });

  it('fails when a negation anchor key is present, whatever its value', () => {
    const p = { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } };
    expect(check(pod({ volumes: [{ name: 'a', emptyDir: {} }] }), p).status).toBe('pass');
    expect(check(pod({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', hostPath: { path: '/' } }] }), p)).toMatchObject({ status: 'fail', path: '/spec/volumes/1/hostPath/' });
  });

  it('skips when a conditional anchor does not hold, and applies the rest when it does', () => {
    const p = { spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }] } };
    expect(check(pod({ containers: [{ image: 'nginx:1.0' }] }), p).status).toBe('skip');
    expect(check(pod({ containers: [{ image: 'nginx:latest', imagePullPolicy: 'Always' }] }), p).status).toBe('pass');
    expect(check(pod({ containers: [{ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' }] }), p).status).toBe('fail');
  });

  it('skips the rule when a global anchor does not hold', () => {
    const p = { spec: { '<(runtimeClassName)': 'gvisor', containers: [{ image: 'safe/*' }] } };
    expect(check(pod({ runtimeClassName: 'runc', containers: [{ image: 'other/x' }] }), p).status).toBe('skip');
    expect(check(pod({ runtimeClassName: 'gvisor', containers: [{ image: 'other/x' }] }), p).status).toBe('fail');
    expect(check(pod({ containers: [{ image: 'other/x' }] }), p).status).toBe('fail');
  });

  it('requires one matching element for an existence anchor', () => {
    const p = { spec: { '^(containers)': [{ image: 'nginx:*' }] } };
    expect(check(pod({ containers: [{ image: 'redis:1' }, { image: 'nginx:1' }] }), p).status).toBe('pass');
    expect(check(pod({ containers: [{ image: 'redis:1' }] }), p)).toMatchObject({ status: 'fail', path: '/spec/containers/' });
  });

  it('treats "*" as present and not null, and a missing plain key as a failure', () => {
    expect(check(pod({}, { name: 'p', labels: { app: 'x' } }), { metadata: { labels: { app: '*' } } }).status).toBe('pass');
    expect(check(pod({}, { name: 'p' }), { metadata: { labels: { app: '?*' } } })).toMatchObject({ status: 'fail', path: '/metadata/labels/' });
    expect(check(pod({}), { spec: { securityContext: { runAsNonRoot: 'true' } } })).toMatchObject({ status: 'fail', path: '/spec/securityContext/' });
  });

  it('expands wildcard annotation keys against the resource', () => {
    const p = { '=(metadata)': { '=(annotations)': { '=(container.apparmor.security.beta.kubernetes.io/*)': 'runtime/default | localhost/*' } } };
    const ok = pod({}, { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/c1': 'runtime/default' } });
    const bad = pod({}, { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/c1': 'unconfined' } });
    expect(check(ok, p).status).toBe('pass');
    expect(check(bad, p)).toMatchObject({ status: 'fail', path: '/metadata/annotations/container.apparmor.security.beta.kubernetes.io/c1/' });
    expect(check(pod({}, { name: 'p' }), p).status).toBe('pass');
  });

  it('reports structure mismatches as failures and a path-less failure with missing anchor keys as an error', () => {
    expect(check(pod({ containers: 'x' }), { spec: { containers: [{ name: '*' }] } })).toMatchObject({ status: 'fail', path: '/spec/containers/' });
    expect(check(pod({ a: [1] }), { spec: { a: [[1], [2]] } })).toMatchObject({ status: 'error' });
    expect(check(pod({ a: [] }), { spec: { a: [] } })).toMatchObject({ status: 'fail', path: '/spec/a/' });
  });

  it('applies a scalar pattern to every element of an array value', () => {
    expect(check(pod({ ports: [80, 443] }), { spec: { ports: '>0' } }).status).toBe('pass');
    expect(check(pod({ ports: [80, 0] }), { spec: { ports: '>0' } }).status).toBe('fail');
  });
});
