// aws-chunked bodies: the AWS documentation's published examples byte for byte, what the real S3
// client sends, and chunk-signed bodies whose every signature comes from @smithy/signature-v4's
// own key derivation (not ours), so our signer agreeing with our verifier proves nothing alone.

import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { decodeAwsChunked, isAwsChunked, withoutAwsChunked } from '../../src/protocols/aws-chunked.js';
import { checksum, CHECKSUM_ALGORITHMS, checksumHeaderName } from '../../src/protocols/checksums.js';
import {
  deriveSigningKey, EMPTY_SHA256, isAuthProblem, parseAuthorization, payloadHashFor, verifySignature,
  type ParsedAuth, type SignedRequest,
} from '../../src/protocols/sigv4.js';
import { NodeSha256 } from '../support/node-sha256.js';


const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function verified(req: SignedRequest, secret: string, now: Date) {
  const auth = parseAuthorization(req);
  assert.ok(auth && !isAuthProblem(auth), JSON.stringify(auth));
  const hash = payloadHashFor(req, Buffer.alloc(0));
  assert.ok(hash.ok);
  const result = verifySignature(req, auth, secret, hash.payloadHash, now, { s3: true });
  assert.ok(result.ok, JSON.stringify(result));
  return { auth, result };
}

function decode(body: Buffer, req: SignedRequest, signing?: { signingKey: Buffer; seedSignature: string; auth: ParsedAuth }) {
  return decodeAwsChunked(body, String(req.headers['x-amz-content-sha256']), {
    ...signing, decodedLength: req.headers['x-amz-decoded-content-length'] as string, trailer: req.headers['x-amz-trailer'] as string | undefined,
  });
}

function refusedAs(result: ReturnType<typeof decodeAwsChunked>, kind: string, code: string, status: number) {
  assert.equal(result.ok, false, `expected ${kind}`);
  const p = (result as { problem: { kind: string; code: string; status: number; s3: { code: string } } }).problem;
  assert.deepEqual([p.kind, p.code, p.status], [kind, code, status]);
}

// ---- The AWS documentation's examples ------------------------------------------------------

const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DOC_DATA = Buffer.alloc(66_560, 'a');
const DOC_REQUEST: SignedRequest = {
  method: 'PUT', rawPath: '/examplebucket/chunkObject.txt', rawQuery: '',
  headers: {
    host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560', 'content-length': '66824',
  },
};
const DOC_SIGS = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];
const docBody = (sigs: string[], tail = '\r\n') => Buffer.concat([
  Buffer.from(`10000;chunk-signature=${sigs[0]}\r\n`), DOC_DATA.subarray(0, 65_536),
  Buffer.from(`\r\n400;chunk-signature=${sigs[1]}\r\n`), DOC_DATA.subarray(65_536),
  Buffer.from(`\r\n0;chunk-signature=${sigs[2]}\r\n${tail}`),
]);

test("the AWS documentation's chunk-signed PUT verifies and decodes, signature by signature", () => {
  const { auth, result } = verified(DOC_REQUEST, DOC_SECRET, new Date('2013-05-24T00:00:30Z'));
  assert.ok(result.ok);
  const body = docBody(DOC_SIGS);
  assert.equal(body.length, 66_824, 'the documented Content-Length');
  const decoded = decode(body, DOC_REQUEST, { ...result, auth });
  assert.ok(decoded.ok, JSON.stringify(decoded));
  assert.deepEqual([decoded.body.equals(DOC_DATA), decoded.trailers], [true, {}]);

  for (let i = 0; i < 3; i++) {
    const sigs = [...DOC_SIGS];
    sigs[i] = sigs[i]!.slice(0, 63) + (sigs[i]!.endsWith('0') ? '1' : '0');
    refusedAs(decode(docBody(sigs), DOC_REQUEST, { ...result, auth }), 'ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', 403);
  }
  const changed = docBody(DOC_SIGS);
  changed[66_000] = 0x62;
  refusedAs(decode(changed, DOC_REQUEST, { ...result, auth }), 'ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', 403);
});

