/**
 * Large bodies stream to disk: a few hundred MB go up and come back without the process
 * holding them, ranges read only their bytes, checksums are verified on the way in, and a
 * refused upload leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand,
  HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { startDrydock } from '../../../src/embedded/index.js';
import { blobFolder } from '../../../src/services/s3/blobs.js';
import { checksum } from '../../../src/protocols/checksums.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { NodeSha256 } from '../../support/node-sha256.js';
import { failure, newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);
const MiB = 1024 * 1024;

/** Sixteen random MiB; piece `i` of a generated body is `PIECES[i % 16]`, so any range can be made again. */
const PIECES = Array.from({ length: 16 }, () => randomBytes(MiB));
const pieceAt = (i: number) => PIECES[i % 16]!;

/** `n` MiB as a stream, never all in memory; `seen` is fed each piece as it goes. */
function generated(n: number, seen?: (b: Buffer) => void): Readable {
  let i = 0;
  return new Readable({ read() { if (i < n) seen?.(pieceAt(i)); this.push(i < n ? pieceAt(i++) : null); } });
}

function bytesAt(start: number, size: number): Buffer {
  const out: Buffer[] = [];
  for (let pos = start; pos < start + size;) {
    const i = Math.floor(pos / MiB);
    const off = pos - i * MiB;
    const take = Math.min(MiB - off, start + size - pos);
    out.push(pieceAt(i).subarray(off, off + take));
    pos += take;
  }
  return Buffer.concat(out);
}

/** SHA-256 (hex) and CRC32 (base64) of what passes through `update`. */
function digester() {
  const sha = createHash('sha256');
  let c = 0;
  return {
    update: (b: Buffer) => { sha.update(b); c = crc32(b, c); },
    done: () => {
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(c >>> 0);
      return { sha256: sha.digest('hex'), crc32: crc.toString('base64') };
    },
  };
}

async function sha256Of(body: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of body) hash.update(c);
  return hash.digest('hex');
}

function blobs(): string[] {
  return readdirSync(blobFolder(h.dd.app.stores));
}

test('a 256 MB stream goes up with the SDK default CRC32 trailer and comes back whole and by range, memory staying flat', async () => {
  const Bucket = await newBucket(s3());
  const size = 256;
  const sent = digester();
  // A first large upload makes what later ones share (spool and blob folders), outside the measure.
  await s3().send(new PutObjectCommand({ Bucket, Key: 'warm-up', Body: generated(9), ContentLength: 9 * MiB }));
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  try {
    // A stream body: the SDK sends it aws-chunked with an x-amz-checksum-crc32 trailer.
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'big', Body: generated(size, sent.update), ContentLength: size * MiB }));
    const expected = sent.done();
    assert.equal(put.ChecksumCRC32, expected.crc32);
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'big', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ContentLength, size * MiB);
    assert.equal(head.ChecksumCRC32, expected.crc32);
    const start = 100 * MiB + 12345;
    const ranged = await s3().send(new GetObjectCommand({ Bucket, Key: 'big', Range: `bytes=${start}-${start + MiB - 1}` }));
    assert.equal(ranged.ContentRange, `bytes ${start}-${start + MiB - 1}/${size * MiB}`);
    assert.ok(Buffer.from(await ranged.Body!.transformToByteArray()).equals(bytesAt(start, MiB)));
    // Without the SDK's own CRC32 check of the response, which costs more than the transfer.
    const plain = new S3Client({ ...sdkConfig(h.dd, { forcePathStyle: true }), responseChecksumValidation: 'WHEN_REQUIRED' });
    const whole = await plain.send(new GetObjectCommand({ Bucket, Key: 'big' }));
    assert.equal(await sha256Of(whole.Body as AsyncIterable<Uint8Array>), expected.sha256);
  } finally {
    clearInterval(sampler);
  }
  // Client and server share this process: neither held the object.
  assert.ok(peak - before < 96 * MiB, `RSS grew by ${Math.round((peak - before) / MiB)} MiB for a ${size} MiB object`);
});

