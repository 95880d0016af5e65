/**
 * `preconditions` and `deny.conditions`: `any`/`all` blocks (or the legacy plain list, all of which
 * must hold), ported from `pkg/engine/variables/evaluate.go`. Each condition's key and value are
 * substituted lazily, so a condition after a decisive one is never evaluated; substitution errors
 * make the rule an error.
 */
import { conditionOperator, type OperatorFn } from './operators.ts';
import { substituteAll, type SubstitutionContext } from './variables.ts';

export interface Condition {
  readonly key?: unknown;
  readonly operator?: string;
  readonly value?: unknown;
  readonly message?: string;
}

export interface AnyAllConditions {
  readonly any?: readonly Condition[];
  readonly all?: readonly Condition[];
}

interface CompiledCondition {
  readonly key: unknown;
  readonly value: unknown;
  readonly operator: OperatorFn | Error;
  readonly message: string | undefined;
}

export interface CompiledConditions {
  /** `undefined` when the block had no `any` list (Go nil), so it does not constrain. */
  readonly any: readonly CompiledCondition[] | undefined;
  readonly all: readonly CompiledCondition[];
}

export interface ConditionOutcome {
  readonly result: boolean;
  readonly message: string;
}

function compileCondition(c: Condition): CompiledCondition {
  let operator: OperatorFn | Error;
  try {
    operator = conditionOperator(String(c.operator ?? ''));
  } catch (e) {
    operator = e as Error;
  }
  return { key: c.key ?? null, value: c.value ?? null, operator, message: c.message };
}

/** Accepts `{any, all}` or the legacy list; anything else is a compile error. */
export function compileConditions(raw: unknown, where: string): CompiledConditions {
  if (Array.isArray(raw)) return { any: undefined, all: (raw as Condition[]).map(compileCondition) };
  if (raw !== null && typeof raw === 'object') {
    const block = raw as AnyAllConditions;
    return { any: block.any ? block.any.map(compileCondition) : undefined, all: (block.all ?? []).map(compileCondition) };
  }
  throw new Error(`${where}: conditions must be a list or an object with any/all, got ${JSON.stringify(raw)}`);
}

function evaluateOne(c: CompiledCondition, ctx: SubstitutionContext, where: string): boolean {
  if (c.operator instanceof Error) throw new Error(`${where}: ${c.operator.message}`);
  const key = substituteAll(c.key, ctx, `${where}/key`);
  const value = substituteAll(c.value, ctx, `${where}/value`);
  return c.operator(key, value);
}

const joinNonEmpty = (xs: readonly (string | undefined)[], sep: string): string => xs.filter((x): x is string => !!x).join(sep);

/** Evaluates a block: true when every `all` condition and (if present) one `any` condition hold. */
export function evaluateConditions(block: CompiledConditions, ctx: SubstitutionContext, where: string): ConditionOutcome {
  const trueMessages: (string | undefined)[] = [];
  const falseMessages: (string | undefined)[] = [];
  let anyResult = true;
  if (block.any !== undefined) {
    anyResult = false;
    for (const [i, c] of block.any.entries()) {
      if (evaluateOne(c, ctx, `${where}/any/${i}`)) {
        anyResult = true;
        trueMessages.push(c.message);
        break;
      }
      falseMessages.push(c.message);
    }
  }
  let allResult = true;
  for (const [i, c] of block.all.entries()) {
    if (!evaluateOne(c, ctx, `${where}/all/${i}`)) {
      allResult = false;
      falseMessages.push(c.message);
      break;
    }
    trueMessages.push(c.message);
  }
  const result = anyResult && allResult;
  return { result, message: joinNonEmpty(result ? trueMessages : falseMessages, '; ') };
}
