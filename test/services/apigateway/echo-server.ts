/** A local HTTP backend for integration tests: answers what it received, as JSON. */
import { after, before } from 'node:test';
import { createServer, type Server } from 'node:http';

export interface Echo { readonly url: string }

/** Starts an echo server for the current test file. `/status/<n>` answers status n. */
export function useEchoServer(): Echo {
  let server: Server | undefined;
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = /^\/status\/(\d{3})/.exec(req.url ?? '')?.[1];
        res.writeHead(status ? Number(status) : 200, { 'content-type': 'application/json', 'x-backend': 'echo' });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const addr = server!.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  return { get url() { return url; } };
}
