/**
 * Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, grant token
 * checks, and {@link grantAllows}, the question the gateway's authorizer asks alongside the
 * key policy. Grants live with their key (the key owner's account × region) and take effect
 * at once, so a grant token is honoured from the moment CreateGrant returns.
 */
import { randomBytes } from 'node:crypto';
import { parseArn } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import type { Handler } from '../types.js';
import * as E from './errors.js';
import { date } from './metadata.js';
import { paginate } from './paging.js';
import { checkDryRun, resolveKey, stateOf } from './resolve.js';
import { kmsState, type GrantRecord } from './store.js';

/** Operations a grant may allow, in AWS's enum order. */
export const GRANT_OPERATIONS = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'Sign', 'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
];

/** Operations that take an encryption context, to which grant constraints apply. */
const CONTEXT_OPERATIONS = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
]);

const TOKEN_PREFIX = 'ddgt1';

/** CreateGrant: a grantee may then perform the listed operations on the key, within the constraints. */
export const createGrant: Handler = (input, ctx) => {
  const operations = (input['Operations'] as string[] | undefined) ?? [];
  const bad = operations.find((o) => !GRANT_OPERATIONS.includes(o));
  if (operations.length === 0 || bad !== undefined) {
    throw E.validation(`1 validation error detected: Value '[${operations.join(', ')}]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`);
  }
  const grantee = input['GranteePrincipal'] as string | undefined;
  const granteeService = input['GranteeServicePrincipal'] as string | undefined;
  if (!grantee && !granteeService) throw E.validation('Either GranteePrincipal or GranteeServicePrincipal must be specified');
  checkGrantTokens(input['GrantTokens']);
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.state === 'Disabled') throw E.disabled(key.arn);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  const constraints = input['Constraints'] as GrantRecord['constraints'];
  checkDryRun(input);
  const name = input['Name'] as string | undefined;
  const existing = name === undefined ? undefined
    : [...state.grants.values()].find((g) => g.keyId === key.keyId && g.name === name);
  const grant: GrantRecord = existing ?? {
    grantId: randomBytes(32).toString('hex'), keyId: key.keyId, keyArn: key.arn, name, createdMs: ctx.clock.nowMs(),
    grantee, granteeService, retiring: input['RetiringPrincipal'] as string | undefined,
    retiringService: input['RetiringServicePrincipal'] as string | undefined,
    issuingAccount: `arn:aws:iam::${ctx.account}:root`, operations: [...operations], constraints: constraints ?? undefined,
  };
  if (!existing) state.grants.set(grant.grantId, grant);
  return { GrantId: grant.grantId, GrantToken: grantToken(state.account, state.region, grant.grantId) };
};

/** ListGrants of one key, optionally filtered by grant id or grantee. */
export const listGrants: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  const grants = [...state.grants.values()].filter((g) => g.keyId === key.keyId
    && (input['GrantId'] === undefined || g.grantId === input['GrantId'])
    && (input['GranteePrincipal'] === undefined || g.grantee === input['GranteePrincipal']));
  const page = paginate(grants.map(grantEntry), input, 100, 50);
  return { Grants: page.items, ...page.more };
};

/** ListRetirableGrants: grants in the caller's account and region that name the retiring principal. */
export const listRetirableGrants: Handler = (input, ctx) => {
  const who = input['RetiringPrincipal'] ?? input['RetiringServicePrincipal'];
  if (who === undefined) throw E.validation('Either RetiringPrincipal or RetiringServicePrincipal must be specified');
  const grants = [...stateOf(ctx).grants.values()].filter((g) => g.retiring === who || g.retiringService === who);
  const page = paginate(grants.map(grantEntry), input, 100, 50);
  return { Grants: page.items, ...page.more };
};

/** RetireGrant: by grant token, or by key and grant id. */
export const retireGrant: Handler = (input, ctx) => {
  const token = input['GrantToken'] as string | undefined;
  if (token !== undefined) {
    const t = parseToken(token);
    if (!t) throw E.invalidGrantToken();
    const state = kmsState(ctx.stores, t.account, t.region, ctx.clock.nowMs());
    if (!state.grants.has(t.grantId)) throw E.invalidGrantId(t.grantId);
    checkDryRun(input);
    state.grants.delete(t.grantId);
    return {};
  }
  if (input['KeyId'] === undefined || input['GrantId'] === undefined) throw E.validation('Grant token OR (grant ID, key ID) must be specified');
  return removeGrant(input, ctx);
};

/** RevokeGrant: the key's administrator removes a grant. */
export const revokeGrant: Handler = (input, ctx) => removeGrant(input, ctx);

function removeGrant(input: Record<string, unknown>, ctx: Parameters<Handler>[1]): Record<string, unknown> {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  const grantId = String(input['GrantId']);
  const g = state.grants.get(grantId);
  if (!g || g.keyId !== key.keyId) throw E.invalidGrantId(grantId);
  checkDryRun(input);
  state.grants.delete(grantId);
  return {};
}

