/**
 * Checks on what a sender puts in a message — body characters, message and system attributes,
 * FIFO ids, delays — with AWS's error messages; and the small input readers the handlers share.
 */
import type { AwsError } from '../../core/errors.js';
import { invalidMessageContents, invalidParameter, invalidValue } from './errors.js';
import type { AttributeMap, AttributeValue } from './store.js';

// What SQS accepts in bodies and string attribute values (XML 1.0 characters).
const INVALID_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTR_NAME = /^[A-Za-z0-9_.\-\u00C0-\u017F]+$/;
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** MessageBody must not be empty and must hold only characters SQS allows. */
export function checkBody(body: string): AwsError | undefined {
  return INVALID_CHARS.test(body) ? invalidMessageContents() : undefined;
}

/** Reads an attribute map from input, keeping only the members SQS defines. */
export function readAttributes(v: unknown): AttributeMap | undefined {
  if (v === undefined || v === null || typeof v !== 'object') return undefined;
  const out: AttributeMap = {};
  for (const [name, raw] of Object.entries(v as Record<string, unknown>)) {
    const a = (raw ?? {}) as Record<string, unknown>;
    const val: AttributeValue = { DataType: typeof a['DataType'] === 'string' ? a['DataType'] : '' };
    if (typeof a['StringValue'] === 'string') val.StringValue = a['StringValue'];
    if (a['BinaryValue'] instanceof Uint8Array) val.BinaryValue = Buffer.from(a['BinaryValue']);
    else if (typeof a['BinaryValue'] === 'string') val.BinaryValue = Buffer.from(a['BinaryValue'], 'base64');
    const lists = (Array.isArray(a['StringListValues']) && a['StringListValues'].length > 0)
      || (Array.isArray(a['BinaryListValues']) && a['BinaryListValues'].length > 0);
    if (lists) throw invalidParameter('Message attribute list values in SendMessage operation are not supported.');
    out[name] = val;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Validates message (user) attributes as SendMessage does. */
export function checkMessageAttributes(attrs: AttributeMap | undefined): AwsError | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs);
  if (names.length > 10) return invalidParameter(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  for (const name of names) {
    const a = attrs[name]!;
    if (name === '') return invalidParameter('The request must contain non-empty message (user) attribute names.');
    if (Buffer.byteLength(name, 'utf8') >= 256) return invalidParameter('Message (user) attribute name must be shorter than 256 bytes.');
    const lower = name.toLowerCase();
    if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
      return invalidParameter("You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.");
    }
    if (!ATTR_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      return invalidParameter(`Message (user) attribute name '${name}' is invalid. Names can contain alphanumeric characters, hyphens, underscores and periods, and cannot start or end with a period or contain consecutive periods.`);
    }
    const err = checkValue(`message (user) attribute '${name}'`, a, name);
    if (err) return err;
  }
  return undefined;
}

function checkValue(what: string, a: AttributeValue, name: string): AwsError | undefined {
  if (!a.DataType) {
    if (a.StringValue === undefined && a.BinaryValue === undefined) {
      return invalidParameter(`The ${what} must contain a non-empty message attribute value.`);
    }
    return invalidParameter(`The ${what} must contain a non-empty message attribute type.`);
  }
  if (Buffer.byteLength(a.DataType, 'utf8') >= 256) return invalidParameter('Message (user) attribute type must be shorter than 256 bytes.');
  const base = /^(String|Number|Binary)(\.|$)/.exec(a.DataType)?.[1];
  if (!base) {
    return invalidParameter(`The type of ${what} is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
  }
  if (base === 'Binary') {
    if (!a.BinaryValue || a.BinaryValue.length === 0) return invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
    return undefined;
  }
  if (a.StringValue === undefined || a.StringValue === '') {
    return invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
  }
  if (base === 'Number' && !NUMBER.test(a.StringValue.trim())) {
    return invalidParameter(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  if (INVALID_CHARS.test(a.StringValue)) return invalidParameter(invalidMessageContents().message);
  return undefined;
}

/** Message system attributes: only AWSTraceHeader, as a String. */
export function checkSystemAttributes(attrs: AttributeMap | undefined): AwsError | undefined {
  if (!attrs) return undefined;
  for (const [name, a] of Object.entries(attrs)) {
    if (name !== 'AWSTraceHeader') return invalidParameter(`Message system attribute name '${name}' is invalid.`);
    if (a.DataType !== 'String' || !a.StringValue) {
      return invalidParameter(`Message system attribute '${name}' must contain a non-empty value of type 'String'.`);
    }
  }
  return undefined;
}

/** MessageGroupId and MessageDeduplicationId: 1–128 alphanumeric or punctuation characters. */
export function checkFifoId(value: unknown, param: 'MessageGroupId' | 'MessageDeduplicationId'): AwsError | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !FIFO_ID.test(value)) {
    return invalidValue(param, value, `${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return undefined;
}

/** An optional integer input member; non-integers are reported like out-of-range values. */
export function optInt(input: Record<string, unknown>, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' ? v : Number(v);
}

/** Checks `lo <= v <= hi` for an integer input, with the message AWS uses for that parameter. */
export function checkRange(name: string, v: number | undefined, lo: number, hi: number, reason: string): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < lo || v > hi) throw invalidValue(name, v, reason);
}

/** An optional string input member. */
export function optString(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}

/** A list of strings from input (missing → empty). */
export function stringList(input: Record<string, unknown>, name: string): string[] {
  const v = input[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
