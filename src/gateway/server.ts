import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Drydock } from './app.js';
import type { AppResponse } from './context.js';
import { isStreamBody } from '../protocols/body-file.js';
import { readRequestBody, removeSpoolFile, spoolFolder } from './spool.js';

/** Reads the body (in memory, or spooled to disk when large), answers, then drops the spool file. */
function onRequest(app: Drydock, req: IncomingMessage, res: ServerResponse, spoolDir: () => string): void {
  readRequestBody(req, spoolDir, (r) => {
    if (!r.ok) {
      if (!r.tooLarge) { failed(res, r.error); return; }
      res.writeHead(413, { 'content-type': 'application/xml', connection: 'close' });
      res.end('<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>');
      return;
    }
    const spooled = r.spooled;
    if (spooled) res.once('close', () => removeSpoolFile(spooled.path));
    let answer: AppResponse | Promise<AppResponse>;
    try {
      answer = app.answer({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: r.body, spooled, sourceIp: req.socket.remoteAddress });
      // Answered without waiting (most requests): written in this same turn.
      if (!(answer instanceof Promise)) {
        respond(req, res, answer);
        return;
      }
    } catch (e) {
      failed(res, e);
      return;
    }
    answer.then((response) => respond(req, res, response)).catch((e: unknown) => failed(res, e));
  });
}

function respond(req: IncomingMessage, res: ServerResponse, response: AppResponse): void {
  const isHead = req.method === 'HEAD';
  const body = response.body;
  const stream = isStreamBody(body) ? body : undefined;
  // writeHead with every header at once is Node's fast path (no setHeader bookkeeping); the
  // response's own headers object may be shared, so content-length goes into a copy (made by
  // Object.assign: a literal opening with a spread is about ten times slower on Node 20).
  let headers: Record<string, string | number> = response.headers;
  if (!isHead || headers['content-length'] === undefined) {
    headers = Object.assign({}, headers);
    headers['content-length'] = stream ? stream.size : Buffer.byteLength(body as Buffer | string);
  }
  res.writeHead(response.status, headers);
  if (isHead || !stream) {
    res.end(isHead ? undefined : body);
    return;
  }
  // A body on disk is piped: the socket's back-pressure paces the file reads.
  const source = stream.open();
  source.on('error', (e) => res.destroy(e));
  res.once('close', () => source.destroy());
  source.pipe(res);
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
  const spool = spoolFolder(app.stores.dataDir);
  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    try {
      onRequest(app, req, res, spool.path);
    } catch (e) {
      failed(res, e);
    }
  });
  server.on('close', () => spool.close());
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
