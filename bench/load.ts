/**
 * Bounded load runs over loopback: requests/s and latency percentiles.
 *
 * Closed loop (autocannon): each connection sends its next request when the last is answered, so
 * the run measures the most the service takes. Open loop (`rate`): requests are sent on a fixed
 * schedule, evenly spaced, over at most `connections` keep-alive sockets, and each latency counts
 * from the moment its request was due, so time spent queued behind a slow answer is counted too
 * (no coordinated omission). autocannon's own rate option sends each second's requests in a burst.
 */
import autocannon from 'autocannon';
import http from 'node:http';

export interface LoadResult {
  connections: number;
  rate?: number;
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  /** a fresh body per request (unique update ids) */
  body: () => string;
  /** requests per second offered over all connections (open loop); unset: closed loop */
  rate?: number;
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(opts.url)) throw new Error('load tests go to loopback only');
  if (opts.rate) return paced(opts, opts.rate);
  const r = await autocannon({
    url: opts.url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.durationS,
    headers: { 'content-type': 'application/json', ...opts.headers },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: opts.body() }) }],
  });
  return {
    connections: opts.connections,
    durationS: opts.durationS,
    requests: r.requests.total,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

async function paced(opts: LoadOptions, rate: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const url = new URL(opts.url);
  const total = Math.round(rate * opts.durationS);
  const latencies: number[] = [];
  let [errors, non2xx] = [0, 0];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', ...opts.headers } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(opts.body());
    });
  const t0 = performance.now() + 10;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; ) {
    const now = performance.now();
    // everything due by now goes out; then sleep until the next one is due
    for (; i < total && t0 + (i * 1000) / rate <= now; i++) pending.push(send(t0 + (i * 1000) / rate));
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i * 1000) / rate - performance.now())));
  }
  await Promise.all(pending);
  const elapsedS = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]) : NaN);
  return {
    connections: opts.connections,
    rate,
    durationS: opts.durationS,
    requests: latencies.length,
    rps: latencies.length / elapsedS,
    p50: pct(0.5),
    p99: pct(0.99),
    errors,
    non2xx,
  };
}
