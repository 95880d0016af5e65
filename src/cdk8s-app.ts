/**
 * The cdk8s entry point (`cdk8s synth`, see cdk8s.yaml): one App per environment, synthesized with
 * cdk8s's own `app.synth()` into `$CDK8S_OUTDIR/<env>/`. This is the plain cdk8s path; Lockstep's
 * `synth` renders the same objects without cdk8s's per-chart passes.
 */
import { join } from 'node:path';
import { listEnvironments } from './config/load.ts';
import { loadInputs } from './synth/inputs.ts';
import { buildExamplePlatform } from './platform/index.ts';
import { LockstepError, formatProblem } from './util/errors.ts';

export async function synthWithCdk8s(root: string, outdir: string, environments?: string[]): Promise<void> {
  for (const name of environments ?? (await listEnvironments(root))) {
    const inputs = await loadInputs(root, name);
    const { app } = buildExamplePlatform(inputs, { outdir: join(outdir, name) });
    app.synth();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await synthWithCdk8s(process.cwd(), process.env.CDK8S_OUTDIR ?? '.cdk8s.out');
  } catch (e) {
    if (e instanceof LockstepError) {
      for (const p of e.problems) console.error(`error: ${formatProblem(p)}`);
      process.exit(1);
    }
    throw e;
  }
}
