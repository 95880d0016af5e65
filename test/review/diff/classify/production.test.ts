import { describe, expect, it } from 'vitest';
import { classifyProduction } from '../../../../src/review/diff/classify/production.ts';
import type { LockInfo, ObjectChange } from '../../../../src/review/diff/types.ts';

const after = { json: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'app' } }, path: 'manifests/app/deployment_api.yaml', constructPath: 'production/app/api/Deployment', source: { file: 'src/platform/app.ts', line: 7, column: 3 } };
const change: ObjectChange = { key: 'apps/Deployment/app/api', type: 'changed', before: after, after, pointers: ['/spec/replicas'], diff: '' };
const lock = (text: string, breakGlassReason?: string): LockInfo => ({ file: 'environments/production.lock.yaml', text, ...(breakGlassReason ? { breakGlassReason, releaseId: 'r2' } : {}) });

describe('classifyProduction', () => {
  it('flags every production change when the lock did not change, naming object, construct and source', () => {
    expect(classifyProduction({ environment: 'production', stage: 'production', changes: [change], baseLock: lock('a'), headLock: lock('a') })).toEqual([
      {
        class: 'production-touched',
        environment: 'production',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'app', name: 'api' },
        change: 'changed',
        constructPath: 'production/app/api/Deployment',
        source: { file: 'src/platform/app.ts', line: 7, column: 3 },
        message: 'changed in production without a promotion (environments/production.lock.yaml is unchanged); promote from the previous stage instead',
      },
    ]);
  });

  it('accepts changes that come with a new lock (a promotion)', () => {
    expect(classifyProduction({ environment: 'production', stage: 'production', changes: [change], baseLock: lock('a'), headLock: lock('b') })).toEqual([]);
    expect(classifyProduction({ environment: 'production', stage: 'production', changes: [change], headLock: lock('b') })).toEqual([]);
  });

  it('flags a break-glass promotion at the lock line that records it', () => {
    const text = 'current:\n  breakGlass:\n    reason: outage INC-42\n';
    const [f] = classifyProduction({ environment: 'production', stage: 'production', changes: [change], baseLock: lock('a'), headLock: lock(text, 'outage INC-42') });
    expect(f).toEqual({
      class: 'production-touched',
      environment: 'production',
      source: { file: 'environments/production.lock.yaml', line: 2, column: 1 },
      message: 'break-glass promotion to release r2 of 1 object, skipping the normal promotion checks; reason given: "outage INC-42"',
    });
  });

  it('is silent for other stages and for production without changes', () => {
    expect(classifyProduction({ environment: 'staging', stage: 'staging', changes: [change] })).toEqual([]);
    expect(classifyProduction({ environment: 'production', stage: 'production', changes: [] })).toEqual([]);
  });
});
