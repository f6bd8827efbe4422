/**
 * The register import over real HTTP on loopback: the body is stored as it arrives (never held
 * whole), limited to 20 MB however it is sent, and a failing database is not blamed on the file.
 */
import http from 'node:http';
import { Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_ROWS } from '../../src/core/customers/import-customers.js';
import { IMPORT_LIMIT_BYTES } from '../../src/http/routes/customers.js';
import { auth, makeTestApp } from '../helpers/app.js';
import { customersCsv } from '../helpers/builders.js';
import type { TestCore } from '../helpers/core.js';

const HEADER = 'account,name,phone,address,community,building,unit,room,area_m2\n';

/** Valid register rows for accounts from..from+n-1, one line each. */
function rows(from: number, n: number): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += `${3_000_000_000 + i},住户${i},139${String(i).padStart(8, '0')},幸福家园${i}号,c001,1,1,${i},80\n`;
  return s;
}

/** Waits (at most 10 s) until the condition holds: for what happens on the server's side of a socket. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Answer {
  status: number;
  body: Record<string, any>;
  text: string;
}

/** POSTs a body stream as text/csv (chunked unless a Content-Length is given) and reads the answer. */
function postCsv(url: string, body: Readable, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${url}/api/customers/import`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        answered = true;
        body.destroy();
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, text });
      });
    });
    // a server that answers before the end and closes may reset the rest of the upload
    req.on('error', (e) => answered || reject(e));
    body.on('error', () => {});
    body.pipe(req);
  });
}

describe('customer import over HTTP', () => {
  let app: FastifyInstance;
  let core: TestCore;
  let url: string;

  beforeAll(async () => {
    ({ app, core } = await makeTestApp());
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await core.close();
  });
  beforeEach(async () => {
    await core.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS fail_import ON "Customer"').catch(() => {});
    await core.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS fail_import').catch(() => {});
    await core.db.customer.deleteMany();
  });

  const stored = () => core.stores.customers.count();

  it('stores the first rows while the rest of the body is still being sent', async () => {
    let storedBeforeTheEnd = -1;
    async function* body() {
      yield HEADER + rows(0, 1000);
      // the rest is sent only once rows are stored: a server that buffers the body first never stores any
      const until = Date.now() + 10_000;
      while ((storedBeforeTheEnd = await stored()) < CHUNK_ROWS && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      yield rows(1000, 1000);
    }
    const res = await postCsv(url, Readable.from(body()));
    expect(storedBeforeTheEnd).toBeGreaterThanOrEqual(CHUNK_ROWS);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 2000, updated: 0, refused: 0 });
    expect(await stored()).toBe(2000);
  });

  it('reports a refused row by its line in the file, past empty lines and values that span lines', async () => {
    const csv = `${HEADER}4000000001,张三,13912345678,"幸福家园
1号楼",c001,1,1,101,88.5

4000000002,李四,12345,丁香苑,c004,2,1,201,70
`;
    const res = await postCsv(url, Readable.from([csv]));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, refused: 1, errors: [{ line: 5, account: '4000000002', code: 'bad_phone' }] });
  });

  it('refuses a Content-Length over 20 MB with 413 body_too_large before storing anything', async () => {
    const res = await postCsv(url, Readable.from([HEADER + rows(0, 600)]), { 'content-length': String(IMPORT_LIMIT_BYTES + 1) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'body_too_large' });
    expect(await stored()).toBe(0);
  });

  it('stops a chunked body at 20 MB with 413 and says how many rows were stored before it', async () => {
    async function* body() {
      yield HEADER + rows(0, 1200);
      // then empty lines, which the parser skips, until well past the limit
      const blank = '\n'.repeat(1024 * 1024);
      for (let i = 0; i < 25; i++) yield blank;
    }
    const res = await postCsv(url, Readable.from(body()));
    expect(res.status).toBe(413);
    // the full parts were stored; the rows after them were still waiting for their part
    const full = Math.floor(1200 / CHUNK_ROWS) * CHUNK_ROWS;
    expect(full).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ code: 'body_too_large', created: full, updated: 0 });
    expect(await stored()).toBe(full);
  });

  it('answers a database failure half-way with a code, not as a bad CSV, and without the database text', async () => {
    if (core.provider === 'postgresql') {
      await core.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_import() RETURNS trigger AS $$
        BEGIN IF NEW.account = '3000000700' THEN RAISE EXCEPTION 'boom from trigger fail_import'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await core.db.$executeRawUnsafe('CREATE TRIGGER fail_import BEFORE INSERT ON "Customer" FOR EACH ROW EXECUTE FUNCTION fail_import()');
    } else {
      await core.db.$executeRawUnsafe(
        `CREATE TRIGGER fail_import BEFORE INSERT ON "Customer" WHEN NEW.account = '3000000700' BEGIN SELECT RAISE(ABORT, 'boom from trigger fail_import'); END`,
      );
    }
    const res = await postCsv(url, Readable.from([HEADER + rows(0, 1500)]));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'internal_error', message: 'internal error' });
    expect(res.text).not.toMatch(/boom|trigger|Customer|INSERT|SQL|prisma/i);
    // the parts before the failing one stay stored
    expect(await stored()).toBe(Math.floor(700 / CHUNK_ROWS) * CHUNK_ROWS);
  });

  it('keeps the rows stored before a client goes away half-way, and logs it as that, not as the database failing', async () => {
    const lines: { msg?: string; level?: number; created?: number }[] = [];
    const stream = new Writable({
      write(line, _enc, done) {
        lines.push(JSON.parse(String(line)));
        done();
      },
    });
    const { app: logged } = await makeTestApp({ logger: { level: 'info', stream } }, core);
    try {
      const at = await logged.listen({ port: 0, host: '127.0.0.1' });
      const req = http.request(`${at}/api/customers/import`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' } });
      req.on('error', () => {});
      req.write(HEADER + rows(0, 1000));
      await until(async () => (await stored()) >= CHUNK_ROWS);
      req.destroy();
      const gone = () => lines.find((l) => l.msg?.includes('the client went away'));
      await until(async () => Boolean(gone()));
      expect(gone()?.created).toBeGreaterThanOrEqual(CHUNK_ROWS);
      expect(lines.filter((l) => (l.level ?? 0) >= 40).map((l) => l.msg)).toEqual([]);
      expect(await stored()).toBe(gone()?.created);
    } finally {
      await logged.close();
    }
  });

  it('refuses a file the CSV reader cannot follow with csv_invalid, its line, and words of our own', async () => {
    const res = await postCsv(url, Readable.from([customersCsv(['4000000001,张三,13912345678,"幸福家园1号楼,c001,1,1,101,88.5', ...rows(2, 10).split('\n')])]));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'csv_invalid' });
    expect(res.body.message).toBe('not readable as CSV from line 2: a quoted value is not closed');
    expect(await stored()).toBe(0);
  });

  it('refuses an unclosed quote in a large file at the record limit instead of holding the rest of the file', async () => {
    const res = await postCsv(url, Readable.from([`${HEADER}4000000001,张三,13912345678,"幸福家园\n`, rows(2, 3000)]));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'csv_invalid' });
    expect(res.body.message).toMatch(/^not readable as CSV from line 2: a row is longer than 16 KB/);
  });
});
