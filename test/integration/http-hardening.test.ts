/**
 * Browser mode lets nobody in but the page it served: every API call and the event stream need
 * the per-launch token, this server's own Host (no DNS rebinding) and no foreign Origin; static
 * files come only from the renderer's folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createBackend, type Backend } from '../../src-main/api/backend';
import { startServer, type RunningServer } from '../../src-main/server/http-server';
import { MAX_BUNDLE_REQUEST_BYTES } from '../../src-shared/bundle';
import { CONTENT_SECURITY_POLICY, CSP_META, TOKEN_HEADER } from '../../src-shared/transport';
import { tempDir } from '../support/fixtures';

const tmp = tempDir();
let backend: Backend;
let server: RunningServer;

before(async () => {
  const staticDir = join(tmp.dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Scorebench</title>');
  // Beside the renderer's folder: must never be served.
  writeFileSync(join(tmp.dir, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(tmp.dir, 'renderer-secret.txt'), 'TOP SECRET');
  backend = await createBackend({ dbPath: join(tmp.dir, 'server.sqlite') });
  server = await startServer({ backend, staticDir });
});
after(async () => {
  await server.close();
  await backend.close();
  tmp.cleanup();
});

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** A raw request: the path is sent as written, and Host/Origin are whatever the test says. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // The event stream stays open: its first bytes are enough.
          if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const call = (headers: Record<string, string>) => send('POST', '/api/listRuns', { 'content-type': 'application/json', ...headers }, '{}');
const events = (query: string, headers: Record<string, string> = {}) => send('GET', `/api/events${query}`, headers);
const good = () => ({ [TOKEN_HEADER]: server.token });

test('an API call with the token, from this origin, is answered', async () => {
  const ok = await call(good());
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(JSON.parse(ok.body), { ok: true, result: [] });
  assert.equal((await call({ ...good(), origin: `http://127.0.0.1:${server.port}` })).status, 200);
});

test('API calls without the token, or with a wrong one, are refused with 401', async () => {
  assert.equal((await call({})).status, 401);
  assert.equal((await call({ [TOKEN_HEADER]: 'wrong' })).status, 401);
  assert.equal((await call({ [TOKEN_HEADER]: `${server.token}x` })).status, 401);
  assert.equal((await call({ [TOKEN_HEADER]: server.token.toUpperCase() })).status, 401);
  // In the query string it does not count for calls: only the event stream takes it there.
  assert.equal((await send('POST', `/api/listRuns?token=${server.token}`, {}, '{}')).status, 401);
});

test('a request for another Host (DNS rebinding) is refused with 403, token or not', async () => {
  for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1.evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`]) {
    assert.equal((await call({ ...good(), host })).status, 403, `API, Host ${host}`);
    assert.equal((await events(`?token=${server.token}`, { host })).status, 403, `events, Host ${host}`);
    assert.equal((await send('GET', '/', { host })).status, 403, `page, Host ${host}`);
  }
});

test('a request from a foreign Origin is refused with 403, token or not', async () => {
  for (const origin of ['http://evil.example', `http://evil.example:${server.port}`, `https://127.0.0.1:${server.port}`, 'null']) {
    assert.equal((await call({ ...good(), origin })).status, 403, `API, Origin ${origin}`);
    assert.equal((await events(`?token=${server.token}`, { origin })).status, 403, `events, Origin ${origin}`);
  }
});

test('the event stream needs the token too', async () => {
  assert.equal((await events('')).status, 401);
  assert.equal((await events('?token=wrong')).status, 401);
  assert.equal((await events('', good())).status, 401, 'the stream takes the token from its URL (EventSource sends no headers)');
  const open = await events(`?token=${server.token}`);
  assert.equal(open.status, 200);
  assert.match(open.type, /^text\/event-stream/);
});

test('static files come only from the renderer folder: traversal is refused, never served', async () => {
  const index = await send('GET', '/');
  assert.equal(index.status, 200);
  assert.match(index.body, /<title>Scorebench/);
  for (const path of [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/..%2frenderer-secret.txt',
    `/${'..%2f'.repeat(12)}etc%2fpasswd`,
  ]) {
    const reply = await send('GET', path);
    assert.doesNotMatch(reply.body, /TOP SECRET|root:/, `${path} leaked a file`);
    assert.ok([200, 403, 404].includes(reply.status), `${path}: ${reply.status}`);
    if (reply.status === 200) assert.match(reply.body, /<title>Scorebench/, `${path} falls back to the app`);
  }
  assert.equal((await send('GET', '/..%2fsecret.txt')).status, 403);
  assert.equal((await send('GET', '/%E0%A4%A')).status, 400, 'a malformed escape is a bad request, not a crash');
  assert.equal((await send('POST', '/index.html')).status, 405);
});

test('static files carry the one Content-Security-Policy, the meta tag policy plus frame-ancestors', async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/index.html`);
  await res.text();
  assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(CONTENT_SECURITY_POLICY, `${CSP_META}; frame-ancestors 'none'`);
});

/**
 * A POST of `bytes` bytes of blanks, written a megabyte at a time as the socket takes them; with
 * `declared`, the length is announced in Content-Length, else the body is chunked.
 */
