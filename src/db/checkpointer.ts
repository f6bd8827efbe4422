/**
 * SQLite's WAL checkpoints on a worker thread. By default the connection that commits past
 * 1,000 WAL pages copies them into the database file and fsyncs it, inside that commit: on the
 * service's one connection that is the event loop, stalled for tens to hundreds of ms in the
 * middle of a cold snap's intake (measured with bench/lat-probe.ts). The service turns that off
 * and checkpoints from a second connection on its own thread instead, which WAL mode allows
 * beside a writer (PASSIVE: it never blocks the writer, it copies what it can).
 *
 * Only the long-running service starts it; tools and tests keep SQLite's automatic checkpoints.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteRunner } from './runner.js';

// CommonJS so that it runs the same from src/ (tests, tsx) and dist/, with no loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { timeout: 5000 });
const pass = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log > 0) parentPort.postMessage({ pages: r.checkpointed, wal: r.log });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message) });
  }
};
const timer = setInterval(pass, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'pass') return pass();
  if (m === 'stop') {
    clearInterval(timer);
    pass();
    db.close();
    parentPort.postMessage({ stopped: true });
  }
});
`;

export interface CheckpointerOptions {
  /** how often the worker checkpoints (default 500 ms) */
  intervalMs?: number;
  onError?: (message: string) => void;
}

export class Checkpointer {
  private constructor(
    private readonly worker: Worker,
    private readonly direct: SqliteRunner,
    /** pages copied into the database file so far (for tests and logs) */
    public checkpointed = 0,
  ) {}

  /** Takes checkpoints off `direct`'s connection and onto a worker thread with its own. */
  static start(direct: SqliteRunner, opts: CheckpointerOptions = {}): Checkpointer {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER, { eval: true, workerData: { file: direct.file, module, intervalMs: opts.intervalMs ?? 500 } });
    const c = new Checkpointer(worker, direct);
    worker.on('message', (m: { pages?: number; error?: string }) => {
      if (m.pages) c.checkpointed += m.pages;
      if (m.error) opts.onError?.(m.error);
    });
    worker.on('error', (e) => opts.onError?.(e.message));
    worker.unref();
    // the WAL file shrinks back to this after a checkpoint has caught up (else it keeps its peak)
    direct.pragma('journal_size_limit = 67108864');
    direct.pragma('wal_autocheckpoint = 0');
    return c;
  }

  /** Asks for a checkpoint now (tests). */
  pass(): void {
    this.worker.postMessage('pass');
  }

  /** A last checkpoint, then the worker ends; the connection checkpoints by itself again. */
  async stop(): Promise<void> {
    if (this.direct.usable) this.direct.pragma('wal_autocheckpoint = 1000');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.worker.on('message', (m: { stopped?: boolean }) => {
        if (m.stopped) {
          clearTimeout(timer);
          resolve();
        }
      });
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
    await this.worker.terminate();
  }
}