test("the AWS documentation's chunk-signed PUT with a signed trailing CRC32C decodes", () => {
  const auth = { amzDate: '20130524T000000Z', credentialScope: '20130524/us-east-1/s3/aws4_request' } as ParsedAuth;
  const signing = { signingKey: deriveSigningKey(DOC_SECRET, '20130524', 'us-east-1', 's3'), seedSignature: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e', auth };
  const sigs = ['b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2', '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7', '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992'];
  const trailer = 'x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n';
  const opts = { ...signing, decodedLength: '66560', trailer: 'x-amz-checksum-crc32c' };
  const mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
  const decoded = decodeAwsChunked(docBody(sigs, trailer), mode, opts);
  assert.ok(decoded.ok, JSON.stringify(decoded));
  assert.deepEqual(decoded.trailers, { 'x-amz-checksum-crc32c': 'sOO8/Q==' });
  assert.equal(checksum('CRC32C', decoded.body), 'sOO8/Q==');
  // The form some clients write: LF after the checksum line, then a CRLF.
  assert.ok(decodeAwsChunked(docBody(sigs, trailer.replace('Q==\r\n', 'Q==\n\r\n')), mode, opts).ok);
  refusedAs(decodeAwsChunked(docBody(sigs, trailer.replace('sOO8/Q==', 'sOO8/A==')), mode, opts), 'ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', 403);
  refusedAs(decodeAwsChunked(docBody(sigs, trailer.replace(/x-amz-trailer-signature:.*\r\n/, '')), mode, opts), 'MalformedChunk', 'InvalidRequest', 400);
});

// ---- The real S3 client ---------------------------------------------------------------------

async function captureS3(input: ConstructorParameters<typeof PutObjectCommand>[0]) {
  let seen: { method: string; path: string; query: Record<string, string>; headers: Record<string, string | undefined>; body: unknown } | undefined;
  const client = new S3Client({
    region: 'us-west-2', endpoint: 'http://localhost:4566', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: { handle: async (req: typeof seen) => { seen = req; throw new Error('captured'); } },
  });
  await client.send(new PutObjectCommand(input)).catch((e: Error) => { if (e.message !== 'captured') throw e; });
  assert.ok(seen);
  const chunks: Buffer[] = [];
  for await (const c of seen.body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(c));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(seen.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
  const rawQuery = Object.entries(seen.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return { req: { method: seen.method, rawPath: seen.path, rawQuery, headers }, body: Buffer.concat(chunks) };
}

test('a streamed PutObject from the S3 client verifies, decodes, and its trailing checksum is ours', async () => {
  const data = randomBytes(50_000);
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const parts = [data.subarray(0, 7), data.subarray(7, 30_000), data.subarray(30_000)];
    const { req, body } = await captureS3({ Bucket: 'b', Key: `k ${algorithm}`, Body: Readable.from(parts), ContentLength: data.length, ChecksumAlgorithm: algorithm });
    assert.equal(req.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.ok(isAwsChunked(req.headers));
    const { auth } = verified(req, 'test', (parseAuthorization(req) as ParsedAuth).date);
    assert.equal(auth.region, 'us-west-2');
    const decoded = decode(body, req);
    assert.ok(decoded.ok, JSON.stringify(decoded));
    assert.ok(decoded.body.equals(data));
    assert.deepEqual(decoded.trailers, { [checksumHeaderName(algorithm)]: checksum(algorithm, data) }, algorithm);
  }
});

test('what the JavaScript SDK sends with no checksum to add, a bare 0 chunk, is whole', () => {
  const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\n');
  const decoded = decodeAwsChunked(body, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', { decodedLength: '11' });
  assert.ok(decoded.ok);
  assert.equal(decoded.body.toString(), 'hello world');
});

// ---- Chunk-signed bodies from the smithy signer ---------------------------------------------

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'smithy-secret' };
const WHEN = new Date('2024-03-10T12:00:00Z');
type Mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

/** A chunk-signed upload: headers signed by smithy, every chunk signed with smithy's signString. */
async function chunkSigned(data: Buffer, chunkSize: number, mode: Mode, trailers: Record<string, string> = {}) {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: CREDS, sha256: NodeSha256, uriEscapePath: false });
  const headers: Record<string, string> = {
    host: 'localhost:4566', 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': mode,
    'x-amz-decoded-content-length': String(data.length),
  };
  if (Object.keys(trailers).length) headers['x-amz-trailer'] = Object.keys(trailers).join(',');
  const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: 'localhost', path: '/b/big.bin', query: {}, headers }, { signingDate: WHEN });
  const req: SignedRequest = { method: 'PUT', rawPath: '/b/big.bin', rawQuery: '', headers: signed.headers };
  let previous = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
  const prefix = `20240310T120000Z\n20240310/us-east-1/s3/aws4_request\n`;
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  chunks.push(Buffer.alloc(0));
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    previous = await signer.sign(`AWS4-HMAC-SHA256-PAYLOAD\n${prefix}${previous}\n${EMPTY_SHA256}\n${sha256(chunk)}`, { signingDate: WHEN });
    out.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk, Buffer.from(chunk.length ? '\r\n' : ''));
  }
  if (mode.endsWith('TRAILER')) {
    const canonical = Object.entries(trailers).map(([k, v]) => `${k}:${v}\n`).join('');
    const sig = await signer.sign(`AWS4-HMAC-SHA256-TRAILER\n${prefix}${previous}\n${sha256(canonical)}`, { signingDate: WHEN });
    out.push(Buffer.from(canonical.replace(/\n/g, '\r\n') + `x-amz-trailer-signature:${sig}\r\n`));
  }
  out.push(Buffer.from('\r\n'));
  const { auth, result } = verified(req, CREDS.secretAccessKey, WHEN);
  assert.ok(result.ok);
  return { req, body: Buffer.concat(out), signing: { signingKey: result.signingKey, seedSignature: result.seedSignature, auth } };
}

