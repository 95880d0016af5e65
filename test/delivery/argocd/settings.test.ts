import { describe, expect, it } from 'vitest';
import { readDeliverySettings } from '../../../src/delivery/argocd/settings.ts';

const FILE = 'environments/production.yaml';
const read = (delivery: unknown) => readDeliverySettings({ delivery }, FILE);
const messages = (delivery: unknown) => read(delivery).problems.map((p) => `${p.pointer}: ${p.message}; ${p.fix}`);

describe('readDeliverySettings', () => {
  it('defaults to manual sync allowed under the lock, the argocd namespace and no extra windows', () => {
    expect(read(undefined)).toEqual({ settings: { manualSync: true, argocdNamespace: 'argocd', syncWindows: [] }, problems: [] });
  });

  it('reads targetRevision, manualSync, argocdNamespace and sync windows with their defaults', () => {
    const { settings, problems } = read({
      targetRevision: 'release/production-0123456789ab',
      manualSync: false,
      argocdNamespace: 'gitops',
      syncWindows: [{ kind: 'allow', schedule: ' 0  9 * * 1-5', duration: '8h', clusters: ['prod-*'] }],
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      targetRevision: 'release/production-0123456789ab',
      manualSync: false,
      argocdNamespace: 'gitops',
      syncWindows: [{ kind: 'allow', schedule: '0 9 * * 1-5', duration: '8h', timeZone: 'UTC', manualSync: false, applications: [], namespaces: [], clusters: ['prod-*'] }],
    });
  });

  it('applies a window to every Application when it names no application, namespace or cluster', () => {
    expect(read({ syncWindows: [{ kind: 'deny', schedule: '0 18 * * 5', duration: '60h' }] }).settings.syncWindows[0]?.applications).toEqual(['*']);
  });

  it('fails when delivery is not a mapping', () => {
    expect(messages('yes')).toEqual(['/delivery: must be a mapping, got "yes"; write e.g. "delivery: { manualSync: true }" or remove the key']);
  });

  it('fails when a setting is unknown, naming the known ones', () => {
    expect(messages({ manualsync: true })).toEqual(['/delivery/manualsync: unknown setting "manualsync"; use one of: targetRevision, manualSync, argocdNamespace, syncWindows']);
  });

  it('fails when a setting has the wrong type', () => {
    expect(messages({ targetRevision: '', manualSync: 'no', argocdNamespace: 'Argo CD', syncWindows: {} })).toEqual([
      '/delivery/targetRevision: must be a non-empty string, got ""; name a tag or a commit, e.g. "release/production-0123456789ab"',
      '/delivery/manualSync: must be true or false, got "no"; write true (operators may sync a promoted release) or false (hard freeze)',
      '/delivery/argocdNamespace: must be a namespace name (lowercase letters, digits, "-"), got "Argo CD"; e.g. "argocd"',
      '/delivery/syncWindows: must be a list, got {}; write a list of { kind, schedule, duration }',
    ]);
    expect(read({ manualSync: 'no' }).problems[0]).toMatchObject({ file: FILE, code: 'argocd/settings' });
  });

  it('fails when a sync window is malformed, field by field', () => {
    expect(messages({ syncWindows: [3, { kind: 'block', schedule: '@daily', duration: '1 day', timeZone: '', manualSync: 1, description: 2, applications: 'all', extra: true }] })).toEqual([
      '/delivery/syncWindows/0: must be a mapping, got 3; write { kind: deny, schedule: "0 18 * * 5", duration: 60h }',
      '/delivery/syncWindows/1/extra: unknown sync window field "extra"; use one of: kind, schedule, duration, timeZone, manualSync, applications, namespaces, clusters, description',
      '/delivery/syncWindows/1/kind: must be "allow" or "deny", got "block"; a deny window blocks syncs, an allow window permits them only while open',
      '/delivery/syncWindows/1/schedule: must be a cron schedule with 5 fields (minute hour day-of-month month day-of-week), got "@daily"; e.g. "0 18 * * 5" (Fridays 18:00)',
      '/delivery/syncWindows/1/duration: must be a duration like "1h" or "60h30m", got "1 day"; use the units h, m and s',
      '/delivery/syncWindows/1/timeZone: must be an IANA time zone name, got ""; e.g. "Europe/Berlin"; the default is UTC',
      '/delivery/syncWindows/1/manualSync: must be true or false, got 1; true lets a person sync while the window blocks',
      '/delivery/syncWindows/1/description: must be a string, got 2; e.g. "weekend freeze"',
      '/delivery/syncWindows/1/applications: must be a list of names or globs, got "all"; e.g. ["*"]',
    ]);
  });
});
