/**
 * KeyMetadata as DescribeKey, CreateKey and ReplicateKey return it, field for field as AWS
 * does (compared against recorded AWS answers): algorithm lists only for the key's usage,
 * CurrentKeyMaterialId only for symmetric encryption keys that have material,
 * ExpirationModel only for imported material, MultiRegionConfiguration only for
 * multi-Region keys.
 */
import type { Stores } from '../../core/store.js';
import { algorithmLists } from './specs.js';
import { currentMaterial, keyArn, kmsState, type KeyRecord } from './store.js';

/** A stored epoch-milliseconds time as the Date the protocol layer writes. */
export function date(ms: number): Date {
  return new Date(ms);
}

/** The KeyMetadata of a key; `stores` fills the multi-Region configuration from the primary. */
export function keyMetadata(key: KeyRecord, stores?: Stores): Record<string, unknown> {
  const md: Record<string, unknown> = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: date(key.createdMs),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.usage,
    KeyState: key.state,
    Origin: key.origin,
    KeyManager: key.manager,
    CustomerMasterKeySpec: key.spec,
    KeySpec: key.spec,
    ...algorithmLists(key.spec, key.usage),
    MultiRegion: key.multiRegion,
  };
  if (key.state === 'PendingDeletion' && key.deletionMs !== undefined) md['DeletionDate'] = date(key.deletionMs);
  if (key.spec === 'SYMMETRIC_DEFAULT' && key.currentMaterialId) md['CurrentKeyMaterialId'] = key.currentMaterialId;
  const m = currentMaterial(key);
  if (key.origin === 'EXTERNAL' && m?.secret) {
    md['ExpirationModel'] = m.expirationModel ?? 'KEY_MATERIAL_DOES_NOT_EXPIRE';
    if (m.validToMs !== undefined) md['ValidTo'] = date(m.validToMs);
  }
  if (key.mrk) md['MultiRegionConfiguration'] = multiRegionConfiguration(key, stores);
  return md;
}

/** PRIMARY or REPLICA, the primary key and the replicas, read from the primary when possible. */
export function multiRegionConfiguration(key: KeyRecord, stores?: Stores): Record<string, unknown> {
  let mrk = key.mrk!;
  if (stores && mrk.primaryRegion !== key.region) {
    mrk = kmsState(stores, key.account, mrk.primaryRegion).keys.get(key.keyId)?.mrk ?? mrk;
  }
  const ref = (region: string) => ({ Arn: keyArn(key.account, region, key.keyId), Region: region });
  return {
    MultiRegionKeyType: mrk.primaryRegion === key.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: ref(mrk.primaryRegion),
    ReplicaKeys: mrk.regions.filter((r) => r !== mrk.primaryRegion).map(ref),
  };
}
