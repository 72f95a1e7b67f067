// Checksums held to three independent references: the catalogued check values of "123456789",
// a bit-at-a-time BigInt model of each CRC (fast-check compares it with the table-driven code on
// random data), and the values the real S3 client computes and sends.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  checksum, checksumAlgorithmOf, checksumHasher, checksumHeaderName, CHECKSUM_ALGORITHMS, md5Base64, verifyChecksum,
  verifyContentMd5, type ChecksumAlgorithm,
} from '../../src/protocols/checksums.js';

const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
const CHECK = Buffer.from('123456789');

test('the catalogued check values of "123456789"', () => {
  assert.equal(hex(checksum('CRC32', CHECK)), 'cbf43926');
  assert.equal(hex(checksum('CRC32C', CHECK)), 'e3069283');
  assert.equal(hex(checksum('CRC64NVME', CHECK)), 'ae8b14860a799888');
  assert.equal(hex(checksum('SHA1', CHECK)), 'f7c3bc1d808e04732adf679965ccc34ca7ae3441');
  assert.equal(hex(checksum('SHA256', CHECK)), '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225');
  assert.equal(md5Base64(CHECK), 'JfnnlDI7RTiF9RgfG2JNCw==');
  for (const a of CHECKSUM_ALGORITHMS) assert.ok(checksum(a, Buffer.alloc(0)).length > 0);
  assert.equal(checksum('CRC32C', Buffer.alloc(0)), 'AAAAAA==');
  assert.equal(checksum('CRC64NVME', Buffer.alloc(0)), 'AAAAAAAAAAA=');
});

/** Reflected CRC, one bit at a time, straight from the definition. */
function referenceCrc(poly: bigint, width: number, data: Uint8Array): string {
  const mask = (1n << BigInt(width)) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return (crc ^ mask).toString(16).padStart(width / 4, '0');
}

test('CRC32C and CRC64NVME agree with a bit-at-a-time model on random data', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
    assert.equal(hex(checksum('CRC32C', data)), referenceCrc(0x82f63b78n, 32, data));
    assert.equal(hex(checksum('CRC64NVME', data)), referenceCrc(0x9a6c9329ac4bc9b5n, 64, data));
    assert.equal(hex(checksum('CRC32', data)), referenceCrc(0xedb88320n, 32, data));
  }), { numRuns: 300 });
});

async function sdkChecksum(algorithm: ChecksumAlgorithm, body: Uint8Array): Promise<string | undefined> {
  let headers: Record<string, string> = {};
  const client = new S3Client({
    region: 'us-east-1', endpoint: 'http://localhost:4566', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: { handle: async (req: { headers: Record<string, string> }) => { headers = req.headers; throw new Error('captured'); } },
  });
  await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: body, ChecksumAlgorithm: algorithm }))
    .catch((e: Error) => { if (e.message !== 'captured') throw e; });
  return headers[checksumHeaderName(algorithm)];
}

test('every algorithm gives the value the S3 client sends', async () => {
  const samples = [Buffer.alloc(0), Buffer.from('hello'), Buffer.from('ü€😀'), Buffer.alloc(100_003, 0xa5)];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    for (const body of samples) {
      assert.equal(checksum(algorithm, body), await sdkChecksum(algorithm, body), `${algorithm} of ${body.length} bytes`);
    }
  }
});

test('bodies larger than one pass of the CRC64NVME loop (1 MB pieces), whole and fed in uneven pieces, agree with the S3 client', async () => {
  const body = Buffer.alloc(2_600_003);
  for (let i = 0, x = 7; i < body.length; i++) { x = (x * 1103515245 + 12345) >>> 0; body[i] = x >>> 24; }
  const expected = await sdkChecksum('CRC64NVME', body);
  assert.equal(checksum('CRC64NVME', body), expected);
  const h = checksumHasher('CRC64NVME');
  for (let at = 0, n = 1; at < body.length; at += n, n = n * 7 + 13) h.update(body.subarray(at, at + n));
  assert.equal(h.digest(), expected);
});

test('a mismatching checksum is BadDigest, a malformed one InvalidRequest, in S3 words', () => {
  const data = Buffer.from('some bytes');
  assert.equal(verifyChecksum('SHA256', checksum('SHA256', data), data), undefined);
  assert.deepEqual(verifyChecksum('CRC32', checksum('CRC32', Buffer.from('other')), data),
    { code: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.', status: 400 });
  for (const bad of ['', 'nope', 'AAAA', 'AAAAAAAAAAA=', checksum('CRC32', data).replace('==', '')]) {
    assert.deepEqual(verifyChecksum('CRC32', bad, data),
      { code: 'InvalidRequest', message: 'Value for x-amz-checksum-crc32 header is invalid.', status: 400 }, bad);
  }
  assert.equal(verifyChecksum('CRC64NVME', 'AAAAAA==', data)?.code, 'InvalidRequest');
  assert.equal(verifyContentMd5(md5Base64(data), data), undefined);
  assert.equal(verifyContentMd5(md5Base64(Buffer.from('x')), data)?.message, 'The Content-MD5 you specified did not match what we received.');
  assert.equal(verifyContentMd5('zz', data)?.code, 'InvalidDigest');
});

test('header names and algorithms map both ways', () => {
  for (const a of CHECKSUM_ALGORITHMS) assert.equal(checksumAlgorithmOf(checksumHeaderName(a).toUpperCase()), a);
  assert.equal(checksumHeaderName('CRC64NVME'), 'x-amz-checksum-crc64nvme');
  assert.equal(checksumAlgorithmOf('x-amz-checksum-md5'), undefined);
});
