import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Drydock } from './app.js';
import type { AppResponse } from './context.js';

/** Largest request body Drydock buffers (S3's single PUT limit is 5 GB; local use stays far below). */
export const MAX_BODY_BYTES = Number(process.env['DRYDOCK_MAX_BODY_BYTES'] ?? 1024 * 1024 * 1024);

/** Reads the whole body with plain listeners (no promise per request), then answers. */
function onRequest(app: Drydock, req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) over = true;
    else chunks.push(c);
  });
  req.on('end', () => {
    if (over) {
      res.writeHead(413, { 'content-type': 'application/xml' });
      res.end('<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>');
      return;
    }
    const body = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? Buffer.alloc(0) : Buffer.concat(chunks);
    app.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, sourceIp: req.socket.remoteAddress })
      .then((response) => respond(req, res, response))
      .catch((e: unknown) => failed(res, e));
  });
  req.on('error', (e) => failed(res, e));
}

function respond(req: IncomingMessage, res: ServerResponse, response: AppResponse): void {
  const isHead = req.method === 'HEAD';
  // writeHead with every header at once is Node's fast path (no setHeader bookkeeping); the
  // response's own headers object may be shared, so content-length goes into a copy.
  let headers: Record<string, string | number> = response.headers;
  if (!isHead || headers['content-length'] === undefined) headers = { ...headers, 'content-length': Buffer.byteLength(response.body) };
  res.writeHead(response.status, headers);
  res.end(isHead ? undefined : response.body);
}

function failed(res: ServerResponse, e: unknown): void {
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ __type: 'InternalFailure', message: String(e) }));
}

/**
 * The HTTP adapter: a keep-alive `node:http` server in front of the app core. `Expect:
 * 100-continue` is answered by Node itself (no `checkContinue` listener), so uploads flow.
 */
export function listen(app: Drydock, port: number, host: string): Promise<Server> {
  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    try {
      onRequest(app, req, res);
    } catch (e) {
      failed(res, e);
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: thousands of clients connecting at once (a thundering herd) are queued, not reset.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      app.ready = true;
      const addr = server.address() as AddressInfo;
      if (app.endpoint === 'http://localhost:4566' || port === 0) app.endpoint = `http://${host === '127.0.0.1' ? 'localhost' : host}:${addr.port}`;
      resolve(server);
    });
  });
}
