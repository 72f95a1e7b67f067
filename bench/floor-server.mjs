/**
 * The floor: a `node:http` server that does only what an operation cannot do without, to show
 * how far below the bare peer (a canned answer) any faithful server must sit on this machine.
 * Each request is authenticated with Drydock's own SigV4 verifier (the issues ask for every
 * request to be verified), its body read with JSON.parse or URLSearchParams, the operation's
 * essential work done with node:crypto, and a fresh answer serialized. No routing, no model,
 * no validation, no authorization, no audit, no stores: Drydock does all of those on top.
 *
 * Plain JavaScript, run without a loader (so nothing but the work itself costs), after `npm run build`:
 *
 *   node bench/floor-server.mjs <port> <gci|kms-encrypt|sqs-send|sqs-receive|sqs-delete>
 */
import { createCipheriv, createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
// Drawn from a pool, as Drydock draws them: one call into OpenSSL's generator costs ~13 µs here.
import { randomBytes } from '../dist/core/random.js';
import { isAuthProblem, parseAuthorization, payloadHashFor, verifySignature } from '../dist/protocols/sigv4.js';

const ACCOUNT = '000000000000';
const json = (v) => ({ status: 200, type: 'application/x-amz-json-1.1', body: JSON.stringify(v) });

const key = randomBytes(32);
const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/2b4d5f1e-0a8c-4b5e-9d7f-3c2a1b0e9f8d`;
const keyHeader = Buffer.from(keyArn);
/** @type {{ id: string, body: string, md5: string, handle: string }[]} */
const messages = [];
const handles = new Map();
let received = 0;

/** Each takes the body and gives `{ status, type, body }`. */
const HANDLERS = {
  gci: (body) => {
    const form = new URLSearchParams(body.toString('latin1'));
    if (form.get('Action') !== 'GetCallerIdentity') return { status: 400, type: 'text/xml', body: '<ErrorResponse/>' };
    return {
      status: 200, type: 'text/xml',
      body: '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
        + `<Arn>arn:aws:iam::${ACCOUNT}:root</Arn><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account>`
        + `</GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
  },
  'kms-encrypt': (body) => {
    const input = JSON.parse(body.toString());
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(keyHeader);
    const sealed = Buffer.concat([keyHeader, iv, c.update(Buffer.from(input.Plaintext, 'base64')), c.final(), c.getAuthTag()]);
    return json({ CiphertextBlob: sealed.toString('base64'), KeyId: keyArn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  },
  'sqs-send': (body) => {
    const input = JSON.parse(body.toString());
    const m = { id: randomUUID(), body: input.MessageBody, md5: createHash('md5').update(input.MessageBody).digest('hex'), handle: '' };
    if (messages.length >= 100_000) messages.shift();
    messages.push(m);
    return json({ MD5OfMessageBody: m.md5, MessageId: m.id });
  },
  'sqs-receive': (body) => {
    JSON.parse(body.toString());
    const m = messages[received++ % messages.length];
    m.handle = randomBytes(90).toString('base64');
    if (handles.size >= 100_000) handles.clear();
    handles.set(m.handle, received);
    return json({ Messages: [{ MessageId: m.id, ReceiptHandle: m.handle, MD5OfBody: m.md5, Body: m.body }] });
  },
  'sqs-delete': (body) => {
    const input = JSON.parse(body.toString());
    handles.delete(Buffer.from(input.ReceiptHandle, 'base64').toString('base64'));
    return json({});
  },
};

/** SigV4 of the request, checked as Drydock checks it; undefined when it verifies. */
function authProblem(req, body) {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const signed = { method: req.method ?? 'GET', rawPath: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headers };
  const auth = parseAuthorization(signed);
  if (auth === undefined || isAuthProblem(auth)) return 'MissingAuthenticationToken';
  const hash = payloadHashFor(signed, body);
  if (!hash.ok) return hash.problem.code;
  const v = verifySignature(signed, auth, 'test', hash.payloadHash, new Date());
  return v.ok ? undefined : v.problem.code;
}

const [port, operation = 'gci'] = process.argv.slice(2);
const handler = HANDLERS[operation];
if (!handler) throw new Error(`floor-server: no operation ${operation}`);
for (let i = 0; i < 100; i++) HANDLERS['sqs-send'](Buffer.from(JSON.stringify({ MessageBody: `a message ${i}` })));

createServer({ keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/') { res.end('ok'); return; }
    const body = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const problem = authProblem(req, body);
    const a = problem ? { status: 403, type: 'application/json', body: JSON.stringify({ __type: problem }) } : handler(body);
    res.writeHead(a.status, { 'content-type': a.type, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(a.body) });
    res.end(a.body);
  });
}).listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
