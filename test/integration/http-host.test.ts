// The loopback host's guard and its API, against a real engine and workspace.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { startHttpHost, type HttpHost } from '../../src-main/hosts/http-host';
import { decimalSum, expectMoneyMatches, readCsvRecords } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';

let dir: string;
let engine: Engine;
let host: HttpHost;

beforeAll(async () => {
  dir = tempDir();
  const web = path.join(dir, 'web');
  fs.mkdirSync(web);
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Meterbook</title>');
  engine = await createEngine({ host: 'http', dataDir: path.join(dir, 'data'), workspacePath: path.join(dir, 'ws.meterbook') });
  host = await startHttpHost({ engine, staticDir: web });
});
afterAll(async () => {
  await host.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Res {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });

describe('serve guard', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32,}$/);
  });

  it('refuses API calls without the token (401) or with a wrong one', async () => {
    expect((await request({ method: 'POST', path: '/api/app.info', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    const wrong = await request({ method: 'POST', path: '/api/app.info', headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' }, body: '{}' });
    expect(wrong.status).toBe(401);
  });

  it('answers with the token', async () => {
    const r = await request({ method: 'POST', path: '/api/app.info', headers: auth(), body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { host: 'http' } });
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const r = await request({ method: 'POST', path: '/api/app.info', headers: { ...auth(), Host: `evil.example:${host.port}` }, body: '{}' });
    expect([403, 421]).toContain(r.status);
    const page = await request({ path: '/', headers: { Host: 'attacker.test' } });
    expect([403, 421]).toContain(page.status);
  });

  it('accepts localhost:<port> as Host', async () => {
    const r = await request({ method: 'POST', path: '/api/app.info', headers: { ...auth(), Host: `localhost:${host.port}` }, body: '{}' });
    expect(r.status).toBe(200);
  });

  it('refuses another Origin (403) and accepts its own', async () => {
    const evil = await request({ method: 'POST', path: '/api/app.info', headers: { ...auth(), Origin: 'http://evil.example' }, body: '{}' });
    expect(evil.status).toBe(403);
    const own = await request({ method: 'POST', path: '/api/app.info', headers: { ...auth(), Origin: `http://127.0.0.1:${host.port}` }, body: '{}' });
    expect(own.status).toBe(200);
  });

  it('gives 404 for an unknown method with a valid token', async () => {
    const r = await request({ method: 'POST', path: '/api/no.such.method', headers: auth(), body: '{}' });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).ok).toBe(false);
  });

  it('serves the UI with a strict CSP', async () => {
    const r = await request({ path: `/?token=${host.token}` });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Meterbook</title>');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await request({ path: '/../../etc/passwd' })).status).toBe(404);
  });

  it('returns errors as values', async () => {
    const r = await request({ method: 'POST', path: '/api/explore.query', headers: auth(), body: JSON.stringify({ groupBy: ['NoSuchColumn'] }) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('imports an upload and streams progress and the outcome over SSE with the same guard', async () => {
    expect((await request({ path: '/api/events' })).status).toBe(401);
    const events: { event: string; data: unknown }[] = [];
    const sse = await new Promise<http.IncomingMessage>((resolve) => {
      http.get({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}` }, resolve);
    });
    let buf = '';
    const finished = new Promise<void>((resolve) => {
      sse.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) {
            events.push({ event: ev, data: JSON.parse(data) });
            if (ev === 'import.finished') resolve();
          }
        }
      });
    });
    const up = await request({ method: 'POST', path: `/api/upload?name=${encodeURIComponent('my bill.csv')}`, headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' }, body: fs.readFileSync(SAMPLE_1000) });
    expect(up.status).toBe(200);
    const { uploadId } = (JSON.parse(up.body) as { value: { uploadId: string } }).value;
    const start = await request({ method: 'POST', path: '/api/import.start', headers: auth(), body: JSON.stringify({ files: [{ uploadId }] }) });
    expect(JSON.parse(start.body).ok).toBe(true);
    await finished;
    sse.destroy();
    const done = events.find((e) => e.event === 'import.finished')!.data as { outcome: { status: string; files: { file: string; rows: number }[] } };
    expect(done.outcome.status).toBe('done');
    expect(done.outcome.files[0]).toMatchObject({ file: 'my bill.csv', rows: 1000 });
    const kpis = await request({ method: 'POST', path: '/api/explore.kpis', headers: auth(), body: '{}' });
    const k = JSON.parse(kpis.body) as { value: { billed: number } };
    expectMoneyMatches(k.value.billed, decimalSum(readCsvRecords(SAMPLE_1000), 'BilledCost'), 1000);
  });
});
