/**
 * Multi-Region keys: ReplicateKey copies a primary key (id `mrk-…`) into another region of
 * the same account, sharing its material, and UpdatePrimaryRegion moves the primary role.
 * Every copy records the set of regions so DescribeKey can show the whole configuration.
 */
import { isRegionLike } from '../../core/account.js';
import type { Stores } from '../../core/store.js';
import type { Handler } from '../types.js';
import * as E from './errors.js';
import { mergeTags } from './keys.js';
import { keyMetadata } from './metadata.js';
import { defaultPolicy, validatePolicy } from './policy.js';
import { requireNotPendingDeletion, resolveKey, stateOf } from './resolve.js';
import { keyArn, kmsState, type KeyRecord } from './store.js';

/** ReplicateKey: a replica in `ReplicaRegion`, answered in the transient Creating state as AWS does. */
export const replicateKey: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId']);
  if (!key.mrk || key.mrk.primaryRegion !== key.region) throw E.unsupported(`${key.arn} is not a multi-region primary key.`);
  requireNotPendingDeletion(key);
  const region = String(input['ReplicaRegion'] ?? '');
  if (!isRegionLike(region)) {
    throw E.validation(`1 validation error detected: Value '${region}' at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$`);
  }
  if (key.mrk.regions.includes(region)) throw E.alreadyExists(`Multi-Region key ${key.keyId} already has a replica in ${region}`);
  const policy = input['Policy'] === undefined ? defaultPolicy(key.account, region) : validatePolicy(input['Policy']);
  const tags = mergeTags([], input['Tags']);
  const now = ctx.clock.nowMs();
  const external = key.origin === 'EXTERNAL';
  const replica: KeyRecord = {
    ...key,
    arn: keyArn(key.account, region, key.keyId), region, createdMs: now,
    description: String(input['Description'] ?? ''), policy, tags,
    state: external ? 'PendingImport' : 'Enabled', deletionMs: undefined,
    // Imported material is imported into each replica separately, as on AWS.
    materials: external ? [] : key.materials.map((m) => ({ ...m })),
    currentMaterialId: external ? undefined : key.currentMaterialId,
    rotation: { enabled: false, periodDays: key.rotation.periodDays, onDemandCount: 0 },
    mrk: { primaryRegion: key.region, regions: [...key.mrk.regions, region] },
  };
  if (external) replica.publicKey = undefined;
  stateOf(ctx, key.account, region).keys.set(replica.keyId, replica);
  syncRegions(ctx.stores, key, replica.mrk!);
  const md = keyMetadata(replica, ctx.stores);
  delete md['CurrentKeyMaterialId'];
  return {
    ReplicaKeyMetadata: { ...md, KeyState: 'Creating', Enabled: false },
    ReplicaPolicy: policy,
    ReplicaTags: tags.map(([k, v]) => ({ TagKey: k, TagValue: v })),
  };
};

/** UpdatePrimaryRegion: makes the replica in `PrimaryRegion` the primary; the old primary becomes a replica. */
export const updatePrimaryRegion: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId']);
  if (!key.mrk) throw E.unsupported(`${key.arn} is not a multi-region key.`);
  if (key.mrk.primaryRegion !== key.region) throw E.unsupported(`${key.arn} is not a multi-region primary key.`);
  const region = String(input['PrimaryRegion'] ?? '');
  if (!key.mrk.regions.includes(region)) throw E.keyNotFound(keyArn(key.account, region, key.keyId));
  if (region === key.region) return {};
  const target = kmsState(ctx.stores, key.account, region).keys.get(key.keyId);
  if (target) {
    target.rotation = { ...key.rotation };
    kmsState(ctx.stores, key.account, region).keys.set(target.keyId, target);
  }
  key.rotation = { enabled: false, periodDays: key.rotation.periodDays, onDemandCount: key.rotation.onDemandCount };
  stateOf(ctx).keys.set(key.keyId, key);
  syncRegions(ctx.stores, key, { primaryRegion: region, regions: key.mrk.regions });
  return {};
};

/** Writes the multi-Region configuration to every copy of the key. */
function syncRegions(stores: Stores, key: KeyRecord, mrk: { primaryRegion: string; regions: string[] }): void {
  for (const region of mrk.regions) {
    const state = kmsState(stores, key.account, region);
    const copy = state.keys.get(key.keyId);
    if (!copy) continue;
    copy.mrk = { primaryRegion: mrk.primaryRegion, regions: [...mrk.regions] };
    state.keys.set(copy.keyId, copy);
  }
}