test('chunk-signed bodies decode at any chunk size, with and without a signed trailer', async () => {
  const data = randomBytes(20_000);
  for (const size of [1, 1000, 8192, 20_000, 30_000]) {
    const small = size === 1 ? data.subarray(0, 200) : data;
    const { req, body, signing } = await chunkSigned(small, size, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    const decoded = decode(body, req, signing);
    assert.ok(decoded.ok, `${size}: ${JSON.stringify(decoded)}`);
    assert.ok(decoded.body.equals(small));
  }
  const trailers = { 'x-amz-checksum-crc64nvme': checksum('CRC64NVME', data) };
  const { req, body, signing } = await chunkSigned(data, 8192, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', trailers);
  const decoded = decode(body, req, signing);
  assert.ok(decoded.ok, JSON.stringify(decoded));
  assert.deepEqual(decoded.trailers, trailers);
  const empty = await chunkSigned(Buffer.alloc(0), 8192, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  assert.ok(decode(empty.body, empty.req, empty.signing).ok);
});

test('a changed byte, a changed signature, swapped chunks or a changed trailer is SignatureDoesNotMatch', async () => {
  const data = randomBytes(4096 * 4);
  const trailers = { 'x-amz-checksum-sha256': checksum('SHA256', data) };
  const { req, body, signing } = await chunkSigned(data, 4096, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', trailers);
  const mismatch = (b: Buffer) => refusedAs(decode(b, req, signing), 'ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', 403);
  for (const at of [90, 5000, 16_000]) {
    const changed = Buffer.from(body);
    changed[at] = changed[at]! ^ 1;
    mismatch(changed);
  }
  const text = body.toString('latin1');
  const firstSig = /chunk-signature=([0-9a-f]{64})/.exec(text)![1]!;
  mismatch(Buffer.from(text.replace(firstSig, firstSig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))), 'latin1'));
  const [a, b, ...rest] = text.split(/(?=1000;chunk-signature=)/);
  mismatch(Buffer.from([b, a, ...rest].join(''), 'latin1'));
  mismatch(Buffer.from(text.replace(trailers['x-amz-checksum-sha256'], checksum('SHA256', Buffer.from('other'))), 'latin1'));
  // The wrong secret gives the wrong key, and the first chunk fails.
  refusedAs(decode(body, req, { ...signing, signingKey: deriveSigningKey('other', '20240310', 'us-east-1', 's3') }), 'ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', 403);
});

test('broken framing is InvalidRequest, a short body IncompleteBody, a wrong length IncompleteBody', async () => {
  const data = randomBytes(10_000);
  const { req, body, signing } = await chunkSigned(data, 4096, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const text = body.toString('latin1');
  const run = (b: Buffer | string, r = req) => decode(typeof b === 'string' ? Buffer.from(b, 'latin1') : b, r, signing);
  refusedAs(run(`zz${text}`), 'MalformedChunk', 'InvalidRequest', 400);
  refusedAs(run(text.replace(/;chunk-signature=[0-9a-f]{64}/, '')), 'MalformedChunk', 'InvalidRequest', 400);
  refusedAs(run(`${text}extra`), 'MalformedChunk', 'InvalidRequest', 400);
  refusedAs(run(text.replace(/\r\n(?=[0-9a-f]+;chunk)/, 'xx')), 'MalformedChunk', 'InvalidRequest', 400);
  refusedAs(run(body.subarray(0, 2000)), 'IncompleteBody', 'IncompleteBody', 400);
  refusedAs(run(body.subarray(0, text.lastIndexOf('0;chunk-signature='))), 'IncompleteBody', 'IncompleteBody', 400);
  const wrongLength = { ...req, headers: { ...req.headers, 'x-amz-decoded-content-length': '9999' } };
  refusedAs(run(body, wrongLength), 'DecodedLengthMismatch', 'IncompleteBody', 400);
  const noLength = { ...req, headers: { ...req.headers, 'x-amz-decoded-content-length': undefined } };
  refusedAs(run(body, noLength), 'MissingDecodedContentLength', 'MissingContentLength', 411);
});

test('a trailer promised in x-amz-trailer and not sent, or sent unpromised, is refused', () => {
  const body = (t: string) => Buffer.from(`3\r\nabc\r\n0\r\n${t}\r\n`);
  const mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const ok = decodeAwsChunked(body('x-amz-checksum-crc32:NSRBwg==\r\n'), mode, { decodedLength: 3, trailer: 'x-amz-checksum-crc32' });
  assert.ok(ok.ok);
  assert.equal(checksum('CRC32', ok.body), 'NSRBwg==');
  refusedAs(decodeAwsChunked(body(''), mode, { decodedLength: 3, trailer: 'x-amz-checksum-crc32' }), 'TrailerMismatch', 'InvalidRequest', 400);
  refusedAs(decodeAwsChunked(body('x-amz-checksum-crc32c:AAAAAA==\r\n'), mode, { decodedLength: 3, trailer: 'x-amz-checksum-crc32' }), 'TrailerMismatch', 'InvalidRequest', 400);
  refusedAs(decodeAwsChunked(body('no colon here\r\n'), mode, { decodedLength: 3 }), 'MalformedChunk', 'InvalidRequest', 400);
});

test('isAwsChunked and Content-Encoding without aws-chunked', () => {
  assert.equal(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' }), true);
  assert.equal(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), false);
  assert.equal(withoutAwsChunked('aws-chunked,gzip'), 'gzip');
  assert.equal(withoutAwsChunked('aws-chunked'), undefined);
});
