/** Types of fs-bulk.mjs (plain JavaScript, shared with the worker threads). */
export function listFiles(dir: string): string[];
export function writeFilesSync(dir: string, files: Iterable<readonly [string, string | Uint8Array]>): number;
export function sameContent(path: string, data: string | Uint8Array): boolean;
export function fileIntact(path: string, recorded: string, recordedMs: number): boolean;
export function unitsNotIntact(target: string, units: readonly (readonly [string, string, string, number])[]): string[];
