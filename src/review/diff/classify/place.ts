import { objectId } from '../../../k8s/objects.ts';
import type { Finding, ObjectChange, RiskNote } from '../types.ts';

/**
 * Places a note on its object: identity, construct path, and the source line of the side that
 * explains it (head for added and changed objects, base for removed ones).
 */
export function placeNote(environment: string, change: ObjectChange, note: RiskNote): Finding {
  const side = change.type === 'removed' ? change.before! : change.after!;
  return {
    ...note,
    environment,
    object: objectId(side.json),
    change: change.type,
    constructPath: side.constructPath,
    ...(side.source ? { source: side.source } : {}),
  };
}
