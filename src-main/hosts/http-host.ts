// The loopback HTTP host (`meterbook serve`): the same engine as the desktop shell, for a browser on this machine.
// Guarded against other local processes and web pages: a random token per launch, Host and Origin checks
// (DNS rebinding, cross-site requests), and 127.0.0.1 only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isMethod } from '../../src-shared/api/contract';
import type { Engine } from '../engine/engine';
import { uploadTarget } from '../engine/import-service';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MAX_JSON_BYTES = 4 << 20;

export interface HttpHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function startHttpHost(opts: { engine: Engine; port?: number; staticDir: string; token?: string }): Promise<HttpHost> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let port = 0;
  const sse = new Set<http.ServerResponse>();
  const unsubscribe = opts.engine.subscribe((event, payload) => {
    const msg = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(msg);
  });

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  function tokenOk(given: string | null | undefined): boolean {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBuf.length && crypto.timingSafeEqual(b, tokenBuf);
  }

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(text);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: (e as Error).message } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) {
      send(res, 421, { ok: false, error: { code: 'bad-host', message: `Host '${host}' is not served here` } });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      send(res, 403, { ok: false, error: { code: 'bad-origin', message: 'Cross-origin requests are refused' } });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith('/api/')) {
      await api(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { ok: false, error: { code: 'method', message: 'Only GET here' } });
      return;
    }
    serveStatic(url.pathname, res);
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const name = url.pathname.slice('/api/'.length);
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    // EventSource cannot send headers: the event stream alone takes the token from the query string.
    const given = name === 'events' && req.method === 'GET' ? (bearer ?? url.searchParams.get('token')) : bearer;
    if (!tokenOk(given)) {
      send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong token' } });
      return;
    }
    if (name === 'events' && req.method === 'GET') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
      });
      res.write(': connected\n\n');
      sse.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), 15000);
      req.on('close', () => {
        clearInterval(ping);
        sse.delete(res);
      });
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { ok: false, error: { code: 'method', message: 'Use POST' } });
      return;
    }
    if (name === 'upload') {
      const fileName = url.searchParams.get('name') ?? 'upload.csv';
      const target = uploadTarget(opts.engine.dataDir, fileName);
      fs.mkdirSync(path.dirname(target.path), { recursive: true });
      try {
        await pipeline(req, fs.createWriteStream(target.path));
      } catch (e) {
        fs.rmSync(target.dir, { recursive: true, force: true });
        send(res, 400, { ok: false, error: { code: 'upload-failed', message: `Upload of ${fileName} failed: ${(e as Error).message}` } });
        return;
      }
      send(res, 200, { ok: true, value: { uploadId: target.uploadId } });
      return;
    }
    if (!isMethod(name)) {
      send(res, 404, { ok: false, error: { code: 'not-found', message: `Unknown method '${name}'` } });
      return;
    }
    const ct = req.headers['content-type'] ?? '';
    if (!ct.startsWith('application/json')) {
      send(res, 415, { ok: false, error: { code: 'bad-input', message: 'Send JSON (Content-Type: application/json)' } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_JSON_BYTES) {
        send(res, 413, { ok: false, error: { code: 'too-large', message: 'Request body too large' } });
        return;
      }
      chunks.push(c as Buffer);
    }
    let input: unknown = {};
    const body = Buffer.concat(chunks).toString('utf8');
    if (body.trim().length > 0) {
      try {
        input = JSON.parse(body);
      } catch {
        send(res, 400, { ok: false, error: { code: 'bad-input', message: 'Body is not valid JSON' } });
        return;
      }
    }
    send(res, 200, await opts.engine.call(name, input));
  }

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    const root = path.resolve(opts.staticDir);
    let rel = decodeURIComponent(pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    const type = MIME[path.extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CSP;
      headers['Cache-Control'] = 'no-store';
      headers['Referrer-Policy'] = 'no-referrer';
    }
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
