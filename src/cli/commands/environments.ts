import { listEnvironments } from '../../config/load.ts';
import { UsageError } from '../../util/errors.ts';

/** The environments a command works on: `--env` values, or every environment file. */
export async function selectEnvironments(root: string, requested: string[] | undefined): Promise<string[]> {
  let all: string[];
  try {
    all = await listEnvironments(root);
  } catch {
    throw new UsageError(`no environments/ folder under ${root}`, 'run lockstep from the repository root or pass --root DIR');
  }
  if (!requested || requested.length === 0) return all;
  for (const r of requested) {
    if (!all.includes(r)) throw new UsageError(`unknown environment ${JSON.stringify(r)}`, `use one of: ${all.join(', ')}`);
  }
  return [...new Set(requested)];
}
