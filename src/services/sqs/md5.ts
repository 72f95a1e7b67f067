/**
 * The digests SQS returns and clients verify: MD5 of the body, and MD5 of message (or system)
 * attributes over AWS's binary encoding of them. Also the byte sizes SQS counts against
 * MaximumMessageSize and the batch limit.
 */
import { createHash, hash as digestOnce } from 'node:crypto';
import type { AttributeMap } from './store.js';

/** Hex MD5 of a UTF-8 string. */
export function md5Hex(s: string): string {
  // The one-shot form: no Hash object per message.
  return digestOnce('md5', s, 'hex');
}

// Transport type bytes of AWS's attribute encoding.
const STRING_TYPE = 1;
const BINARY_TYPE = 2;

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return [len, bytes];
}

/**
 * MD5 of message attributes as AWS computes it: for each attribute, sorted by name, the name,
 * the data type and the value, each as a 4-byte big-endian length plus its bytes, with a
 * transport byte (1 string, 2 binary) before the value. Undefined for no attributes.
 */
export function md5OfAttributes(attrs: AttributeMap | undefined): string | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const a = attrs[name]!;
    const parts = [...lengthPrefixed(Buffer.from(name, 'utf8')), ...lengthPrefixed(Buffer.from(a.DataType, 'utf8'))];
    if (a.StringValue !== undefined) {
      parts.push(Buffer.of(STRING_TYPE), ...lengthPrefixed(Buffer.from(a.StringValue, 'utf8')));
    } else if (a.BinaryValue !== undefined) {
      parts.push(Buffer.of(BINARY_TYPE), ...lengthPrefixed(Buffer.from(a.BinaryValue)));
    }
    for (const p of parts) hash.update(p);
  }
  return hash.digest('hex');
}

/** Bytes an attribute map counts toward the message size: names, types and values. */
export function attributesSize(attrs: AttributeMap | undefined): number {
  if (!attrs) return 0;
  let n = 0;
  for (const [name, a] of Object.entries(attrs)) {
    n += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType ?? '', 'utf8');
    if (a.StringValue !== undefined) n += Buffer.byteLength(a.StringValue, 'utf8');
    if (a.BinaryValue !== undefined) n += a.BinaryValue.length;
  }
  return n;
}

/** Size of a message as SQS counts it: body plus message attributes. */
export function messageSize(body: string, attrs: AttributeMap | undefined): number {
  return Buffer.byteLength(body, 'utf8') + attributesSize(attrs);
}
