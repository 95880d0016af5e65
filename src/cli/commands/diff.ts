import { tmpdir } from 'node:os';
import { runDiff } from '../../review/diff/diff.ts';
import { formatJson } from '../../review/diff/format/json.ts';
import { formatMarkdown } from '../../review/diff/format/markdown.ts';
import { formatText } from '../../review/diff/format/text.ts';
import { hasChanges } from '../../review/diff/types.ts';
import { LockstepError, UsageError } from '../../util/errors.ts';
import type { Command } from '../command.ts';

const FORMATS = ['text', 'markdown', 'json'] as const;

/** Any failure to produce the diff exits 2, because exit 1 means "there are changes". */
export function asDiffError(e: unknown): LockstepError {
  if (e instanceof LockstepError) return e.exitCode === 2 ? e : new LockstepError(e.problems, { exitCode: 2, cause: e });
  return new LockstepError({ message: `diff failed: ${(e as Error)?.message ?? String(e)}`, fix: 'run again with --debug for the stack trace' }, { exitCode: 2, cause: e });
}

export const diffCommand: Command = {
  exitCodes: 'Exit codes: 0 nothing changes, 1 something changes, 2 error.',
  name: 'diff',
  summary: 'Render a base revision and the head, diff the manifests and classify the risks (PR comment)',
  usage: '[--base REV] [--head REV] [--env NAME]... [--format text|markdown|json]',
  description:
    'Renders every environment (or --env) at the base revision and at the head, each with its own code\n' +
    '(revisions in temporary git worktrees, rendered in a child process; synth gates are not run, so\n' +
    'changes the gates would refuse still show). Objects are matched by API group, kind, namespace and\n' +
    'name; each change gets a field-level YAML diff, and risky ones a finding: production-touched,\n' +
    'irreversible, rbac-broadened, network-opened, security-weakened, policy-relaxed, image-changed,\n' +
    'each naming the object, its construct path and the line of platform code that made it.\n' +
    'Exit codes: 0 nothing changed, 1 something changed, 2 error (unknown revision, an environment\n' +
    'missing at the base or failing to render).',
  examples: [
    'lockstep diff --base origin/main --format markdown > diff.md',
    'gh pr comment "$PR" --body-file diff.md --edit-last || gh pr comment "$PR" --body-file diff.md',
    'lockstep diff --base HEAD~1 --env production --format json',
  ],
  options: {
    base: { type: 'string', valueName: 'REV', description: 'Revision to compare against (default: HEAD)' },
    head: { type: 'string', valueName: 'REV', description: 'Revision to compare (default: the working tree)' },
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to diff (repeatable; default: all of the head)' },
    format: { type: 'string', valueName: 'FORMAT', description: 'text (default), markdown (a PR comment) or json; --json means json' },
    'max-length': { type: 'string', valueName: 'N', description: 'Markdown: maximum characters (default 65536, GitHub\'s comment limit)' },
  },
  async run(ctx) {
    const format = (ctx.values.format as string | undefined) ?? (ctx.json ? 'json' : 'text');
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format ${JSON.stringify(format)}`, `use one of: ${FORMATS.join(', ')}`);
    const maxRaw = ctx.values['max-length'] as string | undefined;
    const maxLength = maxRaw === undefined ? undefined : Number(maxRaw);
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 2000)) {
      throw new UsageError(`--max-length must be a whole number of at least 2000, got ${JSON.stringify(maxRaw)}`, 'e.g. --max-length 65536');
    }
    let report;
    try {
      report = await runDiff({
        root: ctx.root,
        base: (ctx.values.base as string | undefined) ?? 'HEAD',
        ...(ctx.values.head ? { head: ctx.values.head as string } : {}),
        ...(ctx.values.env ? { environments: ctx.values.env as string[] } : {}),
        tmpRoot: tmpdir(),
        progress: ctx.progress,
      });
    } catch (e) {
      throw asDiffError(e);
    }
    ctx.stdout(format === 'json' ? formatJson(report) : format === 'markdown' ? formatMarkdown(report, maxLength !== undefined ? { maxLength } : {}) : formatText(report));
    return hasChanges(report) ? 1 : 0;
  },
};
