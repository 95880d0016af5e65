/**
 * `production-touched`: production objects changed in a diff that does not also change the
 * environment's promotion lock (`environments/<env>.lock.yaml`), i.e. production changed without a
 * promotion; and any break-glass promotion (`current.breakGlass.reason` in the lock), always flagged.
 */
import type { Finding, LockInfo, ObjectChange } from '../types.ts';
import { placeNote } from './place.ts';

export interface ProductionInput {
  readonly environment: string;
  readonly stage: string;
  readonly changes: readonly ObjectChange[];
  readonly baseLock?: LockInfo;
  readonly headLock?: LockInfo;
}

/** The line of `breakGlass:` in a lock file (1-based), for the finding's source. */
function breakGlassLine(text: string): number {
  const i = text.split('\n').findIndex((l) => /^\s*breakGlass\s*:/.test(l));
  return i < 0 ? 1 : i + 1;
}

export function classifyProduction(input: ProductionInput): Finding[] {
  if (input.stage !== 'production' || input.changes.length === 0) return [];
  const lockFile = input.headLock?.file ?? input.baseLock?.file ?? `environments/${input.environment}.lock.yaml`;
  const promoted = input.headLock !== undefined && input.headLock.text !== input.baseLock?.text;
  if (promoted) {
    const reason = input.headLock!.breakGlassReason;
    if (reason === undefined) return [];
    return [
      {
        class: 'production-touched',
        environment: input.environment,
        source: { file: lockFile, line: breakGlassLine(input.headLock!.text), column: 1 },
        message: `break-glass promotion${input.headLock!.releaseId ? ` to release ${input.headLock!.releaseId}` : ''} of ${input.changes.length} object${input.changes.length > 1 ? 's' : ''}, skipping the normal promotion checks; reason given: ${JSON.stringify(reason)}`,
      },
    ];
  }
  return input.changes.map((c) =>
    placeNote(input.environment, c, {
      class: 'production-touched',
      message: `${c.type} in ${input.environment} without a promotion (${lockFile} ${input.headLock ? 'is unchanged' : 'does not exist'}); promote from the previous stage instead`,
    }),
  );
}
