// Runs one Drydock app core in a worker thread and answers `handle` calls posted by the fuzzer.
// A worker, not the test's own thread, so that a request which never returns (a synchronous
// loop in a parser) can be detected by a timeout and the worker terminated.

import { parentPort } from 'node:worker_threads';
import { isStreamBody, streamToBuffer } from '../../../src/protocols/body-file.js';

// asAwsError prints the stack of anything that would become a 500 when DRYDOCK_DEBUG is set;
// collect those lines and hand them back with the answer, so a report can name the throwing line.
process.env['DRYDOCK_DEBUG'] = '1';
const logs: string[] = [];
console.error = (...args: unknown[]): void => {
  logs.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
};
console.warn = console.error;

const { Drydock } = await import('../../../src/gateway/app.js');
const app = await Drydock.create();
app.ready = true;

export interface HostRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
}

const port = parentPort!;
port.on('message', async (msg: { id: number; req: HostRequest }) => {
  logs.length = 0;
  const t0 = performance.now();
  const { req } = msg;
  try {
    const body = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
    const res = await app.handle({ method: req.method, url: req.url, headers: req.headers, body, sourceIp: '127.0.0.1' });
    const out = typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : isStreamBody(res.body) ? await streamToBuffer(res.body) : Buffer.from(res.body);
    port.postMessage({
      id: msg.id, kind: 'response', status: res.status, headers: res.headers, body: out,
      bodyIsString: typeof res.body === 'string', logs: [...logs], ms: performance.now() - t0,
    });
  } catch (e) {
    port.postMessage({ id: msg.id, kind: 'thrown', error: e instanceof Error ? (e.stack ?? e.message) : String(e), logs: [...logs], ms: performance.now() - t0 });
  }
});
port.postMessage({ kind: 'ready' });
