/**
 * Finding the key a request names — key id, key ARN, alias name or alias ARN — and the
 * key-state checks KMS applies before an operation, with AWS's errors for each case.
 */
import { randomBytes } from '../../core/random.js';
import type { ServiceContext } from '../types.js';
import * as E from './errors.js';
import { defaultPolicy } from './policy.js';
import { aliasArn, keyArn, kmsState, materialId, newKeyId, type KeyRecord, type KmsState } from './store.js';

/** A key and the state (account × region) it lives in. */
export interface Resolved {
  key: KeyRecord;
  state: KmsState;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MRK = /^mrk-[0-9a-f]{32}$/i;

/** Whether a string has the shape of a KMS key id. */
export function isKeyId(s: string): boolean {
  return UUID.test(s) || MRK.test(s);
}

/** The caller's KMS state, with due deletions and rotations applied. */
export function stateOf(ctx: ServiceContext, account = ctx.account, region = ctx.region): KmsState {
  return kmsState(ctx.stores, account, region, ctx.clock.nowMs());
}

/**
 * The key that `id` names. Key ARNs may name another account (cross-account use) but not
 * another region; aliases resolve in the caller's account unless given as an alias ARN.
 * `aliases: false` is for operations that take only a key id or key ARN.
 */
export function resolveKey(ctx: ServiceContext, id: unknown, opts: { aliases?: boolean } = {}): Resolved {
  const raw = typeof id === 'string' ? id : '';
  if (raw.startsWith('arn:')) {
    const m = /^arn:[^:]+:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(raw);
    if (!m) throw E.invalidKeyId(raw);
    const [, region, account, kind, rest] = m as unknown as [string, string, string, string, string];
    if (region !== ctx.region) throw E.invalidArnRegion(region);
    const state = stateOf(ctx, account, region);
    if (kind === 'alias') {
      if (opts.aliases === false) throw E.invalidKeyId(raw);
      return byAlias(ctx, state, `alias/${rest}`);
    }
    return byId(state, rest);
  }
  const state = stateOf(ctx);
  if (raw.startsWith('alias/')) {
    if (opts.aliases === false) throw E.invalidKeyId(raw);
    return byAlias(ctx, state, raw);
  }
  return byId(state, raw);
}

function byId(state: KmsState, id: string): Resolved {
  if (!isKeyId(id)) throw E.invalidKeyId(id);
  const key = state.keys.get(id);
  if (!key) throw E.keyNotFound(keyArn(state.account, state.region, id));
  return { key, state };
}

function byAlias(ctx: ServiceContext, state: KmsState, name: string): Resolved {
  let alias = state.aliases.get(name);
  // Only the caller's own account gets AWS managed keys made on its behalf.
  const managed = name.startsWith('alias/aws/') && name.length > 'alias/aws/'.length && state.account === ctx.account;
  if (!alias && managed) alias = awsManagedAlias(ctx, state, name);
  if (!alias) throw E.aliasNotFound(aliasArn(state.account, state.region, name));
  const key = state.keys.get(alias.targetKeyId);
  if (!key) throw E.keyNotFound(keyArn(state.account, state.region, alias.targetKeyId));
  return { key, state };
}

/**
 * `alias/aws/<service>` names the AWS managed key of a service, which AWS creates the first
 * time it is used; Drydock does the same.
 */
function awsManagedAlias(ctx: ServiceContext, state: KmsState, name: string) {
  const service = name.slice('alias/aws/'.length);
  const keyId = newKeyId(false);
  const now = ctx.clock.nowMs();
  const key: KeyRecord = {
    keyId, arn: keyArn(state.account, state.region, keyId), account: state.account, region: state.region,
    createdMs: now, description: `Default key that protects my ${service.toUpperCase()} data when no other key is defined`,
    usage: 'ENCRYPT_DECRYPT', spec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS', manager: 'AWS', state: 'Enabled',
    policy: defaultPolicy(state.account, state.region), tags: [],
    materials: [], rotation: { enabled: true, periodDays: 365, nextMs: now + 365 * 86_400_000, onDemandCount: 0 },
    multiRegion: false,
  };
  const m = { id: materialId(), secret: randomBytes(32), createdMs: now };
  key.materials.push(m);
  key.currentMaterialId = m.id;
  state.keys.set(keyId, key);
  const alias = { name, arn: aliasArn(state.account, state.region, name), targetKeyId: keyId, createdMs: now, updatedMs: now };
  state.aliases.set(name, alias);
  return alias;
}

/**
 * Checks for cryptographic operations, in AWS's order: disabled or pending deletion first,
 * then the key usage, then missing (not yet imported) material.
 */
export function requireUsable(key: KeyRecord, usage: string, operation: string): void {
  if (key.state === 'Disabled') throw E.disabled(key.arn);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  if (key.usage !== usage) throw E.wrongUsage(key.arn, key.usage, operation);
  if (key.state === 'PendingImport') throw E.pendingImport(key.arn);
}

/** Checks for management operations that a key pending deletion refuses. */
export function requireNotPendingDeletion(key: KeyRecord): void {
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
}

/** The current material with its bytes, for a usable key. */
export function liveMaterial(key: KeyRecord): { id: string; secret: Buffer } {
  const m = key.materials.find((x) => x.id === key.currentMaterialId);
  if (!m?.secret) throw E.pendingImport(key.arn);
  return { id: m.id, secret: m.secret };
}

/** Records the last successful cryptographic use of a key (GetKeyLastUsage) and meters the request. */
export function used(ctx: ServiceContext, r: Resolved): void {
  r.state.lastUsage.set(r.key.keyId, { operation: ctx.operation, ms: ctx.clock.nowMs(), requestId: ctx.requestId });
  ctx.meter.record({
    account: ctx.account, region: ctx.region, service: 'kms', usageType: 'KMS-Requests',
    operation: ctx.operation, resourceId: r.key.arn, quantity: 1, unit: 'Requests',
  });
}

/** The DryRun answer, after every check of a real call has passed. */
export function checkDryRun(input: Record<string, unknown>): void {
  if (input['DryRun'] === true) throw E.dryRun();
}
