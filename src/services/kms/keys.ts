/**
 * Key lifecycle: CreateKey, DescribeKey, ListKeys, Enable/DisableKey, UpdateKeyDescription,
 * ScheduleKeyDeletion/CancelKeyDeletion (7–30 days on the Drydock clock), tags and
 * GetKeyLastUsage.
 */
import type { Handler } from '../types.js';
import { generateMaterial, publicKeyOf } from './crypto.js';
import * as E from './errors.js';
import { date, keyMetadata } from './metadata.js';
import { paginate } from './paging.js';
import { defaultPolicy, validatePolicy } from './policy.js';
import { requireNotPendingDeletion, resolveKey, stateOf } from './resolve.js';
import { ALL_KEY_USAGES, KEY_SPECS, KEY_USAGES, SPECS } from './specs.js';
import { keyArn, materialId, newKeyId, noteDue, type KeyRecord } from './store.js';

const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];
const MAX_TAGS = 50;
const DAY_MS = 86_400_000;

/** CreateKey: validates spec, usage, origin, policy and tags, then makes the key and its first material. */
export const createKey: Handler = async (input, ctx) => {
  if (input['KeySpec'] !== undefined && input['CustomerMasterKeySpec'] !== undefined) {
    throw E.validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  const keySpec = String(input['KeySpec'] ?? input['CustomerMasterKeySpec'] ?? 'SYMMETRIC_DEFAULT');
  if (!(KEY_SPECS as readonly string[]).includes(keySpec)) throw E.enumError(keySpec, 'keySpec', KEY_SPECS);
  const usageIn = input['KeyUsage'];
  if (usageIn !== undefined && !ALL_KEY_USAGES.includes(String(usageIn))) throw E.enumError(usageIn, 'keyUsage', KEY_USAGES);
  if (usageIn === undefined && keySpec !== 'SYMMETRIC_DEFAULT') {
    throw E.validation('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const usage = String(usageIn ?? 'ENCRYPT_DECRYPT');
  if (!SPECS[keySpec]!.usages.includes(usage)) throw E.validation(`KeyUsage ${usage} is not compatible with KeySpec ${keySpec}`);
  const origin = String(input['Origin'] ?? 'AWS_KMS');
  if (!ORIGINS.includes(origin)) throw E.enumError(origin, 'origin', ORIGINS);
  if (input['CustomKeyStoreId'] !== undefined || origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') throw E.customKeyStoreNotFound();
  const description = checkDescription(input['Description']);
  const policy = input['Policy'] === undefined ? defaultPolicy(ctx.account, ctx.region) : validatePolicy(input['Policy']);
  const tags = mergeTags([], input['Tags']);
  const multiRegion = input['MultiRegion'] === true;

  const state = stateOf(ctx);
  const keyId = newKeyId(multiRegion);
  const now = ctx.clock.nowMs();
  const key: KeyRecord = {
    keyId, arn: keyArn(ctx.account, ctx.region, keyId), account: ctx.account, region: ctx.region, createdMs: now,
    description, usage, spec: keySpec, origin, manager: 'CUSTOMER',
    state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled', policy, tags, materials: [],
    rotation: { enabled: false, periodDays: 365, onDemandCount: 0 }, multiRegion,
    mrk: multiRegion ? { primaryRegion: ctx.region, regions: [ctx.region] } : undefined,
  };
  if (origin === 'AWS_KMS') {
    const secret = await generateMaterial(keySpec);
    key.materials.push({ id: materialId(), secret, createdMs: now });
    key.currentMaterialId = key.materials[0]!.id;
    if (SPECS[keySpec]!.family === 'rsa' || SPECS[keySpec]!.family === 'ec') key.publicKey = publicKeyOf(secret);
  }
  state.keys.set(keyId, key);
  return { KeyMetadata: keyMetadata(key, ctx.stores) };
};

/** DescribeKey: any key state; aliases and alias ARNs accepted. */
export const describeKey: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId']);
  return { KeyMetadata: keyMetadata(key, ctx.stores) };
};

/** ListKeys: the keys of the caller's account and region, oldest first. */
export const listKeys: Handler = (input, ctx) => {
  const keys = [...stateOf(ctx).keys.values()].sort((a, b) => a.createdMs - b.createdMs || a.keyId.localeCompare(b.keyId));
  const page = paginate(keys.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), input, 1000, 100);
  return { Keys: page.items, ...page.more };
};

/** EnableKey: Disabled → Enabled; refused while pending deletion or import. */
export const enableKey: Handler = (input, ctx) => setEnabled(input, ctx, true);

/** DisableKey: Enabled → Disabled; cryptographic calls then answer DisabledException. */
export const disableKey: Handler = (input, ctx) => setEnabled(input, ctx, false);

const setEnabled = (input: Record<string, unknown>, ctx: Parameters<Handler>[1], on: boolean) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  requireNotPendingDeletion(key);
  if (key.state === 'PendingImport') throw E.pendingImport(key.arn);
  key.state = on ? 'Enabled' : 'Disabled';
  state.keys.set(key.keyId, key);
  if (on && key.rotation.enabled) noteDue(state, key.rotation.nextMs);
  return {};
};

/** UpdateKeyDescription. */
export const updateKeyDescription: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  requireNotPendingDeletion(key);
  key.description = checkDescription(input['Description']);
  state.keys.set(key.keyId, key);
  return {};
};

