/**
 * KMS state of one account × region: keys (with every version of their material), aliases,
 * grants and pending imports, as plain data in store collections. Time-driven changes (a key
 * whose deletion date passed, a rotation that fell due, imported material that expired) are
 * applied lazily by {@link kmsState} against the clock, so they also happen after a restart.
 */
import { createHash, randomBytes } from 'node:crypto';
import { partitionOf } from '../../core/ids.js';
import type { Collection, Stores } from '../../core/store.js';

/** One version of a key's material. Key material ids are 64 hex characters, as on AWS. */
export interface Material {
  id: string;
  /** AES or HMAC key bytes, or the PKCS#8 DER private key; absent once imported material is deleted or expired. */
  secret?: Buffer;
  createdMs: number;
  imported?: boolean;
  /** Set for material that a rotation made current. */
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
  rotationMs?: number;
  /** Imported with NEW_KEY_MATERIAL, waiting for RotateKeyOnDemand. */
  pendingRotation?: boolean;
  expirationModel?: string;
  validToMs?: number;
  description?: string;
}

/** The key states Drydock models (AWS's Creating is only ever reported by ReplicateKey). */
export type KeyStateName = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';

/** Automatic rotation settings and the count of on-demand rotations. */
export interface RotationConfig {
  enabled: boolean;
  periodDays: number;
  nextMs?: number;
  onDemandCount: number;
}

/** A KMS key: metadata, policy, tags and material. */
export interface KeyRecord {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  createdMs: number;
  description: string;
  usage: string;
  spec: string;
  origin: string;
  manager: 'CUSTOMER' | 'AWS';
  state: KeyStateName;
  /** When a key pending deletion is deleted. */
  deletionMs?: number;
  policy: string;
  /** In insertion order, as ListResourceTags returns them. */
  tags: [string, string][];
  materials: Material[];
  currentMaterialId?: string;
  /** DER SubjectPublicKeyInfo of asymmetric keys. */
  publicKey?: Buffer;
  rotation: RotationConfig;
  multiRegion: boolean;
  mrk?: { primaryRegion: string; regions: string[] };
}

/** An alias and the key it points at. */
export interface AliasRecord {
  name: string;
  arn: string;
  targetKeyId: string;
  createdMs: number;
  updatedMs: number;
}

/** A grant: who may do what with a key, within which encryption-context constraints. */
export interface GrantRecord {
  grantId: string;
  keyId: string;
  keyArn: string;
  name?: string;
  createdMs: number;
  grantee?: string;
  granteeService?: string;
  retiring?: string;
  retiringService?: string;
  issuingAccount: string;
  operations: string[];
  constraints?: { EncryptionContextSubset?: Record<string, string>; EncryptionContextEquals?: Record<string, string> };
}

/** What GetParametersForImport handed out, for the ImportKeyMaterial that follows. */
export interface ImportRecord {
  token: string;
  keyId: string;
  algorithm: string;
  wrappingSpec: string;
  privateKey: Buffer;
  validToMs: number;
}

/** The KMS state of one account × region. */
export interface KmsState {
  account: string;
  region: string;
  keys: Collection<KeyRecord>;
  aliases: Collection<AliasRecord>;
  grants: Collection<GrantRecord>;
  imports: Collection<ImportRecord>;
  /** Earliest clock time at which something time-driven is due (in memory only). */
  dueMs: number;
  /** GetKeyLastUsage data, kept in memory so that cryptographic calls never write to disk. */
  lastUsage: Map<string, { operation: string; ms: number; requestId: string }>;
}

const DAY_MS = 86_400_000;

/** The KMS state of `account` × `region`, with everything that fell due by `nowMs` applied. */
export function kmsState(stores: Stores, account: string, region: string, nowMs?: number): KmsState {
  const state = stores.scope<KmsState>('kms', account, region, (c) => {
    const s: KmsState = {
      account, region,
      keys: c.collection('keys'), aliases: c.collection('aliases'),
      grants: c.collection('grants'), imports: c.collection('imports'), dueMs: 0, lastUsage: new Map(),
    };
    return s;
  });
  if (nowMs !== undefined && nowMs >= state.dueMs) applyDue(stores, state, nowMs);
  return state;
}

