/**
 * Key policies: the default policy AWS writes, validation through the IAM policy engine
 * (`key` kind, so AWS's MalformedPolicyDocumentException texts), the Get/Put/ListKeyPolicies
 * handlers, and the lookups the gateway's authorizer reads through `ports`.
 */
import { partitionOf } from '../../core/ids.js';
import type { ResourcePolicyInfo } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { MalformedPolicyError, parsePolicy } from '../../engines/iam-policy/index.js';
import type { Handler } from '../types.js';
import * as E from './errors.js';
import { isKeyId, resolveKey } from './resolve.js';
import { kmsState, type KeyRecord } from './store.js';

const MAX_POLICY = 32_768;

/**
 * The policy AWS gives a key created without one: it delegates to IAM in the key's account.
 * Formatted as AWS returns it.
 */
export function defaultPolicy(account: string, region: string): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:${partitionOf(region)}:iam::${account}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}

/** Validates a key policy as KMS does; the text is stored as given. */
export function validatePolicy(policy: unknown): string {
  if (typeof policy !== 'string') throw E.malformedPolicy('The policy is not a string.');
  if (policy.length > MAX_POLICY) throw E.tooLong('policy', MAX_POLICY);
  try {
    parsePolicy(policy, { kind: 'key' });
  } catch (err) {
    if (err instanceof MalformedPolicyError) throw E.malformedPolicy(err.message);
    throw err;
  }
  return policy;
}

function checkPolicyName(name: unknown): void {
  if (name !== undefined && name !== 'default') throw E.keyPolicyNotFound();
}

/** GetKeyPolicy: the key's only policy, `default`. */
export const getKeyPolicy: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId'], { aliases: false });
  checkPolicyName(input['PolicyName']);
  return { Policy: key.policy, PolicyName: 'default' };
};

/** PutKeyPolicy: replaces the `default` policy after validating it. */
export const putKeyPolicy: Handler = (input, ctx) => {
  const r = resolveKey(ctx, input['KeyId'], { aliases: false });
  checkPolicyName(input['PolicyName']);
  r.key.policy = validatePolicy(input['Policy']);
  r.state.keys.set(r.key.keyId, r.key);
  return {};
};

/** ListKeyPolicies: always `default`, as on AWS. */
export const listKeyPolicies: Handler = (input, ctx) => {
  resolveKey(ctx, input['KeyId'], { aliases: false });
  return { PolicyNames: ['default'], Truncated: false };
};

/**
 * The key an ARN (key or alias) or bare key id names, without a request context. Bare key
 * ids are looked up in every account × region that has KMS state; key ids are random UUIDs,
 * except that multi-Region keys share theirs across regions (then the first match wins).
 */
export function keyForResource(stores: Stores, resource: string): KeyRecord | undefined {
  const arn = parsedArn(resource);
  if (arn) {
    const state = kmsState(stores, arn.account, arn.region);
    if (arn.key !== undefined) return state.keys.get(arn.key);
    const alias = state.aliases.get(arn.alias!);
    return alias ? state.keys.get(alias.targetKeyId) : undefined;
  }
  if (!isKeyId(resource)) return undefined;
  // The authorizer asks several times per request: remember where a bare key id was found.
  let where = located.get(stores);
  if (!where) located.set(stores, (where = new Map()));
  const hit = where.get(resource);
  const cached = hit && kmsState(stores, hit.account, hit.region).keys.get(resource);
  if (cached) return cached;
  for (const { account, region } of stores.accountsRegions('kms')) {
    const key = kmsState(stores, account, region).keys.get(resource);
    if (key) {
      if (where.size > 10_000) where.clear();
      where.set(resource, { account, region });
      return key;
    }
  }
  return undefined;
}

const located = new WeakMap<Stores, Map<string, { account: string; region: string }>>();

interface KmsArn { account: string; region: string; key?: string; alias?: string }
/** Key and alias ARNs as parsed (null: not one): a pure function of the string, asked ~3 times per request. */
const parsedArns = new Map<string, KmsArn | null>();

function parsedArn(resource: string): KmsArn | null {
  let p = parsedArns.get(resource);
  if (p === undefined) {
    const m = /^arn:[^:]+:kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(resource);
    p = !m ? null : m[3] === 'key' ? { account: m[2]!, region: m[1]!, key: m[4]! } : { account: m[2]!, region: m[1]!, alias: `alias/${m[4]}` };
    if (parsedArns.size >= 10_000) parsedArns.clear();
    parsedArns.set(resource, p);
  }
  return p;
}

/** The lookup behind `ports.resourcePolicies.get('kms')`: the key policy, which must allow. */
export function keyPolicyLookup(stores: Stores): (arn: string) => ResourcePolicyInfo | undefined {
  return (arn) => {
    const key = keyForResource(stores, arn);
    return key ? { document: key.policy, account: key.account, required: true, id: key.arn } : undefined;
  };
}

/** The lookup behind `ports.resourceTags.get('kms')` (aws:ResourceTag/*). */
export function keyTagsLookup(stores: Stores): (arn: string) => Record<string, string> | undefined {
  return (arn) => {
    const key = keyForResource(stores, arn);
    return key ? Object.fromEntries(key.tags) : undefined;
  };
}
