// Drydock's bootstrap for the nodejs* runtimes: a Lambda Runtime API client in one small file
// (no dependencies, so a cold start costs little more than starting node). It loads the
// handler (CommonJS or ES module, async or callback style), then loops: take the next event,
// run the handler with a context object, post the result or the error. Drydock gives it the
// Runtime API as a framed pipe on a file descriptor (src/services/lambda/channel.ts: fewer
// writes and no HTTP parsing per invocation); without one it speaks HTTP like any client.
import http from 'node:http';
import net from 'node:net';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const write = (s) => process.stdout.write(s);

// Drydock keeps stdin open: when it goes away, so does this environment.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

// Reading the resident set size is a file read (/proc): taken at most every 50 ms, so a busy
// environment does not pay it on every invocation (Max Memory Used is a maximum over the
// environment's life anyway, sampled as on Lambda).
let rssMb = 0;
let rssAt = -Infinity;
const memoryMb = () => {
  const now = performance.now();
  if (now - rssAt >= 50) { rssAt = now; rssMb = Math.ceil(process.memoryUsage.rss() / 1048576); }
  return rssMb;
};

/** The Runtime API over HTTP: `next()` long-polls, results are posted. */
function httpChannel() {
  const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
  // Two connections: the result is posted on one while the next poll already waits on a second,
  // so the next event can be handed over without waiting for the post's answer.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const req = http.request({ host, port, method, path: '/2018-06-01/runtime' + path, agent, headers: { ...headers, ...(data ? { 'content-length': data.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(data);
  });
  const post = (id, kind, body, headers) => call('POST', `/invocation/${id}/${kind}`, body, { ...headers, 'x-drydock-max-memory-mb': String(memoryMb()) }).catch(() => {});
  return {
    next: () => call('GET', '/invocation/next'),
    respond: (id, payload) => void post(id, 'response', payload, { 'content-type': 'application/json' }),
    fail: (id, body, type) => post(id, 'error', body, { 'lambda-runtime-function-error-type': type }),
    initError: (body, type) => call('POST', '/init/error', body, { 'lambda-runtime-function-error-type': type }).catch(() => {}),
  };
}

/**
 * The Runtime API as frames on the pipe Drydock gave: a result waits in `outbox` and leaves
 * in the same write as the `next` that follows it (one write, one wake-up of Drydock).
 */
function pipeChannel(fd) {
  const sock = new net.Socket({ fd, readable: true, writable: true });
  const frame = (header, body) => {
    const h = Buffer.from(JSON.stringify(header));
    const b = Buffer.from(body ?? '');
    const lens = Buffer.allocUnsafe(8);
    lens.writeUInt32BE(h.length, 0);
    lens.writeUInt32BE(b.length, 4);
    return [lens, h, b];
  };
  const NEXT = frame({ t: 'next' });
  const flush = (parts) => new Promise((resolve) => sock.write(Buffer.concat(parts), () => resolve()));
  let outbox = [];
  // Reads of a large event are listed and joined once it is whole, not at every read.
  let chunks = [];
  let length = 0;
  let need = 0;
  let waiting;
  const join = () => (chunks.length === 1 ? chunks[0] : (chunks = [Buffer.concat(chunks, length)])[0]);
  sock.on('data', (c) => {
    chunks.push(c);
    length += c.length;
    while (length >= 8) {
      if (need === 0) { const head = chunks[0].length >= 8 ? chunks[0] : join(); need = 8 + head.readUInt32BE(0) + head.readUInt32BE(4); }
      if (length < need) return;
      let buf = join();
      const hl = buf.readUInt32BE(0);
      const end = need;
      need = 0;
      const event = { headers: JSON.parse(buf.toString('utf8', 8, 8 + hl)), body: buf.toString('utf8', 8 + hl, end) };
      buf = buf.subarray(end);
      chunks = buf.length > 0 ? [buf] : [];
      length = buf.length;
      const w = waiting;
      waiting = undefined;
      w?.(event);
    }
  });
  sock.on('end', () => process.exit(0));
  sock.on('error', () => process.exit(0));
  return {
    next: () => {
      void flush([...outbox, ...NEXT]);
      outbox = [];
      return new Promise((resolve) => { waiting = resolve; });
    },
    respond: (id, payload) => { outbox = frame({ t: 'response', id, mem: memoryMb() }, payload); },
    // Errors leave at once: after an uncaught one the process exits instead of asking for more.
    fail: (id, body, type) => flush(frame({ t: 'error', id, type, mem: memoryMb() }, body)),
    initError: (body, type) => flush(frame({ t: 'init-error', type }, body)),
  };
}

