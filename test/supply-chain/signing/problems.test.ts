import { describe, expect, it } from 'vitest';
import { LockstepError } from '../../../src/util/errors.ts';
import { problemCode, signingError } from '../../../src/supply-chain/signing/problems.ts';

describe('signingError', () => {
  it('renders file, pointer, message and fix on one line and keeps the code', () => {
    const err = signingError({ code: 'signing/malformed-bundle', message: 'bad', file: 'b.json', pointer: '/mediaType', fix: 'sign again' });
    expect(err).toBeInstanceOf(LockstepError);
    expect(err.message).toBe('b.json: /mediaType: bad; sign again');
    expect(problemCode(err)).toBe('signing/malformed-bundle');
  });

  it('has no code for errors that are not LockstepErrors', () => {
    expect(problemCode(new Error('x'))).toBeUndefined();
  });
});
