import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { LockstepError, type Problem } from './errors.ts';

/** Keys that would reach an object's prototype chain when a document is turned into objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Largest input Lockstep reads as configuration; larger files are refused before parsing. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;

export interface YamlSource<T = unknown> {
  readonly value: T;
  /**
   * 1-based line and column of the node at `pointer` (or its nearest existing parent): the value,
   * or with `{ key: true }` the key that holds it (for "unknown key" errors).
   */
  locate(pointer: string, options?: { key?: boolean }): { line: number; column: number };
}

/**
 * Parses one YAML document with positions, refusing what configuration should never contain:
 * invalid UTF-8, duplicate keys, alias expansion beyond a small budget (billion-laughs), nesting
 * deeper than 64 levels, and keys such as `__proto__` that reach object prototypes. Every refusal
 * is a `LockstepError` naming the file, line and column.
 */
export function parseYamlSource<T = unknown>(bytes: Uint8Array | string, file: string): YamlSource<T> {
  const text = decodeConfigBytes(bytes, file);
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' });
  } catch (e) {
    // The parser recurses per flow level; a pathological document must still fail as a clean error.
    if (e instanceof RangeError) throw new LockstepError({ file, message: `invalid YAML: nesting deeper than ${MAX_DEPTH} levels`, fix: 'flatten the structure' });
    throw e;
  }
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    const tooDeep = isStackOverflow(err.message);
    problems.push({ file, line: pos.line, column: pos.col, message: tooDeep ? `invalid YAML: nesting deeper than ${MAX_DEPTH} levels` : yamlMessage(err.message), fix: tooDeep ? 'flatten the structure' : yamlFix(err.code) });
  }
  if (problems.length) throw new LockstepError(problems);

  const locate = (pointer: string, options: { key?: boolean } = {}) => locateNode(doc, lineCounter, pointer, options.key ?? false);
  checkStructure(doc.contents as Node | null, '', 0, file, locate, problems);
  if (problems.length) throw new LockstepError(problems);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new LockstepError({ file, message: `cannot expand the document: ${(e as Error).message}`, fix: 'remove the repeated aliases (*name); write the values out' });
  }
  return { value: value as T, locate };
}

/**
 * The refusals that come before parsing, shared by every reader of configuration-like files: larger
 * than 4 MiB, or not UTF-8 (a lossy decode would silently change what the file says). Drops a BOM.
 */
export function decodeConfigBytes(bytes: Uint8Array | string, file: string): string {
  if (typeof bytes !== 'string' && bytes.byteLength > MAX_CONFIG_BYTES) {
    throw new LockstepError({ file, message: `file is ${bytes.byteLength} bytes, larger than the ${MAX_CONFIG_BYTES}-byte limit for configuration`, fix: 'split it or remove generated content' });
  }
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LockstepError({ file, message: 'file is not valid UTF-8', fix: 'save it as UTF-8' });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // YAML treats CR LF and CR as line breaks; normalising them first makes a CRLF file behave
  // exactly like its LF twin, error messages included (a CR would otherwise end up inside them).
  return text.replace(/\r\n?/g, '\n');
}

/**
 * A JSON pointer made for display on one line: keys may hold newlines or other control characters,
 * which would split the CLI's one-line error. They are written as `\uXXXX`.
 */
export function displayPointer(pointer: string): string {
  return pointer.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The yaml library reports a JS stack overflow (deeply nested flow collections) as a parse error. */
export function isStackOverflow(message: string): boolean {
  return /Maximum call stack size exceeded/.test(message);
}

function yamlMessage(m: string): string {
  // The yaml library appends a code frame after the first line; keep the one-line summary.
  return `invalid YAML: ${m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove one of the duplicate keys';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and quoting around this position';
    default:
      return 'fix the YAML syntax at this position';
  }
}

function checkStructure(node: Node | null, pointer: string, depth: number, file: string, locate: YamlSource['locate'], problems: Problem[]): void {
  if (!node) return;
  if (depth > MAX_DEPTH) {
    problems.push({ file, ...locate(pointer), pointer: displayPointer(pointer), message: `nesting deeper than ${MAX_DEPTH} levels`, fix: 'flatten the structure' });
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ file, ...locate(child), pointer: displayPointer(child), message: `key ${JSON.stringify(key)} is not allowed`, fix: 'rename the key' });
      }
      checkStructure(pair.value as Node | null, child, depth + 1, file, locate, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => checkStructure(item as Node | null, `${pointer}/${i}`, depth + 1, file, locate, problems));
  }
}

function locateNode(doc: Document, lc: LineCounter, pointer: string, keyOnly: boolean): { line: number; column: number } {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let best: { line: number; col: number } = { line: 1, col: 1 };
  const rangeOf = (n: unknown) => (n && typeof n === 'object' && 'range' in n && Array.isArray((n as { range?: number[] }).range) ? (n as { range: number[] }).range : undefined);
  const r0 = rangeOf(node);
  if (r0) best = lc.linePos(r0[0]!);
  for (const [i, part] of parts.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === part);
      if (!pair) break;
      const kr = rangeOf(pair.key);
      if (kr) best = lc.linePos(kr[0]!);
      node = pair.value;
      const vr = rangeOf(node);
      if (keyOnly && i === parts.length - 1) break;
      if (vr && !isMap(node) && !isSeq(node)) best = lc.linePos(vr[0]!);
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) break;
      node = item;
      const r = rangeOf(node);
      if (r) best = lc.linePos(r[0]!);
    } else break;
  }
  return { line: best.line, column: best.col };
}
