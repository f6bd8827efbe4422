/**
 * The real service as a child process (`node --import tsx src/main.ts`), configured only through
 * its environment, as an operator would run it. It can be killed (SIGKILL: no goodbye, no
 * flushing) and started again over the same database, on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { sleep } from './wait.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface ServiceProcessOptions {
  port: number;
  /** the service's environment (on top of PATH and HOME) */
  env: Record<string, string>;
  /** where stdout and stderr go */
  logFile: string;
}

/** A port nobody listens on now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Children alive now: killed if the simulator itself is stopped (see killAllServices). */
const alive = new Set<ChildProcess>();

/** SIGKILLs every service this process started and has not stopped (on Ctrl-C, or a crash of the simulator). */
export function killAllServices(): void {
  for (const c of alive) c.kill('SIGKILL');
  alive.clear();
}

export class ServiceProcess {
  private child: ChildProcess | null = null;
  private log: WriteStream;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** how many times it was started */
  starts = 0;
  /** exits nobody asked for (a crash), with their code */
  readonly crashes: (number | null)[] = [];
  private expectingExit = false;

  constructor(private readonly o: ServiceProcessOptions) {
    this.log = createWriteStream(o.logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.o.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the service and waits until GET /healthz answers 200. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.child) throw new Error('the service is running already');
    this.starts++;
    this.log.write(`\n--- start #${this.starts} at ${new Date().toISOString()} ---\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TZ: process.env.TZ ?? 'Asia/Shanghai',
        ...this.o.env,
        PORT: String(this.o.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    alive.add(child);
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.expectingExit = false;
    this.exited = new Promise((done) =>
      child.once('exit', (code) => {
        alive.delete(child);
        if (this.child === child) this.child = null;
        if (!this.expectingExit) this.crashes.push(code);
        done(code);
      }),
    );
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (!this.child) throw new Error(`the service exited while starting (see ${this.o.logFile})`);
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.kill();
    throw new Error(`the service did not become healthy in ${timeoutMs} ms (see ${this.o.logFile})`);
  }

  /** SIGKILL, as a crash or an OOM killer would: whatever it was doing stops mid-step. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.expectingExit = true;
    this.log.write(`\n--- SIGKILL at ${new Date().toISOString()} ---\n`);
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (the service closes gracefully), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child) {
      this.expectingExit = true;
      const child = this.child;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((done) => this.log.end(done));
  }
}
