/**
 * Slack interaction latency (issue 9, item 2): signed block_actions (accept, and resolve, which
 * opens a modal) at concurrency 20 against the real service with the fake Slack Web API behind
 * SLACK_API_URL. What is measured is the time until the service answers Slack's request (the
 * ack, which Slack wants within 3 s); the step itself is stored before the answer.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { FakeSlackApi } from '../tools/dev/fake-slack-api.js';
import { startService } from './service.js';

const SECRET = 'bench-signing-secret';
const COORD = 'U08DEMO008'; // xincheng-coord in the demo organisation

function sign(body: string, ts: number) {
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}` };
}

export interface SlackBenchResult {
  connections: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  accepted: number;
}

export async function slackBench(opts: { tickets: number; connections: number; durationS: number }): Promise<SlackBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-slack-'));
  const fake = await FakeSlackApi.start();
  const svc = await startService({
    DATABASE_URL: `file:${join(dir, 'slack.db')}`,
    API_TOKEN: 'bench-api-token-0123456789abcdefghij',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    // the load comes from one address: the bench measures the service, not its per-address flood limit
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
  });
  try {
    const numbers: string[] = [];
    for (let i = 0; i < opts.tickets; i++) {
      const r = await fetch(`${svc.url}/api/tickets`, {
        method: 'POST',
        headers: { authorization: 'Bearer bench-api-token', 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'complaint',
          category: 'no_heat',
          source: 'hotline',
          description: '暖气不热',
          firstResponder: 'agent01',
          communityId: 'c001',
          address: '幸福家园1号楼',
        }),
      });
      numbers.push(((await r.json()) as { number: string }).number);
    }
    let i = 0;
    const body = () => {
      const k = i++;
      const n = numbers[k % numbers.length];
      // first pass accepts each ticket; later clicks press resolve (a modal) on accepted ones
      const accept = k < numbers.length;
      const payload = {
        type: 'block_actions',
        team: { id: 'TBENCH', domain: 'bench' },
        user: { id: COORD, username: 'coord', team_id: 'TBENCH' },
        api_app_id: 'ABENCH',
        token: 'legacy',
        container: { type: 'message', message_ts: '1764309600.000001', channel_id: 'C1XINCHED', is_ephemeral: false },
        trigger_id: `${k}.trigger`,
        channel: { id: 'C1XINCHED', name: 'dispatch' },
        message: { type: 'message', ts: '1764309600.000001', text: '' },
        actions: [
          {
            block_id: 'b',
            action_ts: `1764309700.${String(k).padStart(6, '0')}`,
            type: 'button',
            action_id: accept ? 'ticket.accept' : 'ticket.resolve',
            value: JSON.stringify({ n, s: accept ? 'dispatched' : 'accepted' }),
          },
        ],
      };
      return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    };
    const r = await autocannon({
      url: `${svc.url}/slack/events`,
      method: 'POST',
      connections: opts.connections,
      duration: opts.durationS,
      requests: [
        {
          setupRequest: (req: any) => {
            const b = body();
            return {
              ...req,
              body: b,
              headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded', ...sign(b, Math.floor(Date.now() / 1000)) },
            };
          },
        },
      ],
    });
    const list = await fetch(`${svc.url}/api/tickets?status=accepted&pageSize=1`, { headers: { authorization: 'Bearer bench-api-token' } });
    const accepted = ((await list.json()) as { total: number }).total;
    return {
      connections: opts.connections,
      requests: r.requests.total,
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx,
      accepted,
    };
  } finally {
    await svc.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
