/**
 * Flag handling shared by the cosign-compatible commands.
 *
 * cosign's boolean flags are Go pflag booleans, written `--check-claims=false`. node:util parseArgs
 * refuses a value on a boolean option, so the flags that default to true (and are therefore only
 * ever written with a value) are declared as strings and read here with Go's strconv.ParseBool
 * spellings.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../../util/errors.ts';

const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** Reads a cosign boolean written `--flag=VALUE`; undefined when the flag was not given. */
export function parseCosignBool(flag: string, value: string | boolean | string[] | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  const v = Array.isArray(value) ? value[value.length - 1]! : value;
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new UsageError(`--${flag} takes true or false, got ${JSON.stringify(v)}`, `write it as cosign does: --${flag}=false (or --${flag}=true)`);
}

/** A path given on the command line, resolved against the repository root (`--root`, default cwd). */
export function atRoot(ctx: CommandContext, path: string): string {
  return isAbsolute(path) ? path : join(ctx.root, path);
}

/** cosign `--signature` may be a file or the base64 signature itself: resolve it only if it is a file. */
export function signatureArg(ctx: CommandContext, value: string): string {
  const path = atRoot(ctx, value);
  return existsSync(path) ? path : value;
}

export function requireString(ctx: CommandContext, command: string, flag: string, example: string): string {
  const v = ctx.values[flag];
  if (typeof v !== 'string' || v === '') throw new UsageError(`lockstep ${command} needs --${flag}`, `e.g. ${example}`);
  return v;
}

export function onePositional(ctx: CommandContext, command: string, what: string, required: boolean): string | undefined {
  if (ctx.positionals.length > 1) throw new UsageError(`lockstep ${command} takes one ${what}, got ${ctx.positionals.length}: ${ctx.positionals.join(' ')}`, `run "lockstep ${command} --help"`);
  const p = ctx.positionals[0];
  if (required && p === undefined) throw new UsageError(`lockstep ${command} needs the ${what}`, `run "lockstep ${command} --help"`);
  return p;
}

/** COSIGN_PASSWORD from the environment the CLI was given (undefined when unset; empty is a password). */
export function cosignPassword(ctx: CommandContext): string | undefined {
  return ctx.env['COSIGN_PASSWORD'];
}
