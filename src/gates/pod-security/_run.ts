import { runPodSecurityConformance } from './conformance.ts';
for (const r of runPodSecurityConformance('/work/shared/fixtures')) { console.log(r.suite, r.passed, r.failed, r.skipped); console.log(r.failures.slice(0, 40).join('\n')); }