/** Checks the format of the grant tokens a request carries (at most 10). */
export function checkGrantTokens(tokens: unknown): void {
  if (tokens === undefined || tokens === null) return;
  const list = tokens as string[];
  if (list.length > 10) throw E.validation('1 validation error detected: Value at \'grantTokens\' failed to satisfy constraint: Member must have length less than or equal to 10');
  for (const t of list) if (!parseToken(t)) throw E.invalidGrantToken();
}

/** What {@link grantAllows} found: the grant that allows the call. */
export interface GrantMatch {
  grantId: string;
  name?: string;
}

/** The caller as a grant sees it: its ARN, and for a role session the role ARN (`issuerArn`). */
export interface GrantPrincipal {
  arn: string;
  issuerArn?: string;
  account?: string;
}

/**
 * Whether a grant on `keyArn` allows `principal` to perform `operation` with the given
 * encryption context; the authorizer allows a call that the key policy alone would refuse
 * when this returns a match. `operation` is the grant operation name: ReEncrypt is checked
 * as `ReEncryptFrom` on the source key and `ReEncryptTo` on the destination key.
 *
 * A grantee that is a role matches sessions of that role; a grantee that is an account root
 * matches every principal of that account (whose IAM policies must then allow the call).
 * Encryption-context constraints apply to operations that take a context.
 */
export function grantAllows(
  stores: Stores, keyArn: string, principal: string | GrantPrincipal, operation: string,
  encryptionContext?: Record<string, string>,
): GrantMatch | undefined {
  const m = /^arn:[^:]+:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(keyArn);
  if (!m) return undefined;
  const p: GrantPrincipal = typeof principal === 'string' ? { arn: principal } : principal;
  const account = p.account ?? parseArn(p.arn)?.account;
  for (const g of kmsState(stores, m[2]!, m[1]!).grants.values()) {
    if (g.keyId !== m[3] || !g.operations.includes(operation)) continue;
    const rootGrantee = /^arn:[^:]+:iam::(\d{12}):root$/.exec(g.grantee ?? '')?.[1];
    const matches = g.grantee === p.arn || (p.issuerArn !== undefined && g.grantee === p.issuerArn)
      || (rootGrantee !== undefined && rootGrantee === account)
      || (g.granteeService !== undefined && g.granteeService === p.arn);
    if (!matches) continue;
    if (CONTEXT_OPERATIONS.has(operation) && !contextAllowed(g, encryptionContext ?? {})) continue;
    return { grantId: g.grantId, name: g.name };
  }
  return undefined;
}

function contextAllowed(g: GrantRecord, ctx: Record<string, string>): boolean {
  const equals = g.constraints?.EncryptionContextEquals;
  if (equals) {
    const a = Object.keys(equals);
    if (a.length !== Object.keys(ctx).length || a.some((k) => ctx[k] !== equals[k])) return false;
  }
  const subset = g.constraints?.EncryptionContextSubset;
  if (subset && Object.entries(subset).some(([k, v]) => ctx[k] !== v)) return false;
  return true;
}

function grantEntry(g: GrantRecord): Record<string, unknown> {
  return {
    KeyId: g.keyArn, GrantId: g.grantId, ...(g.name !== undefined ? { Name: g.name } : {}), CreationDate: date(g.createdMs),
    ...(g.grantee !== undefined ? { GranteePrincipal: g.grantee } : {}),
    ...(g.granteeService !== undefined ? { GranteeServicePrincipal: g.granteeService } : {}),
    ...(g.retiring !== undefined ? { RetiringPrincipal: g.retiring } : {}),
    ...(g.retiringService !== undefined ? { RetiringServicePrincipal: g.retiringService } : {}),
    IssuingAccount: g.issuingAccount, Operations: g.operations,
    ...(g.constraints ? { Constraints: g.constraints } : {}),
  };
}

/** A grant token: opaque to clients, unique per CreateGrant call, naming the grant and where it lives. */
function grantToken(account: string, region: string, grantId: string): string {
  return Buffer.from(`${TOKEN_PREFIX}:${account}:${region}:${grantId}:${randomBytes(24).toString('hex')}`, 'utf8').toString('base64url');
}

function parseToken(token: string): { account: string; region: string; grantId: string } | undefined {
  const parts = Buffer.from(token, 'base64url').toString('utf8').split(':');
  if (parts.length !== 5 || parts[0] !== TOKEN_PREFIX || !/^\d{12}$/.test(parts[1]!) || !/^[0-9a-f]{64}$/.test(parts[3]!)) return undefined;
  return { account: parts[1]!, region: parts[2]!, grantId: parts[3]! };
}
