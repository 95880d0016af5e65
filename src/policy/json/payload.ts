/**
 * Payload parsing the way `kyverno-json scan --payload` reads files: `.json` is parsed as is;
 * anything else is YAML, where one document gives that value and several give an array.
 */
import { parseAllDocuments } from 'yaml';
import { LockstepError, type Problem } from '../../util/errors.ts';

export function parsePayload(text: string, file: string): unknown {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new LockstepError({ file, message: `invalid JSON payload: ${(e as Error).message}`, fix: 'fix the JSON syntax' });
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  const problems: Problem[] = list.flatMap((d) =>
    d.errors.map((err) => {
      const pos = err.linePos?.[0];
      return { file, message: `invalid YAML payload: ${err.message.split('\n')[0]}`, ...(pos ? { line: pos.line, column: pos.col } : {}) };
    }),
  );
  if (problems.length > 0) throw new LockstepError(problems);
  const values = list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown).filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : values;
}
