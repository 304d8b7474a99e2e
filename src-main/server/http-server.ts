/**
 * Browser mode: the same API over HTTP (calls) and server-sent events (events), plus the built
 * renderer as static files. Bound to 127.0.0.1 only; every API request must carry the random
 * per-launch token, and Host/Origin must be this server's own (no DNS rebinding, no other site).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { API_METHODS, ApiError, type ApiMethod } from '../../src-shared/api';
import { MAX_BUNDLE_REQUEST_BYTES } from '../../src-shared/bundle';
import { API_PREFIX, CONTENT_SECURITY_POLICY, EVENTS_PATH, TOKEN_HEADER, TOKEN_QUERY, type CallReply } from '../../src-shared/transport';
import type { Backend } from '../api/backend';

export interface ServerOptions {
  backend: Backend;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: carries the token. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
/** Calls whose argument is a whole document: a run bundle holds curves, data and weights. */
const LARGE_BODY_BYTES: Partial<Record<ApiMethod, number>> = { importRunBundle: MAX_BUNDLE_REQUEST_BYTES };
const HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export async function startServer({ backend, staticDir, port = 0, token }: ServerOptions): Promise<RunningServer> {
  const secret = token ?? randomBytes(24).toString('hex');
  const streams = new Set<ServerResponse>();
  let actualPort = 0;

  const tokenMatches = (given: string | null | undefined) => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(secret);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  // Only our own origin: a page on any other site (or a rebinding DNS name) is refused.
  const hostAllowed = (req: IncomingMessage) => {
    const host = req.headers.host;
    return host === `${HOST}:${actualPort}` || host === `localhost:${actualPort}`;
  };
  const originAllowed = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${HOST}:${actualPort}` || origin === `http://localhost:${actualPort}`;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, errorReply('internal', err.message));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (!hostAllowed(req)) return sendJson(res, 403, errorReply('invalid-argument', 'Host header not allowed'));
    if (!originAllowed(req)) return sendJson(res, 403, errorReply('invalid-argument', 'Origin not allowed'));

    if (url.pathname === EVENTS_PATH) {
      if (!tokenMatches(url.searchParams.get(TOKEN_QUERY)))
        return sendJson(res, 401, errorReply('invalid-argument', 'missing or wrong token'));
      return openEventStream(res);
    }
    if (url.pathname.startsWith(API_PREFIX)) {
      const header = req.headers[TOKEN_HEADER];
      if (!tokenMatches(typeof header === 'string' ? header : null))
        return sendJson(res, 401, errorReply('invalid-argument', 'missing or wrong token'));
      if (req.method !== 'POST') return sendJson(res, 405, errorReply('invalid-argument', 'API calls are POST'));
      const method = url.pathname.slice(API_PREFIX.length);
      if (!(API_METHODS as string[]).includes(method))
        return sendJson(res, 404, errorReply('not-found', `unknown method: ${method}`));
      let args: unknown;
      try {
        const body = await readBody(req, LARGE_BODY_BYTES[method as ApiMethod] ?? MAX_BODY_BYTES);
        args = body.length ? JSON.parse(body) : {};
      } catch (err) {
        if (err instanceof BodyTooLarge) return sendJson(res, 413, errorReply('invalid-argument', `request body: ${err.message}`), { connection: 'close' });
        return sendJson(res, 400, errorReply('invalid-argument', `request body: ${(err as Error).message}`));
      }
      // A client that disconnects before its reply aborts the call: work for nobody stops.
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort(new ApiError('invalid-argument', `${method}: the client disconnected`));
      });
      try {
        const result = await backend.call(method as ApiMethod, args, { signal: gone.signal });
        if (gone.signal.aborted) return;
        return sendJson(res, 200, { ok: true, result });
      } catch (err) {
        if (gone.signal.aborted) return;
        const error = ApiError.from(err).toShape();
        return sendJson(res, statusFor(error.code), { ok: false, error });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, errorReply('invalid-argument', 'GET only'));
    return serveStatic(url.pathname, res);
  }

  function openEventStream(res: ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = backend.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    res.on('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  }

  function serveStatic(pathname: string, res: ServerResponse) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendJson(res, 400, errorReply('invalid-argument', 'malformed path'));
    }
    const relative = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const root = normalize(staticDir + sep);
    const file = normalize(join(root, relative));
    // Nothing outside the renderer's folder is served.
    if (!file.startsWith(root)) return sendJson(res, 403, errorReply('invalid-argument', 'path outside the app'));
    const target = existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
    if (!existsSync(target)) return sendJson(res, 404, errorReply('not-found', 'renderer not built: run "npm run build"'));
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${actualPort}/`;
  return {
    url,
    openUrl: `${url}?${TOKEN_QUERY}=${secret}`,
    token: secret,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function errorReply(code: ApiError['code'], message: string): CallReply {
  return { ok: false, error: { code, message } };
}

function statusFor(code: ApiError['code']): number {
  switch (code) {
    case 'invalid-argument':
    case 'invalid-config':
      return 400;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    default:
      return 500;
  }
}

function sendJson(res: ServerResponse, status: number, body: CallReply, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** A request body over the call's limit: answered 413. */
class BodyTooLarge extends Error {
  constructor(maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/**
 * The request body as text, at most `maxBytes`. An oversized body is read to its end and dropped
 * (not kept) before the refusal settles: a server that closes the socket while the client is still
 * sending makes the client see a reset instead of the 413 reply. The server's request timeout
 * still bounds a body that never ends.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length']) > maxBytes;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge(maxBytes)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
