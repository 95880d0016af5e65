/**
 * One place that turns a signing failure into a LockstepError, so every message in this folder has
 * the same shape: what is wrong (with the value received), where, and how to fix it. `code` is a
 * stable identifier that callers and tests can match without parsing prose.
 */
import { LockstepError } from '../../util/errors.ts';

export type SigningProblemCode =
  | 'signing/unsupported-key-type'
  | 'signing/malformed-key'
  | 'signing/wrong-password'
  | 'signing/unsupported-key-encryption'
  | 'signing/malformed-bundle'
  | 'signing/unsupported-bundle'
  | 'signing/digest-mismatch'
  | 'signing/signature-mismatch'
  | 'signing/tlog-unverifiable'
  | 'signing/tlog-missing'
  | 'signing/tlog-invalid'
  | 'signing/malformed-envelope'
  | 'signing/predicate-type-mismatch'
  | 'signing/invalid-predicate-type'
  | 'signing/claims-mismatch'
  | 'signing/malformed-statement'
  | 'signing/usage';

export interface SigningProblemInput {
  readonly code: SigningProblemCode;
  readonly message: string;
  readonly fix?: string;
  readonly file?: string;
  readonly pointer?: string;
}

export function signingError(p: SigningProblemInput, cause?: unknown): LockstepError {
  return new LockstepError(
    {
      code: p.code,
      message: p.message,
      ...(p.fix !== undefined ? { fix: p.fix } : {}),
      ...(p.file !== undefined ? { file: p.file } : {}),
      ...(p.pointer !== undefined ? { pointer: p.pointer } : {}),
    },
    cause !== undefined ? { cause } : {},
  );
}

/** The stable code of a LockstepError thrown by this folder, for callers that branch on it. */
export function problemCode(err: unknown): string | undefined {
  if (err instanceof LockstepError) return err.problems[0]?.code;
  return undefined;
}
