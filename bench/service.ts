/** Starts the real service as a child process for a benchmark, and reads its memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface RunningService {
  url: string;
  child: ChildProcess;
  rssMb(): number;
  /** CPU time the service process has used so far (user + system), in ms: robust to a busy machine */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startService(env: Record<string, string>, opts: { script?: string; args?: string[] } = {}): Promise<RunningService> {
  const port = Number(env.PORT ?? (await freePort()));
  // the compiled service, as `npm start` runs it (bench/run.ts builds it first); tsx for sources
  const script = opts.script ?? resolve(import.meta.dirname, '../dist/main.js');
  // the same V8 flags as `npm start` (package.json): the heap is capped at 160 MB by default
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : ['--enable-source-maps', `--max-old-space-size=${process.env.HEAP_MB ?? 160}`];
  const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, ...prof, ...loader, script, ...(opts.args ?? [])], {
    // no demo history (DEMO_HISTORY): the benches measure their own load on an empty database.
    // The bot-wide Telegram rate (28 a second, replies included) is Telegram's limit, not the
    // service's: the fakes here take any rate, so the benches measure what the service can do
    // (bench urgent/notices measure the paced outbox with the limit on)
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', DEMO_HISTORY: '0', OUTBOX_TELEGRAM_PER_SECOND: '100000', ...env, PORT: String(port) },
    stdio: ['ignore', process.env.BENCH_SERVICE_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('service did not start in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    cpuMs: () => {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
    },
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => {
          if (child.exitCode !== null) return;
          console.error(`bench: the service (pid ${child.pid}) did not stop within 10 s of SIGTERM; killed`);
          child.kill('SIGKILL');
        }, 10_000).unref();
      }),
  };
}
