import { parseArgs } from 'node:util';
import { LockstepError, UsageError, formatProblem } from '../util/errors.ts';
import type { Command, CommandContext, OptionSpec } from './command.ts';
import { commandIndex } from './commands/index.ts';
import { VERSION } from '../version.ts';
import { recoverJournal } from '../delivery/journal.ts';

/** Commands that read or write dist/ or the locks, and so recover interrupted transactions first. */
const RECOVERING = new Set(['build', 'synth', 'check', 'argocd', 'report', 'diff', 'ci', 'images pin', 'sbom']);

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for the command' },
  json: { type: 'boolean', description: 'Print machine-readable JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'No progress output on stderr' },
  debug: { type: 'boolean', description: 'Print stack traces for unexpected errors' },
  root: { type: 'string', valueName: 'DIR', description: 'Repository root (default: current directory)' },
};

export interface MainIO {
  stdout?: (t: string) => void;
  stderr?: (t: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const debug = argv.includes('--debug');
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      const target = argv[0] === 'help' && argv[1] ? await findCommand(argv.slice(1)) : undefined;
      stdout(target ? commandHelp(target.command) : globalHelp());
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === 'version') {
      stdout(`lockstep ${VERSION}\n`);
      return 0;
    }
    const found = await findCommand(argv);
    if (!found) {
      throw new UsageError(`unknown command ${JSON.stringify(argv.slice(0, 2).join(' '))}`, `run "lockstep --help" for the list of commands`);
    }
    const { command, rest } = found;
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...command.options } as NonNullable<Parameters<typeof parseArgs>[0]>['options'],
        allowPositionals: command.allowPositionals ?? false,
        strict: true,
      });
    } catch (e) {
      throw new UsageError(`lockstep ${command.name}: ${(e as Error).message.replace(/\. To specify.*$/s, '')}`, `run "lockstep ${command.name} --help"`);
    }
    const values = parsed.values as CommandContext['values'];
    if (values.help) {
      stdout(commandHelp(command));
      return 0;
    }
    const quiet = Boolean(values.quiet);
    const ctx: CommandContext = {
      values,
      positionals: parsed.positionals,
      root: (values.root as string | undefined) ?? io.cwd ?? process.cwd(),
      json: Boolean(values.json),
      env: io.env ?? process.env,
      stdout,
      stderr,
      progress: quiet ? () => {} : (line) => stderr(`${line}\n`),
    };
    if (RECOVERING.has(command.name)) {
      // Finish or roll back a transaction an earlier run was killed in, before reading dist/ or locks.
      for (const r of await recoverJournal(ctx.root)) ctx.progress(`recovered: interrupted transaction ${r.id} ${r.action}`);
    }
    return await command.run(ctx);
  } catch (e) {
    if (e instanceof LockstepError) {
      for (const p of e.problems) stderr(`error: ${formatProblem(p)}\n`);
      if (debug && e.stack) stderr(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    stderr(`error: ${err?.message ?? String(e)}\n`);
    stderr(debug ? `${err?.stack ?? ''}\n` : `(this is unexpected; run again with --debug for the stack trace)\n`);
    return 1;
  }
}

/** The command `argv` names (one word or two), loaded, and the arguments after its name. */
async function findCommand(argv: string[]): Promise<{ command: Command; rest: string[] } | undefined> {
  const two = `${argv[0]} ${argv[1] ?? ''}`.trim();
  const c2 = commandIndex.find((c) => c.name === two);
  if (c2 && argv[1] !== undefined) return { command: await c2.load(), rest: argv.slice(2) };
  const c1 = commandIndex.find((c) => c.name === argv[0]);
  return c1 ? { command: await c1.load(), rest: argv.slice(1) } : undefined;
}

function formatOptions(options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}${o.multiple ? '...' : ''}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`).join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `lockstep ${c.name} — ${c.summary}`,
    '',
    `Usage: lockstep ${c.name} ${c.usage}`.trimEnd(),
    ...(c.description ? ['', c.description] : []),
    ...(c.examples?.length ? ['', 'Examples:', ...c.examples.map((e) => `  ${e}`)] : []),
    '',
    'Options:',
    formatOptions(c.options),
    '',
    'Global options:',
    formatOptions(GLOBAL_OPTIONS),
    '',
    c.exitCodes ?? 'Exit codes: 0 success, 1 failure, 2 usage error.',
    '',
  ].join('\n');
}

export function globalHelp(): string {
  const width = Math.max(...commandIndex.map((c) => c.name.length)) + 2;
  return [
    `lockstep ${VERSION} — GitOps policy-and-manifest compiler`,
    '',
    'Usage: lockstep <command> [options]',
    '',
    'Commands:',
    ...commandIndex.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run "lockstep <command> --help" for the options of a command.',
    '',
  ].join('\n');
}
