import { describe, expect, it } from 'vitest';
import { AUTOGEN_ANNOTATION, canAutogen, computeRules } from '../../../src/policy/legacy/autogen.ts';

const podRule = {
  name: 'check',
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  preconditions: { all: [{ key: '{{ request.object.metadata.name }}', operator: 'NotEquals', value: '' }] },
  validate: { message: 'm', pattern: { spec: { containers: [{ name: '*' }] } } },
};

describe('autogen', () => {
  it('adds autogen- and autogen-cronjob- rules with wrapped patterns and rewritten variables', () => {
    const rules = computeRules([podRule], undefined);
    expect(rules.map((r) => r.name)).toEqual(['check', 'autogen-check', 'autogen-cronjob-check']);
    const [, ctrl, cron] = rules;
    expect(ctrl!.match).toEqual({ any: [{ resources: { kinds: ['apps/v1/DaemonSet', 'apps/v1/Deployment', 'batch/v1/Job', 'apps/v1/ReplicaSet', 'v1/ReplicationController', 'apps/v1/StatefulSet'] } }] });
    expect(ctrl!.validate).toEqual({ message: 'm', pattern: { spec: { template: { spec: { containers: [{ name: '*' }] } } } } });
    expect(JSON.stringify(ctrl!.preconditions)).toContain('request.object.spec.template.metadata.name');
    expect(cron!.match).toEqual({ any: [{ resources: { kinds: ['batch/v1/CronJob'] } }] });
    expect(cron!.validate).toEqual({ message: 'm', pattern: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: '*' }] } } } } } } });
    expect(JSON.stringify(cron!.preconditions)).toContain('request.object.spec.jobTemplate.spec.template.metadata.name');
  });

  it('follows the autogen-controllers annotation', () => {
    expect(computeRules([podRule], { [AUTOGEN_ANNOTATION]: 'none' }).map((r) => r.name)).toEqual(['check']);
    const onlyDeploy = computeRules([podRule], { [AUTOGEN_ANNOTATION]: 'Deployment' });
    expect(onlyDeploy.map((r) => r.name)).toEqual(['check', 'autogen-check']);
    expect(onlyDeploy[1]!.match).toEqual({ any: [{ resources: { kinds: ['apps/v1/Deployment'] } }] });
  });

  it('does not generate for named, selected or mixed-kind rules, or policies with generate rules', () => {
    expect(canAutogen([{ ...podRule, match: { any: [{ resources: { kinds: ['Pod'], names: ['a'] } }] } }])).toBe(false);
    expect(canAutogen([{ ...podRule, match: { any: [{ resources: { kinds: ['Pod', 'Service'] } }] } }])).toBe(false);
    expect(canAutogen([podRule, { name: 'g', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate: {} }])).toBe(false);
    expect(canAutogen([{ ...podRule, match: { any: [{ resources: { kinds: ['Service'] } }] } }])).toBe(false);
  });

  it('truncates generated rule names to 63 characters', () => {
    const long = { ...podRule, name: 'x'.repeat(60) };
    expect(computeRules([long], undefined).map((r) => String(r.name).length)).toEqual([60, 63, 63]);
  });
});
