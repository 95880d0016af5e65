import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

/** What a command sees: parsed flags, positionals and the process's edges, passed in explicitly. */
export interface CommandContext {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
  /** Repository root (`--root`, default the current directory). */
  readonly root: string;
  readonly json: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  /** Progress and warnings (stderr); silent with `--quiet`. */
  readonly progress: (line: string) => void;
  readonly stderr: (text: string) => void;
}

export interface Command {
  /** Name, possibly two words (`policy test`). */
  readonly name: string;
  readonly summary: string;
  /** Usage line after `lockstep <name>`. */
  readonly usage: string;
  readonly description?: string;
  readonly options: Record<string, OptionSpec>;
  readonly allowPositionals?: boolean;
  readonly examples?: readonly string[];
  /** Exit-code line for --help. @default 'Exit codes: 0 success, 1 failure, 2 usage error.' */
  readonly exitCodes?: string;
  /** Exit code: 0 success, 1 failure (2 is for usage errors, raised as UsageError). */
  run(ctx: CommandContext): Promise<number>;
}
