/**
 * Message attributes of Publish and PublishBatch: reading them from input, AWS's checks on
 * names, types and values (ParameterValueInvalid with SNS's own wording), their size, and the
 * two forms they are delivered in — `{ Type, Value }` in the JSON envelope, SQS message
 * attributes for raw delivery.
 */
import { nullMember, parameterValueInvalid } from './errors.js';

/** A message attribute as Publish carries it. */
export interface SnsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** Message attributes by name, in the order given. */
export type SnsAttributes = Record<string, SnsAttribute>;

/**
 * Reads MessageAttributes from input. `path` is AWS's name for the member in a validation
 * message (`messageAttributes`, `publishBatchRequestEntries.1.member.messageAttributes`).
 */
export function readMessageAttributes(v: unknown, path: string): SnsAttributes | undefined {
  if (v === undefined || v === null || typeof v !== 'object') return undefined;
  const out: SnsAttributes = {};
  for (const [name, raw] of Object.entries(v as Record<string, unknown>)) {
    const a = (raw ?? {}) as Record<string, unknown>;
    if (typeof a['DataType'] !== 'string') throw nullMember(`${path}.${name}.member.dataType`);
    const val: SnsAttribute = { DataType: a['DataType'] };
    if (typeof a['StringValue'] === 'string') val.StringValue = a['StringValue'];
    if (a['BinaryValue'] instanceof Uint8Array) val.BinaryValue = Buffer.from(a['BinaryValue']);
    else if (typeof a['BinaryValue'] === 'string') val.BinaryValue = Buffer.from(a['BinaryValue'], 'base64');
    out[name] = val;
  }
  return Object.keys(out).length ? out : undefined;
}

const NAME_CHAR = /[A-Za-z0-9_.-]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function hexChar(ch: string): string {
  return `#x${ch.codePointAt(0)!.toString(16).toUpperCase()}`;
}

function checkName(name: string): void {
  if (Buffer.byteLength(name, 'utf8') >= 256) throw parameterValueInvalid('Length of message attribute name must be less than 256 bytes.');
  if (name.startsWith('.')) throw parameterValueInvalid("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw parameterValueInvalid("Invalid message attribute name ending with character '.' was found.");
  if (name.includes('..')) throw parameterValueInvalid("Message attribute name can not have successive '.' character.");
  for (const ch of name) {
    if (!NAME_CHAR.test(ch)) {
      throw parameterValueInvalid(`Invalid non-alphanumeric character '${hexChar(ch)}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
  }
  // SNS's own attributes (AWS.SNS.SMS.*, AWS.SNS.MOBILE.*) are allowed; other AWS. and Amazon. names are reserved.
  const lower = name.toLowerCase();
  if ((lower.startsWith('aws.') && !lower.startsWith('aws.sns.')) || lower.startsWith('amazon.')) {
    throw parameterValueInvalid(`The message attribute name '${name}' is reserved: names beginning with 'AWS.' or 'Amazon.' are for internal use.`);
  }
}

function checkStringArray(name: string, value: string): void {
  let parsed: unknown;
  try { parsed = JSON.parse(value); } catch { parsed = undefined; }
  const ok = Array.isArray(parsed) && parsed.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
  if (!ok) {
    throw parameterValueInvalid(`The message attribute '${name}' with type 'String.Array' must contain a JSON array of strings, numbers, booleans or nulls.`);
  }
}

/** AWS's checks on message attributes, in its order: the name, the type, then the value. */
export function checkMessageAttributes(attrs: SnsAttributes | undefined): void {
  for (const [name, a] of Object.entries(attrs ?? {})) {
    checkName(name);
    const base = /^(String|Number|Binary)(\..+)?$/.exec(a.DataType)?.[1];
    if (!base) {
      throw parameterValueInvalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary') {
      if (a.BinaryValue && a.BinaryValue.length > 0) continue;
      if (a.StringValue !== undefined) throw parameterValueInvalid(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      throw parameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`);
    }
    if (a.StringValue === undefined || a.StringValue === '') {
      if (a.BinaryValue !== undefined) throw parameterValueInvalid(`The message attribute '${name}' with type '${base}' must use field 'String'.`);
      throw parameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
    }
    if (base === 'Number' && !NUMBER.test(a.StringValue.trim())) {
      throw parameterValueInvalid(`Could not cast message attribute '${name}' value to number.`);
    }
    if (a.DataType === 'String.Array') checkStringArray(name, a.StringValue);
  }
}

/** Bytes the attributes add to a message: each name, type and value. */
export function attributesSize(attrs: SnsAttributes | undefined): number {
  let n = 0;
  for (const [name, a] of Object.entries(attrs ?? {})) {
    n += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType, 'utf8');
    n += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '', 'utf8');
  }
  return n;
}

/** The attributes as the JSON envelope shows them: `{ Type, Value }`, binary values in base64. */
export function envelopeAttributes(attrs: SnsAttributes | undefined): Record<string, { Type: string; Value: string }> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = { Type: a.DataType, Value: a.BinaryValue ? Buffer.from(a.BinaryValue).toString('base64') : a.StringValue ?? '' };
  }
  return out;
}

/** The attributes as SQS message attributes, for raw delivery to a queue. */
export function sqsAttributes(attrs: SnsAttributes | undefined): Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = a.BinaryValue ? { DataType: a.DataType, BinaryValue: a.BinaryValue } : { DataType: a.DataType, StringValue: a.StringValue ?? '' };
  }
  return out;
}