function sendBlanks(path: string, bytes: number, declared: boolean): Promise<Reply> {
  const chunk = Buffer.alloc(1 << 20, 0x20);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', [TOKEN_HEADER]: server.token };
    if (declared) headers['content-length'] = String(bytes);
    const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text }));
    });
    req.on('error', reject);
    let left = bytes;
    const write = () => {
      while (left > 0) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        if (!req.write(part)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

test('a body over the limit gets the 413 JSON error naming the limit, never a reset', async () => {
  for (const declared of [false, true]) {
    const reply = await sendBlanks('/api/listRuns', (1 << 20) + 1, declared);
    assert.equal(reply.status, 413, reply.body);
    assert.deepEqual(JSON.parse(reply.body), { ok: false, error: { code: 'invalid-argument', message: `request body: larger than ${1 << 20} bytes` } });
  }
  // The server goes on answering.
  assert.equal((await call(good())).status, 200);
});

test('a bundle import one byte over the shared bundle limit gets the 413 JSON error, never a reset', async () => {
  const reply = await sendBlanks('/api/importRunBundle', MAX_BUNDLE_REQUEST_BYTES + 1, false);
  assert.equal(reply.status, 413, reply.body);
  assert.deepEqual(JSON.parse(reply.body), {
    ok: false,
    error: { code: 'invalid-argument', message: `request body: larger than ${MAX_BUNDLE_REQUEST_BYTES} bytes` },
  });
});

test('a client that disconnects before its reply aborts the call it made', async () => {
  let reached!: (signal: AbortSignal) => void;
  const called = new Promise<AbortSignal>((resolve) => (reached = resolve));
  // A backend whose calls never answer on their own: only the abort ends them.
  const stalled = {
    call: (_method: string, _args: unknown, call?: { signal?: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        const signal = call?.signal ?? new AbortController().signal;
        signal.addEventListener('abort', () => reject(signal.reason as Error));
        reached(signal);
      }),
    events: { subscribe: () => () => {} },
  } as unknown as Backend;
  const other = await startServer({ backend: stalled, staticDir: join(tmp.dir, 'renderer') });
  try {
    const req = request({
      host: '127.0.0.1',
      port: other.port,
      method: 'POST',
      path: '/api/getCurves',
      headers: { host: `127.0.0.1:${other.port}`, 'content-type': 'application/json', [TOKEN_HEADER]: other.token },
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ runIds: [1] }));
    const signal = await called;
    assert.equal(signal.aborted, false);
    const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve));
    req.destroy();
    await aborted;
    assert.match(String((signal.reason as Error).message), /client disconnected/);
  } finally {
    await other.close();
  }
});