test('a wrong checksum or Content-MD5 on a large body is refused and nothing is kept', async () => {
  const Bucket = await newBucket(s3());
  const Body = bytesAt(0, 12 * MiB);
  const kept = blobs().length;
  const bad = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body, ChecksumSHA256: createHash('sha256').update('other').digest('base64') })));
  assert.equal(bad.name, 'BadDigest');
  const badMd5 = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body, ContentMD5: createHash('md5').update('other').digest('base64') })));
  assert.equal(badMd5.name, 'BadDigest');
  const malformed = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body, ChecksumCRC32: 'nope' })));
  assert.equal(malformed.name, 'InvalidRequest');
  assert.equal((await failure(() => s3().send(new HeadObjectCommand({ Bucket, Key: 'k' })))).name, 'NotFound');
  assert.equal(blobs().length, kept);
  const good = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body, ChecksumAlgorithm: 'SHA256' }));
  assert.equal(good.ChecksumSHA256, createHash('sha256').update(Body).digest('base64'));
  assert.equal(good.ETag, `"${createHash('md5').update(Body).digest('hex')}"`);
});

test('a large body gets the ETag and checksum of its bytes whichever algorithm the client names, or none', async () => {
  const Bucket = await newBucket(s3());
  // An odd size: the last piece is not a whole word, and socket pieces start anywhere.
  const Body = bytesAt(3, 8 * MiB + 5);
  const md5 = `"${createHash('md5').update(Body).digest('hex')}"`;
  // Signed payload, nothing named: S3's default CRC64NVME.
  const plain = new S3Client({ ...sdkConfig(h.dd, { forcePathStyle: true }), requestChecksumCalculation: 'WHEN_REQUIRED' });
  const none = await plain.send(new PutObjectCommand({ Bucket, Key: 'none', Body }));
  assert.equal(none.ETag, md5);
  assert.equal(none.ChecksumCRC64NVME, checksum('CRC64NVME', Body));
  for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: algorithm, Body, ChecksumAlgorithm: algorithm }));
    assert.equal(put.ETag, md5, algorithm);
    assert.equal(put[`Checksum${algorithm}`], checksum(algorithm, Body), algorithm);
  }
});

