/**
 * What the gateway's authorizer needs from KMS beyond the key policy lookup: which key a
 * request touches (KeyId may be a key id, key ARN, alias name or alias ARN, and Decrypt may
 * carry no KeyId at all), the IAM action per key (ReEncrypt is ReEncryptFrom on the source
 * and ReEncryptTo on the destination), and whether a grant allows the caller. Installed on
 * the app's ports as `ports.kms` by the service's install().
 */
import type { Stores } from '../../core/store.js';
import { parseSealed } from './crypto.js';
import { grantAllows, type GrantMatch, type GrantPrincipal } from './grants.js';
import { keyForResource } from './policy.js';
import { aliasArn, keyArn, kmsState } from './store.js';

/** One resource of a KMS request, as the authorizer should evaluate it. */
export interface KmsResource {
  /** Key ARN (alias ARN for the alias half of CreateAlias/UpdateAlias/DeleteAlias). */
  arn: string;
  /** IAM action, e.g. `kms:Decrypt`, `kms:ReEncryptFrom`. */
  action: string;
  /** Grant operation to ask {@link KmsAuthzHooks.grantAllows} about; absent when grants cannot allow it. */
  grantOperation?: string;
  encryptionContext?: Record<string, string>;
}

/** The KMS hooks for the authorizer, bound to one app's stores. */
export interface KmsAuthzHooks {
  /** The key ARN that a KeyId names in `account` × `region`, or undefined if no such key exists. */
  resolveKeyArn(keyId: string, account: string, region: string): string | undefined;
  /** The key ARN named inside a symmetric ciphertext blob (Decrypt/ReEncrypt without KeyId). */
  keyArnOfCiphertext(blob: Uint8Array): string | undefined;
  /** The resources of a KMS call with their IAM actions; empty when the call names no key. */
  resources(operation: string, input: Record<string, unknown>, account: string, region: string): KmsResource[];
  /** See {@link grantAllows}. */
  grantAllows(keyArn: string, principal: string | GrantPrincipal, operation: string, encryptionContext?: Record<string, string>): GrantMatch | undefined;
}

/** Operations a grant can allow, by name; other operations are policy-only. */
const GRANTABLE = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'Sign', 'Verify', 'GetPublicKey',
  'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
]);

/** The hooks for one app. */
export function authzHooks(stores: Stores): KmsAuthzHooks {
  const resolveKeyArn = (keyId: string, account: string, region: string): string | undefined => {
    if (keyId.startsWith('arn:')) return keyForResource(stores, keyId)?.arn;
    const state = kmsState(stores, account, region);
    // The key record's own ARN string when there is one (equal to keyArn(...) by construction):
    // the authorizer looks it up several times per request, and a kept string keeps its hash.
    if (keyId.startsWith('alias/')) {
      const a = state.aliases.get(keyId);
      return a ? state.keys.get(a.targetKeyId)?.arn ?? keyArn(account, region, a.targetKeyId) : undefined;
    }
    return state.keys.get(keyId)?.arn;
  };
  const keyArnOfCiphertext = (blob: Uint8Array): string | undefined => parseSealed(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength))?.keyArn;
  const one = (arn: string | undefined, operation: string, ctx?: unknown): KmsResource[] => (arn === undefined ? [] : [{
    arn, action: `kms:${operation}`, ...(GRANTABLE.has(operation) ? { grantOperation: operation } : {}),
    ...(ctx ? { encryptionContext: ctx as Record<string, string> } : {}),
  }]);
  return {
    resolveKeyArn,
    keyArnOfCiphertext,
    grantAllows: (arn, principal, operation, context) => grantAllows(stores, arn, principal, operation, context),
    resources(operation, input, account, region) {
      const byId = (v: unknown) => (typeof v === 'string' ? resolveKeyArn(v, account, region) : undefined);
      const blobKey = (v: unknown) => (v instanceof Uint8Array ? keyArnOfCiphertext(v) : undefined);
      switch (operation) {
        case 'Decrypt':
          return one(byId(input['KeyId']) ?? blobKey(input['CiphertextBlob']), 'Decrypt', input['EncryptionContext']);
        case 'ReEncrypt': {
          const from = byId(input['SourceKeyId']) ?? blobKey(input['CiphertextBlob']);
          const to = byId(input['DestinationKeyId']);
          return [
            ...(from ? [{ arn: from, action: 'kms:ReEncryptFrom', grantOperation: 'ReEncryptFrom', encryptionContext: input['SourceEncryptionContext'] as Record<string, string> | undefined }] : []),
            ...(to ? [{ arn: to, action: 'kms:ReEncryptTo', grantOperation: 'ReEncryptTo', encryptionContext: input['DestinationEncryptionContext'] as Record<string, string> | undefined }] : []),
          ];
        }
        case 'CreateAlias':
        case 'UpdateAlias':
        case 'DeleteAlias': {
          const alias = typeof input['AliasName'] === 'string' ? aliasArn(account, region, input['AliasName']) : undefined;
          const target = operation === 'DeleteAlias'
            ? resolveKeyArn(String(input['AliasName'] ?? ''), account, region)
            : byId(input['TargetKeyId']);
          return [...one(alias, operation), ...one(target, operation)];
        }
        default:
          return one(byId(input['KeyId']), operation, input['EncryptionContext']);
      }
    },
  };
}