/** Lowers the next due time after a change that schedules something. */
export function noteDue(state: KmsState, ms: number | undefined): void {
  if (ms !== undefined && ms < state.dueMs) state.dueMs = ms;
}

/** `arn:<partition>:kms:<region>:<account>:key/<id>`. */
export function keyArn(account: string, region: string, keyId: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:key/${keyId}`;
}

/** The ARN of an alias; `name` includes its `alias/` prefix. */
export function aliasArn(account: string, region: string, name: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:${name}`;
}

/** A fresh key id: a v4-style UUID, or `mrk-` and 32 hex characters for multi-Region keys. */
export function newKeyId(multiRegion: boolean): string {
  const b = randomBytes(16);
  if (multiRegion) return `mrk-${b.toString('hex')}`;
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A material id: random for generated material, derived from the bytes for imported material so a re-import matches. */
export function materialId(importedBytes?: Buffer, keyId?: string): string {
  if (importedBytes === undefined) return randomBytes(32).toString('hex');
  return createHash('sha256').update(keyId ?? '').update(importedBytes).digest('hex');
}

/** The material new ciphertext is made with, if the key has any. */
export function currentMaterial(key: KeyRecord): Material | undefined {
  return key.materials.find((m) => m.id === key.currentMaterialId);
}

/** Makes `m` the current material (rotation); returns the key for chaining. */
export function rotateTo(key: KeyRecord, m: Material, type: 'AUTOMATIC' | 'ON_DEMAND', ms: number): KeyRecord {
  m.rotationType = type;
  m.rotationMs = ms;
  m.pendingRotation = undefined;
  if (!key.materials.includes(m)) key.materials.push(m);
  key.currentMaterialId = m.id;
  return key;
}

/** Applies deletions, automatic rotations and material expiry that are due, and recomputes `dueMs`. */
function applyDue(stores: Stores, state: KmsState, nowMs: number): void {
  let next = Number.POSITIVE_INFINITY;
  for (const key of [...state.keys.values()]) {
    if (key.state === 'PendingDeletion' && key.deletionMs !== undefined) {
      if (key.deletionMs <= nowMs) {
        deleteKey(state, key);
        continue;
      }
      next = Math.min(next, key.deletionMs);
    }
    let changed = false;
    const r = key.rotation;
    // Only enabled keys rotate; a key enabled again after its date rotates at once (EnableKey notes it due).
    if (r.enabled && r.nextMs !== undefined && key.state === 'Enabled') {
      let due = r.nextMs;
      for (let i = 0; due <= nowMs && i < 1000; i++) {
        const m: Material = { id: materialId(), secret: randomBytes(32), createdMs: due };
        rotateTo(key, m, 'AUTOMATIC', due);
        propagateMaterial(stores, key, m);
        due += r.periodDays * DAY_MS;
        changed = true;
      }
      r.nextMs = due;
      next = Math.min(next, due);
    }
    for (const m of key.materials) {
      if (m.validToMs === undefined || m.secret === undefined) continue;
      if (m.validToMs <= nowMs) {
        m.secret = undefined;
        if (m.id === key.currentMaterialId && key.state !== 'PendingDeletion') key.state = 'PendingImport';
        changed = true;
      } else {
        next = Math.min(next, m.validToMs);
      }
    }
    if (changed) state.keys.set(key.keyId, key);
  }
  state.dueMs = next;
}

/** Removes a key with its aliases and grants. */
export function deleteKey(state: KmsState, key: KeyRecord): void {
  state.keys.delete(key.keyId);
  for (const [name, a] of [...state.aliases]) if (a.targetKeyId === key.keyId) state.aliases.delete(name);
  for (const [id, g] of [...state.grants]) if (g.keyId === key.keyId) state.grants.delete(id);
}

/** Copies a primary key's new material to its replicas, which share material on AWS. */
export function propagateMaterial(stores: Stores, key: KeyRecord, m: Material): void {
  if (!key.mrk || key.mrk.primaryRegion !== key.region) return;
  for (const region of key.mrk.regions) {
    if (region === key.region) continue;
    const other = kmsState(stores, key.account, region);
    const replica = other.keys.get(key.keyId);
    if (!replica || replica.materials.some((x) => x.id === m.id)) continue;
    replica.materials.push({ ...m });
    replica.currentMaterialId = m.id;
    other.keys.set(replica.keyId, replica);
  }
}
