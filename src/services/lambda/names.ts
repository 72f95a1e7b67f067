/**
 * Function names as callers give them: `name`, `name:qualifier`, the partial ARN
 * `123456789012:function:name[:qualifier]` or the full ARN. The account an ARN names is where
 * the function lives (cross-account calls are decided by the function's policy).
 */
import { invalidParameter, validation } from './errors.js';

export interface FunctionRef {
  name: string;
  account: string;
  region: string;
  qualifier?: string;
}

const NAME_RE = /^[a-zA-Z0-9-_]{1,64}$/;
const QUALIFIER_RE = /^(\$LATEST|[a-zA-Z0-9-_]{1,128})$/;
const FULL_RE = /^(?:arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(\d{12}:)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

/** Reads a FunctionName (+ Qualifier) the way Lambda does, with its validation messages. */
export function parseFunctionName(raw: string, qualifier: string | undefined, account: string, region: string): FunctionRef {
  if (raw.length > 170) throw validation(raw, 'functionName', 'Member must have length less than or equal to 170');
  const m = FULL_RE.exec(raw);
  if (m === null || !NAME_RE.test(m[4]!) || (m[1] === undefined && raw.startsWith('arn:'))) {
    throw validation(raw, 'functionName', `Member must satisfy regular expression pattern: ${PATTERN}`);
  }
  const arnRegion = m[2];
  if (arnRegion !== undefined && arnRegion !== region) {
    throw invalidParameter(`Functions from '${arnRegion}' are not reachable in this region ('${region}')`);
  }
  const fromName = m[5];
  if (qualifier !== undefined && !QUALIFIER_RE.test(qualifier)) {
    throw validation(qualifier, 'qualifier', 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)');
  }
  if (fromName !== undefined && qualifier !== undefined && fromName !== qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const ref: FunctionRef = { name: m[4]!, account: m[3] ? m[3].slice(0, 12) : account, region };
  const q = qualifier ?? fromName;
  if (q !== undefined) ref.qualifier = q;
  return ref;
}

/** A plain function name (CreateFunction): no qualifier allowed. */
export function checkNewName(raw: string, account: string, region: string): FunctionRef {
  const ref = parseFunctionName(raw, undefined, account, region);
  if (ref.qualifier !== undefined) {
    throw validation(raw, 'functionName', `Member must satisfy regular expression pattern: ${PATTERN}`);
  }
  return ref;
}

/** Aliases: a name that is not a number and not $LATEST. */
export function checkAliasName(name: string): void {
  if (!/^(?!^\d+$)[a-zA-Z0-9-_]{1,128}$/.test(name)) {
    throw validation(name, 'name', 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
  }
}
