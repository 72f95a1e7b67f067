/**
 * Key rotation: automatic rotation on the Drydock clock (Enable/DisableKeyRotation,
 * RotationPeriodInDays 90–2560), RotateKeyOnDemand (at most 10 times per key), rotation
 * status and ListKeyRotations. Rotation adds material and never removes it, so every
 * ciphertext made before still decrypts; a primary multi-Region key passes new material to
 * its replicas.
 */
import { randomBytes } from 'node:crypto';
import type { Handler, ServiceContext } from '../types.js';
import * as E from './errors.js';
import { date } from './metadata.js';
import { paginate } from './paging.js';
import { resolveKey, type Resolved } from './resolve.js';
import { materialId, noteDue, propagateMaterial, rotateTo, type KeyRecord, type Material } from './store.js';

const DAY_MS = 86_400_000;
/** How many on-demand rotations AWS allows per key. */
export const ON_DEMAND_ROTATION_LIMIT = 10;

/** EnableKeyRotation: the first automatic rotation falls one period from now. */
export const enableKeyRotation: Handler = (input, ctx) => {
  const days = input['RotationPeriodInDays'] === undefined ? 365 : Number(input['RotationPeriodInDays']);
  if (!Number.isInteger(days) || days < 90 || days > 2560) throw E.outOfRange('rotationPeriodInDays', days, 90, 2560);
  const r = rotatable(ctx, input['KeyId']);
  const { key } = r;
  key.rotation.enabled = true;
  key.rotation.periodDays = days;
  key.rotation.nextMs = ctx.clock.nowMs() + days * DAY_MS;
  r.state.keys.set(key.keyId, key);
  noteDue(r.state, key.rotation.nextMs);
  return {};
};

/** DisableKeyRotation. */
export const disableKeyRotation: Handler = (input, ctx) => {
  const r = rotatable(ctx, input['KeyId']);
  r.key.rotation.enabled = false;
  r.key.rotation.nextMs = undefined;
  r.state.keys.set(r.key.keyId, r.key);
  return {};
};

/** GetKeyRotationStatus: on-demand rotations complete at once, so no OnDemandRotationStartDate. */
export const getKeyRotationStatus: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw E.unsupported('');
  const r = key.rotation;
  return {
    KeyId: key.arn,
    KeyRotationEnabled: r.enabled,
    ...(r.enabled ? { RotationPeriodInDays: r.periodDays, NextRotationDate: date(r.nextMs!) } : {}),
  };
};

/** RotateKeyOnDemand: new material now (AWS_KMS), or the imported material pending rotation (EXTERNAL). */
export const rotateKeyOnDemand: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.state === 'Disabled') throw E.disabled(key.arn);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  if (key.state === 'PendingImport') throw E.pendingImport(key.arn);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw E.unsupported('');
  if (key.mrk && key.mrk.primaryRegion !== key.region) throw E.unsupported(`${key.arn} is not a multi-region primary key.`);
  if (key.rotation.onDemandCount >= ON_DEMAND_ROTATION_LIMIT) {
    throw E.limitExceeded(`The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`);
  }
  const now = ctx.clock.nowMs();
  let m: Material | undefined;
  if (key.origin === 'EXTERNAL') {
    m = key.materials.find((x) => x.pendingRotation);
    if (!m) throw E.invalidState(`No available key material pending rotation for the key: ${key.arn}.`);
  } else {
    m = { id: materialId(), secret: randomBytes(32), createdMs: now };
  }
  rotateTo(key, m, 'ON_DEMAND', now);
  key.rotation.onDemandCount += 1;
  state.keys.set(key.keyId, key);
  propagateMaterial(ctx.stores, key, m);
  return { KeyId: key.arn };
};

/** ListKeyRotations: rotations only by default, or all material with IncludeKeyMaterial=ALL_KEY_MATERIAL. */
export const listKeyRotations: Handler = (input, ctx) => {
  const { key } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw E.unsupported('');
  const include = String(input['IncludeKeyMaterial'] ?? 'ROTATIONS_ONLY');
  if (include !== 'ROTATIONS_ONLY' && include !== 'ALL_KEY_MATERIAL') throw E.enumError(include, 'includeKeyMaterial', ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY']);
  const materials = key.materials.filter((m) => include === 'ALL_KEY_MATERIAL' || m.rotationType !== undefined);
  const page = paginate(materials.map((m) => rotationEntry(key, m)), input, 1000, 100);
  return { Rotations: page.items, ...page.more };
};

function rotationEntry(key: KeyRecord, m: Material): Record<string, unknown> {
  const e: Record<string, unknown> = {
    KeyId: key.arn,
    KeyMaterialId: m.id,
    KeyMaterialState: m.id === key.currentMaterialId ? 'CURRENT' : m.pendingRotation ? 'PENDING_ROTATION' : 'NON_CURRENT',
  };
  if (m.description !== undefined) e['KeyMaterialDescription'] = m.description;
  if (key.origin === 'EXTERNAL') {
    e['ImportState'] = m.secret ? 'IMPORTED' : 'PENDING_IMPORT';
    if (m.expirationModel) e['ExpirationModel'] = m.expirationModel;
    if (m.validToMs !== undefined) e['ValidTo'] = date(m.validToMs);
  }
  if (m.rotationType) {
    e['RotationType'] = m.rotationType;
    e['RotationDate'] = date(m.rotationMs!);
  }
  return e;
}

/** A key on which automatic rotation can be switched: symmetric, AWS_KMS origin, a primary key, not disabled. */
function rotatable(ctx: ServiceContext, id: unknown): Resolved {
  const r = resolveKey(ctx, id, { aliases: false });
  const { key } = r;
  if (key.state === 'Disabled') throw E.disabled(key.arn);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw E.unsupported('');
  if (key.origin !== 'AWS_KMS') throw E.wrongOrigin(key.arn, key.origin);
  if (key.mrk && key.mrk.primaryRegion !== key.region) throw E.unsupported(`${key.arn} is not a multi-region primary key.`);
  if (key.manager === 'AWS') throw E.unsupported(`${key.arn} is an AWS managed key, whose rotation AWS manages.`);
  return r;
}
