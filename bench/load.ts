/** A bounded load run over loopback with autocannon: requests/s and latency percentiles. */
import autocannon from 'autocannon';

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: {
  url: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  /** a fresh body per request (unique update ids) */
  body: () => string;
}): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(opts.url)) throw new Error('load tests go to loopback only');
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