const channelFd = process.env._DRYDOCK_RUNTIME_CHANNEL;
delete process.env._DRYDOCK_RUNTIME_CHANNEL;
const runtime = channelFd ? pipeChannel(Number(channelFd)) : httpChannel();

// console.* writes AWS's text format: time, request id, level, message.
let requestId = undefined;
for (const [name, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']]) {
  console[name] = (...args) => write(`${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${format(...args)}\n`);
}

function errorBody(e, fallbackType = 'Error') {
  if (e instanceof Error) {
    return { errorType: e.name && e.name !== 'Error' ? e.name : (e.constructor?.name ?? fallbackType), errorMessage: e.message, trace: String(e.stack ?? '').split('\n') };
  }
  return { errorType: typeof e === 'string' ? 'string' : fallbackType, errorMessage: typeof e === 'string' ? e : format(e), trace: [] };
}

async function initError(errorType, e) {
  const body = { ...errorBody(e), errorType };
  write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(body)}\n`);
  await runtime.initError(JSON.stringify(body), errorType);
  process.exit(1);
}

async function loadHandler() {
  const spec = process.env._HANDLER ?? '';
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const slash = spec.lastIndexOf('/');
  const dot = spec.indexOf('.', slash + 1);
  if (dot < 0) return initError('Runtime.MalformedHandlerName', new Error('Bad handler'));
  const modulePath = spec.slice(0, dot);
  const path = spec.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(root, modulePath + ext)).find((f) => existsSync(f));
  if (file === undefined) {
    return initError('Runtime.ImportModuleError', new Error(`Error: Cannot find module '${modulePath}'\nRequire stack:\n- /var/runtime/index.mjs`));
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    const type = e instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    return initError(e instanceof Error && e.code === 'ERR_MODULE_NOT_FOUND' ? 'Runtime.ImportModuleError' : type, e);
  }
  let fn = mod;
  for (const p of path) fn = fn?.[p] ?? (fn === mod ? mod.default?.[p] : undefined);
  if (typeof fn !== 'function') return initError('Runtime.HandlerNotFound', new Error(`${spec} is undefined or not exported`));
  return fn;
}

function contextFor(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const env = process.env;
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  if (headers['lambda-runtime-client-context']) ctx.clientContext = JSON.parse(headers['lambda-runtime-client-context']);
  if (headers['lambda-runtime-cognito-identity']) ctx.identity = JSON.parse(headers['lambda-runtime-cognito-identity']);
  return ctx;
}

/** Runs the handler once: a promise-returning handler or one that calls back, whichever answers first. */
function run(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const ok = (v) => { if (!settled) { settled = true; resolve(v); } };
    const fail = (e) => { if (!settled) { settled = true; reject(e); } };
    const callback = (err, value) => (err === undefined || err === null ? ok(value) : fail(err));
    ctx.done = callback;
    ctx.succeed = (v) => ok(v);
    ctx.fail = (e) => fail(e ?? new Error('handled'));
    try {
      const out = handler(event, ctx, callback);
      if (out && typeof out.then === 'function') out.then(ok, fail);
      else if (handler.length < 3) ok(out);
    } catch (e) {
      fail(e);
    }
  });
}

let current;
process.on('uncaughtException', (e) => void crash('Runtime.UncaughtException', e));
process.on('unhandledRejection', (e) => void crash('Runtime.UnhandledPromiseRejection', e));
async function crash(type, e) {
  const body = { ...errorBody(e), errorType: e instanceof Error ? e.name : type };
  write(`${new Date().toISOString()}\t${requestId}\tERROR\t${type} \t${JSON.stringify(body)}\n`);
  if (current) await runtime.fail(current, JSON.stringify(body), type);
  process.exit(1);
}

const handler = await loadHandler();
for (;;) {
  const next = await runtime.next();
  current = requestId = next.headers['lambda-runtime-aws-request-id'];
  const ctx = contextFor(next.headers);
  let result;
  try {
    const event = next.body === '' ? undefined : JSON.parse(next.body);
    result = await run(handler, event, ctx);
  } catch (e) {
    const body = errorBody(e);
    write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(body)}\n`);
    await runtime.fail(current, JSON.stringify(body), body.errorType);
    current = undefined;
    continue;
  }
  runtime.respond(current, result === undefined ? 'null' : JSON.stringify(result));
  current = undefined;
}