/** ScheduleKeyDeletion: 7–30 days (default 30) on the clock; the key is gone once the date passes. */
export const scheduleKeyDeletion: Handler = (input, ctx) => {
  const days = input['PendingWindowInDays'] === undefined ? 30 : Number(input['PendingWindowInDays']);
  if (!Number.isInteger(days) || days < 7 || days > 30) throw E.outOfRange('pendingWindowInDays', days, 7, 30);
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  requireNotPendingDeletion(key);
  if (key.manager === 'AWS') throw E.unsupported(`${key.arn} is an AWS managed key, which cannot be deleted.`);
  key.state = 'PendingDeletion';
  key.deletionMs = ctx.clock.nowMs() + days * DAY_MS;
  state.keys.set(key.keyId, key);
  noteDue(state, key.deletionMs);
  return { KeyId: key.arn, DeletionDate: date(key.deletionMs), KeyState: key.state, PendingWindowInDays: days };
};

/** CancelKeyDeletion: the key comes back Disabled, as on AWS. */
export const cancelKeyDeletion: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.state !== 'PendingDeletion') throw E.invalidState(`${key.arn} is not pending deletion.`);
  const hasMaterial = key.materials.some((m) => m.id === key.currentMaterialId && m.secret !== undefined);
  key.state = hasMaterial ? 'Disabled' : 'PendingImport';
  key.deletionMs = undefined;
  state.keys.set(key.keyId, key);
  return { KeyId: key.arn };
};

/** TagResource: adds or overwrites tags (at most 50 per key). */
export const tagResource: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  requireNotPendingDeletion(key);
  key.tags = mergeTags(key.tags, input['Tags']);
  state.keys.set(key.keyId, key);
  return {};
};

/** UntagResource: removes the named tags; unknown keys are ignored, as on AWS. */
export const untagResource: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  requireNotPendingDeletion(key);
  const drop = new Set((input['TagKeys'] as string[] | undefined) ?? []);
  key.tags = key.tags.filter(([k]) => !drop.has(k));
  state.keys.set(key.keyId, key);
  return {};
};

/** ListResourceTags, in the order the tags were added. */
export const listResourceTags: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId'], { aliases: false });
  const page = paginate(key.tags.map(([k, v]) => ({ TagKey: k, TagValue: v })), input, 50, 50);
  return { Tags: page.items, ...page.more };
};

/** GetKeyLastUsage: the last successful cryptographic operation since this Drydock started tracking. */
export const getKeyLastUsage: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  const last = state.lastUsage.get(key.keyId);
  return {
    KeyId: key.arn,
    KeyCreationDate: date(key.createdMs),
    TrackingStartDate: date(key.createdMs),
    ...(last ? { KeyLastUsage: { Operation: last.operation, Timestamp: date(last.ms), CloudTrailEventId: last.requestId, KmsRequestId: last.requestId } } : {}),
  };
};

/** DescribeCustomKeyStores: Drydock has no CloudHSM or external key stores, so the list is empty. */
export const describeCustomKeyStores: Handler = (input) => {
  if (input['CustomKeyStoreId'] !== undefined || input['CustomKeyStoreName'] !== undefined) throw E.customKeyStoreNotFound();
  return { CustomKeyStores: [], Truncated: false };
};

function checkDescription(v: unknown): string {
  const d = v === undefined ? '' : String(v);
  if (d.length > 8192) throw E.tooLong('description', 8192, d);
  return d;
}

/** Validates `tags` (KMS Tag shapes) and merges them into `existing`, keeping insertion order. */
export function mergeTags(existing: [string, string][], tags: unknown): [string, string][] {
  const list = (tags as { TagKey?: string; TagValue?: string }[] | undefined) ?? [];
  const seen = new Set<string>();
  list.forEach((t, i) => {
    const k = String(t.TagKey ?? '');
    const v = String(t.TagValue ?? '');
    if (k.length > 128) throw E.validation(`1 validation error detected: Value '${k}' at 'tags.${i + 1}.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`);
    if (v.length > 256) throw E.validation(`1 validation error detected: Value '${v}' at 'tags.${i + 1}.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`);
    if (k.toLowerCase().startsWith('aws:')) throw E.tagError('Tags beginning with aws: are reserved');
    if (seen.has(k)) throw E.tagError('Duplicate tag keys');
    seen.add(k);
  });
  const out = existing.map(([k, v]) => [k, v] as [string, string]);
  for (const t of list) {
    const i = out.findIndex(([k]) => k === t.TagKey);
    if (i >= 0) out[i]![1] = String(t.TagValue);
    else out.push([String(t.TagKey), String(t.TagValue)]);
  }
  if (out.length > MAX_TAGS) throw E.tagError('Too many tags');
  return out;
}
