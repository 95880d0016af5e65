/**
 * A nesting limit for the resources and payloads the policy engines evaluate. Both engines (and the
 * CEL and JMESPath libraries under them) walk values recursively; a document nested thousands of
 * levels deep would overflow the stack with a RangeError instead of failing as a clean error. No
 * Kubernetes object comes close to the limit (the API server's own decoder stops at 10,000 levels,
 * and real objects stay under 30).
 */
import { LockstepError } from '../util/errors.ts';

export const MAX_VALUE_DEPTH = 1000;

/** Nesting depth of `value`, measured iteratively and stopping once past `limit`. */
export function depthOf(value: unknown, limit = MAX_VALUE_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Throws a LockstepError when `value` is nested deeper than the limit. */
export function assertDepth(value: unknown, what: string, limit = MAX_VALUE_DEPTH): void {
  if (depthOf(value, limit) > limit) {
    throw new LockstepError({ message: `${what} is nested deeper than ${limit} levels`, fix: 'flatten the document; no Kubernetes object is nested this deeply' });
  }
}
