/**
 * Bulk file-system calls on worker threads, so the main thread keeps building and rendering while
 * tens of thousands of `lstat`s (proving a unit cache's manifests) or a large directory listing run
 * beside it: an incremental synth of 60k manifests would spend ~150 ms in `lstat` alone, and as much
 * listing the output directory (docs/performance.md).
 *
 * Why by hand: Node has no batched stat, and its async `fs` API costs one thread-pool round trip and
 * one promise per call — more than the call itself for small files. A worker does the calls
 * synchronously in a loop (`src/util/fs-bulk.mjs`, the same code the main thread runs without
 * threads) and answers once per batch (`src/util/fs-worker.mjs`).
 *
 * Workers are started on first use and hold the process open only while a call is outstanding: an
 * idle pool never keeps the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

interface Reply {
  readonly id: number;
  readonly files?: string;
  readonly stale?: string[];
  readonly differ?: string[];
  readonly error?: { message: string; code?: string; path?: string };
}

const WORKER_FILE = new URL('./fs-worker.mjs', import.meta.url);

export class FsWorkers {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private closed = false;

  /** `size` threads at most (default: one per CPU, at most four). */
  constructor(private readonly size: number = Math.min(4, Math.max(1, availableParallelism()))) {}

  /**
   * Starts every thread now (a thread takes ~50 ms to boot), so that the first call does not wait
   * for it: call it before work the threads can overlap, such as loading inputs.
   */
  warm(): this {
    for (let i = 0; i < this.size; i++) this.worker(i);
    return this;
  }

  /**
   * Of the unit records `units` ([unit path, object lines, file lines, recordedMs], see
   * src/synth/unit-cache.ts), those with a manifest under `target` that is not the file synth
   * recorded.
   */
  async verifyUnits(target: string, units: readonly (readonly [string, string, string, number])[]): Promise<Set<string>> {
    const out = new Set<string>();
    await this.inChunks(units, async (worker, chunk) => {
      for (const u of (await this.call(worker, { op: 'verify-units', target, units: chunk })).stale ?? []) out.add(u);
    });
    return out;
  }

  /**
   * Writes `files` (relative path → content) under `dir`, creating directories as needed, spread
   * over every thread: creating tens of thousands of small files is kernel time, which runs in
   * parallel across cores.
   */
  async writeFiles(dir: string, files: readonly (readonly [string, string | Uint8Array])[]): Promise<void> {
    await this.inChunks(files, (worker, chunk) => this.call(worker, { op: 'write', dir, files: chunk }));
  }

  /** Of `files` (relative path → content), those whose file under `dir` is not a regular file holding exactly that content. */
  async differing(dir: string, files: readonly (readonly [string, string | Uint8Array])[]): Promise<Set<string>> {
    const out = new Set<string>();
    await this.inChunks(files, async (worker, chunk) => {
      for (const rel of (await this.call(worker, { op: 'compare', dir, files: chunk })).differ ?? []) out.add(rel);
    });
    return out;
  }

  /**
   * Runs `job` over `items` (files, or unit records) in chunks of at most 1,024, each thread working through its share with
   * two chunks in flight (one being written, one queued), so a chunk is copied to a thread only
   * shortly before it is needed: the copies held by the threads stay a few megabytes, not the whole
   * output. Settles only when every chunk has (a failed chunk does not leave others writing behind
   * the caller's back), then throws the first failure.
   */
  private async inChunks<T>(items: readonly T[], job: (worker: number, chunk: readonly T[]) => Promise<unknown>): Promise<void> {
    const chunk = Math.min(1024, Math.max(64, Math.ceil(items.length / this.size)));
    let next = 0;
    const failures: unknown[] = [];
    const lane = async (worker: number): Promise<void> => {
      while (next < items.length && failures.length === 0) {
        const from = next;
        next += chunk;
        try {
          await job(worker, items.slice(from, from + chunk));
        } catch (e) {
          failures.push(e);
        }
      }
    };
    const lanes = Math.min(this.size * 2, Math.ceil(items.length / chunk));
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i % this.size)));
    if (failures.length) throw failures[0];
  }

  /** Relative paths of every entry under `dir` that is not a directory. */
  async listFiles(dir: string): Promise<Set<string>> {
    const reply = await this.call(this.workers.length > 1 ? 1 : 0, { op: 'list', dir });
    return new Set(reply.files ? reply.files.split('\0') : []);
  }

  /**
   * Stops the threads; later calls fail. Does not wait for them to exit: on Node 20 the promise of
   * `terminate()` on a thread that is still booting can stay pending with nothing left to keep the
   * event loop alive, and a process awaiting it ends with "unsettled await" (exit 13). The threads
   * are unref'ed and hold no calls by then, so nothing is lost.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.workers.splice(0)) {
      w.unref();
      w.terminate().catch(() => undefined);
    }
  }

  private worker(i: number): Worker {
    if (this.closed) throw new Error('FsWorkers: used after close()');
    const index = Math.min(i, this.size - 1);
    while (this.workers.length <= index) {
      // Plain JavaScript: no loader flags (--import tsx/esm would load tsx into every thread).
      const w = new Worker(WORKER_FILE, { execArgv: [] });
      w.on('message', (r: Reply) => {
        const p = this.pending.get(r.id);
        if (!p) return;
        this.settle(r.id);
        if (r.error) {
          const e = new Error(r.error.message) as NodeJS.ErrnoException;
          if (r.error.code) e.code = r.error.code;
          if (r.error.path) e.path = r.error.path;
          p.reject(e);
        } else p.resolve(r);
      });
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => {
        if (!this.closed && code !== 0) this.failAll(new Error(`fs worker exited with code ${code}`));
      });
      // After the listeners: adding a 'message' listener refs the worker again.
      w.unref();
      this.workers.push(w);
    }
    return this.workers[index]!;
  }

  private call(worker: number, request: { op: string; [k: string]: unknown }): Promise<Reply> {
    const w = this.worker(worker);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker: w, resolve, reject });
      const n = this.busy.get(w) ?? 0;
      if (n === 0) w.ref();
      this.busy.set(w, n + 1);
      w.postMessage({ id, ...request });
    });
  }

  /** Forgets call `id`; its worker stops holding the process open when it has no other call. */
  private settle(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    const n = (this.busy.get(p.worker) ?? 1) - 1;
    this.busy.set(p.worker, n);
    if (n === 0) p.worker.unref();
  }

  private failAll(e: Error): void {
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(e);
    }
  }
}