test('large parts, their completed object and its copy are files; deleting gives the files back', async () => {
  const Bucket = await newBucket(s3());
  const kept = blobs().length;
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp', ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }));
  const parts = [bytesAt(0, 9 * MiB), bytesAt(9 * MiB, 3 * MiB)];
  const etags = [];
  for (const [i, Body] of parts.entries()) etags.push((await s3().send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: i + 1, Body }))).ETag!);
  const whole = Buffer.concat(parts);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(whole) >>> 0);
  const done = await s3().send(new CompleteMultipartUploadCommand({
    Bucket, Key: 'mp', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  assert.match(done.ETag!, /-2"$/);
  assert.equal(done.ChecksumCRC32, crc.toString('base64'));
  const sha = createHash('sha256').update(whole).digest('hex');
  assert.equal(await sha256Of((await s3().send(new GetObjectCommand({ Bucket, Key: 'mp' }))).Body as AsyncIterable<Uint8Array>), sha);
  const part2 = await s3().send(new GetObjectCommand({ Bucket, Key: 'mp', PartNumber: 2 }));
  assert.ok(Buffer.from(await part2.Body!.transformToByteArray()).equals(parts[1]!));
  await s3().send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/mp` }));
  assert.equal(await sha256Of((await s3().send(new GetObjectCommand({ Bucket, Key: 'copy' }))).Body as AsyncIterable<Uint8Array>), sha);
  // The object (the 9 MiB part was a file too, until the upload completed) and its copy.
  assert.equal(blobs().length, kept + 2);
  // A copy of a single-part object shares its file; each outlives the other's deletion.
  await s3().send(new CopyObjectCommand({ Bucket, Key: 'copy2', CopySource: `${Bucket}/copy` }));
  assert.equal(blobs().length, kept + 3);
  await s3().send(new DeleteObjectCommand({ Bucket, Key: 'mp' }));
  await s3().send(new DeleteObjectCommand({ Bucket, Key: 'copy' }));
  assert.equal(await sha256Of((await s3().send(new GetObjectCommand({ Bucket, Key: 'copy2' }))).Body as AsyncIterable<Uint8Array>), sha);
  await s3().send(new DeleteObjectCommand({ Bucket, Key: 'copy2' }));
  assert.equal(blobs().length, kept);
});

test('a large SSE-KMS object is sealed on disk and read back whole and by unaligned ranges', async () => {
  const Bucket = await newBucket(s3());
  const Body = bytesAt(3 * MiB, 10 * MiB);
  await s3().send(new PutObjectCommand({ Bucket, Key: 'secret', Body, ServerSideEncryption: 'aws:kms' }));
  const whole = await s3().send(new GetObjectCommand({ Bucket, Key: 'secret' }));
  assert.equal(whole.ServerSideEncryption, 'aws:kms');
  assert.ok(Buffer.from(await whole.Body!.transformToByteArray()).equals(Body));
  for (const [a, b] of [[0, 0], [17, 4100], [5 * MiB - 3, 6 * MiB + 30], [10 * MiB - 5, 10 * MiB - 1]] as const) {
    const r = await s3().send(new GetObjectCommand({ Bucket, Key: 'secret', Range: `bytes=${a}-${b}` }));
    assert.ok(Buffer.from(await r.Body!.transformToByteArray()).equals(Body.subarray(a, b + 1)), `range ${a}-${b}`);
  }
  await s3().send(new CopyObjectCommand({ Bucket, Key: 'plain', CopySource: `${Bucket}/secret`, ServerSideEncryption: 'AES256' }));
  assert.ok(Buffer.from(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'plain' }))).Body!.transformToByteArray()).equals(Body));
});

test('an acknowledged large object survives a restart with a data directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-s3-large-'));
  try {
    let dd = await startDrydock({ dataDir: dir });
    const Bucket = await newBucket(s3Client(dd));
    const sent = digester();
    await s3Client(dd).send(new PutObjectCommand({ Bucket, Key: 'big', Body: generated(20, sent.update), ContentLength: 20 * MiB }));
    await dd.stop();
    dd = await startDrydock({ dataDir: dir });
    try {
      const got = await s3Client(dd).send(new GetObjectCommand({ Bucket, Key: 'big' }));
      assert.equal(await sha256Of(got.Body as AsyncIterable<Uint8Array>), sent.done().sha256);
      assert.equal(readdirSync(join(dir, 's3-blobs')).length, 1);
    } finally {
      await dd.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A chunk-signed PUT (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER) as raw HTTP: headers signed by
 * smithy's signer, every chunk and the trailer signed with its signString.
 */
async function chunkSignedPut(url: URL, data: Buffer, trailers: Record<string, string>, tamper?: (body: Buffer) => void): Promise<Response> {
  const when = new Date();
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: NodeSha256, uriEscapePath: false });
  const headers: Record<string, string> = {
    host: url.host, 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': Object.keys(trailers).join(','),
  };
  const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers }, { signingDate: when });
  let previous = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
  const stamp = signed.headers['x-amz-date']!;
  const prefix = `${stamp}\n${stamp.slice(0, 8)}/us-east-1/s3/aws4_request\n`;
  const hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  const out: Buffer[] = [];
  const chunkSize = 1024 * 1024 + 17;
  for (let i = 0; ; i += chunkSize) {
    const chunk = data.subarray(i, i + chunkSize);
    previous = await signer.sign(`AWS4-HMAC-SHA256-PAYLOAD\n${prefix}${previous}\n${hex('')}\n${hex(chunk)}`, { signingDate: when });
    out.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk, Buffer.from(chunk.length ? '\r\n' : ''));
    if (!chunk.length) break;
  }
  const canonical = Object.entries(trailers).map(([k, v]) => `${k}:${v}\n`).join('');
  const sig = await signer.sign(`AWS4-HMAC-SHA256-TRAILER\n${prefix}${previous}\n${hex(canonical)}`, { signingDate: when });
  out.push(Buffer.from(`${canonical.replace(/\n/g, '\r\n')}x-amz-trailer-signature:${sig}\r\n\r\n`));
  const body = Buffer.concat(out);
  tamper?.(body);
  return fetch(url, { method: 'PUT', headers: signed.headers, body });
}

test('a large chunk-signed upload is unframed as it streams to disk, each signature and the trailer checksum checked', async () => {
  const Bucket = await newBucket(s3());
  const data = bytesAt(MiB, 10 * MiB + 5);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data) >>> 0);
  const url = (key: string) => new URL(`${h.dd.endpoint}/${Bucket}/${key}`);
  const ok = await chunkSignedPut(url('good'), data, { 'x-amz-checksum-crc32': crc.toString('base64') });
  assert.equal(ok.status, 200, await ok.text());
  assert.ok(Buffer.from(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'good' }))).Body!.transformToByteArray()).equals(data));
  const kept = blobs().length;
  // A byte changed in the sixth chunk: its signature no longer matches.
  const tampered = await chunkSignedPut(url('bad-sig'), data, { 'x-amz-checksum-crc32': crc.toString('base64') }, (b) => { b[5 * MiB + 9000]! ^= 1; });
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  // Well signed, but the trailer's checksum is not the body's.
  const wrong = await chunkSignedPut(url('bad-sum'), data, { 'x-amz-checksum-crc32': 'AAAAAA==' });
  assert.equal(wrong.status, 400);
  assert.match(await wrong.text(), /<Code>BadDigest<\/Code>/);
  assert.equal(blobs().length, kept);
  for (const Key of ['bad-sig', 'bad-sum']) assert.equal((await failure(() => s3().send(new HeadObjectCommand({ Bucket, Key })))).name, 'NotFound');
});

/** An unsigned aws-chunked PUT (STREAMING-UNSIGNED-PAYLOAD-TRAILER) as raw HTTP, as SDKs stream over plain HTTP. */
async function unsignedChunkedPut(url: URL, data: Buffer, trailer: string): Promise<Response> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: NodeSha256, uriEscapePath: false });
  const headers: Record<string, string> = {
    host: url.host, 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': 'x-amz-checksum-crc32',
  };
  const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers });
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += MiB) {
    const chunk = data.subarray(i, i + MiB);
    out.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`0\r\nx-amz-checksum-crc32:${trailer}\r\n\r\n`));
  return fetch(url, { method: 'PUT', headers: signed.headers, body: Buffer.concat(out) });
}

test('a large unsigned aws-chunked upload has its trailer checksum checked as it streams to disk', async () => {
  const Bucket = await newBucket(s3());
  const data = bytesAt(2 * MiB, 9 * MiB + 3);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data) >>> 0);
  const url = (key: string) => new URL(`${h.dd.endpoint}/${Bucket}/${key}`);
  const kept = blobs().length;
  const wrong = await unsignedChunkedPut(url('bad-sum'), data, 'AAAAAA==');
  assert.equal(wrong.status, 400);
  assert.match(await wrong.text(), /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum.<\/Message>/);
  assert.equal(blobs().length, kept);
  assert.equal((await failure(() => s3().send(new HeadObjectCommand({ Bucket, Key: 'bad-sum' })))).name, 'NotFound');
  const ok = await unsignedChunkedPut(url('good'), data, crc.toString('base64'));
  assert.equal(ok.status, 200, await ok.text());
  assert.equal(ok.headers.get('x-amz-checksum-crc32'), crc.toString('base64'));
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'good', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ContentLength, data.length);
  assert.equal(head.ChecksumCRC32, crc.toString('base64'));
});
