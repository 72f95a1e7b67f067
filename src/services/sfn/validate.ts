/**
 * Request checks AWS makes before looking at state: names, ARNs, page sizes, payload sizes.
 * The model carries no constraints for Step Functions, so the limits live here.
 */
import { AwsError } from '../../core/errors.js';
import { isAccountId } from '../../core/ids.js';
import { invalidArn, invalidName, validation } from './errors.js';
import { arnScope } from './store.js';

// Whitespace, brackets, wildcards, special characters and control characters are refused.
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function checkName(name: unknown, kind = 'name'): string {
  const n = String(name ?? '');
  if (n.length < 1 || n.length > 80) throw validation([`Value '${n}' at '${kind}' failed to satisfy constraint: Member must have length ${n.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 80'}`]);
  if (BAD_NAME.test(n)) throw invalidName(n);
  return n;
}

export function checkMaxResults(v: unknown): number {
  if (v === undefined) return 100;
  const n = Number(v);
  if (n > 1000) throw validation([`Value '${n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`]);
  if (n < 0) throw validation([`Value '${n}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0`]);
  return n === 0 ? 100 : n;
}

export function checkNextToken(v: unknown, max = 1024): number {
  if (v === undefined) return 0;
  const s = String(v);
  if (s.length > max) throw validation([`Value '${s}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to ${max}`]);
  const n = Number(Buffer.from(s, 'base64').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new AwsError('InvalidToken', 'Invalid Token', 400);
  return n;
}

/** One page of `items` and the next token. */
export function page<T>(items: T[], input: Record<string, unknown>, tokenMax = 1024): { items: T[]; nextToken?: string } {
  const max = checkMaxResults(input['maxResults']);
  const start = checkNextToken(input['nextToken'], tokenMax);
  const slice = items.slice(start, start + max);
  const out: { items: T[]; nextToken?: string } = { items: slice };
  if (start + max < items.length) out.nextToken = Buffer.from(String(start + max)).toString('base64');
  return out;
}

/** Checks a Step Functions ARN of `kind` (stateMachine, execution, …) in the caller's scope. */
export function checkArn(arn: unknown, kinds: string[]): { region: string; account: string; kind: string; rest: string[] } {
  const s = String(arn ?? '');
  const p = arnScope(s);
  if (!p || !isAccountId(p.account)) throw invalidArn(s);
  if (!kinds.includes(p.kind)) throw invalidArn(s, `Resource type not valid in this context: ${p.kind}`);
  return p;
}

/** Execution input: valid JSON, at most 256 KiB. */
export function checkInput(input: unknown): string {
  const text = input === undefined || input === null ? '{}' : String(input);
  if (Buffer.byteLength(text) > 262144) {
    throw validation([`Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144`]);
  }
  return text;
}
