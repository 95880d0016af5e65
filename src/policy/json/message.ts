/**
 * Assertion messages (`pkg/core/message`): each `{{ expr }}` is JMESPath evaluated against the
 * whole resource with the rule's bindings. Failures render inline instead of failing the rule.
 */
import type { Bindings } from './bindings.ts';
import { compileJp, type CompiledJp, type KyvernoJmesPath } from './jmespath.ts';

const PLACEHOLDER = /{{(.*?)}}/g;

export interface CompiledMessage {
  readonly original: string;
  readonly parts: ReadonlyArray<{ readonly placeholder: string; readonly statement: string; readonly program: CompiledJp }>;
}

/** Throws the compile error of the first bad placeholder. */
export function compileMessage(original: string): CompiledMessage {
  const parts = [...original.matchAll(PLACEHOLDER)].map((m) => {
    const statement = (m[1] ?? '').trim();
    return { placeholder: m[0], statement, program: compileJp(statement) };
  });
  return { original, parts };
}

export function formatMessage(message: CompiledMessage, resource: unknown, bindings: Bindings, jp: KyvernoJmesPath): string {
  let out = message.original;
  for (const part of message.parts) {
    let text: string;
    try {
      const result = jp.evaluate(part.program, resource, bindings);
      if (result === null || result === undefined) text = `ERR (${part.statement} not found)`;
      else if (typeof result !== 'string') text = `ERR (${part.statement} not a string)`;
      else text = result;
    } catch (e) {
      text = `ERR (${part.statement} - ${(e as Error).message})`;
    }
    out = out.split(part.placeholder).join(text);
  }
  return out;
}
