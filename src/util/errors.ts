/**
 * Errors and problems.
 *
 * Lockstep separates two things:
 * - a `Problem` is one finding (what is wrong, where, how to fix it). Checks collect every problem
 *   first and fail once, so a user sees all of them in one run.
 * - a `LockstepError` is the exception that carries one or more problems to the CLI, which prints
 *   one line per problem (no stack trace unless `--debug`) and exits non-zero.
 *
 * Location is either a file (with an optional JSON pointer and line/column inside it) or a construct
 * path, or both. `formatProblem` renders the canonical one-line form:
 *
 *   environments/production.yaml:12:5: /replicas/default: must be integer, got "three"; use a whole number like 3
 */

export interface Problem {
  /** What is wrong, in words, including the value received where it helps. */
  readonly message: string;
  /** Repository-relative file the problem is in, when it comes from a file. */
  readonly file?: string;
  /** JSON pointer inside the file or object (e.g. `/spec/replicas`). */
  readonly pointer?: string;
  /** 1-based line and column in `file`, when known. */
  readonly line?: number;
  readonly column?: number;
  /** Construct path that produced the object, when the problem is about a rendered object. */
  readonly constructPath?: string;
  /** How to fix it. */
  readonly fix?: string;
  /** A stable identifier of the check or rule (e.g. `pod-security/run-as-non-root`). */
  readonly code?: string;
}

export function formatProblem(p: Problem): string {
  let where = '';
  if (p.file) {
    where = p.file;
    if (p.line !== undefined) where += `:${p.line}` + (p.column !== undefined ? `:${p.column}` : '');
    where += ': ';
  }
  if (p.constructPath) where += `${p.constructPath}: `;
  if (p.pointer !== undefined && p.pointer !== '') where += `${p.pointer}: `;
  const fix = p.fix ? `; ${p.fix}` : '';
  return `${where}${p.message}${fix}`;
}

/** An error that the CLI reports as one line per problem, without a stack trace. */
export class LockstepError extends Error {
  readonly problems: readonly Problem[];
  /** Process exit code the CLI uses: 1 for failures, 2 for usage errors. */
  readonly exitCode: number;

  constructor(problems: Problem | readonly Problem[], options: { exitCode?: number; cause?: unknown } = {}) {
    const list = Array.isArray(problems) ? (problems as readonly Problem[]) : [problems as Problem];
    super(list.map(formatProblem).join('\n'), options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'LockstepError';
    this.problems = list;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A wrong command line: unknown flag, missing argument. Exit code 2. */
export class UsageError extends LockstepError {
  constructor(message: string, fix?: string) {
    super({ message, ...(fix ? { fix } : {}) }, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** Throws one LockstepError with every problem when the list is not empty. */
export function throwIfProblems(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new LockstepError(problems);
}
