/**
 * AWS KMS: keys of every spec with real cryptography from node:crypto, key policies, grants,
 * aliases, rotation and deletion on the Drydock clock, multi-Region keys and imported key
 * material. Creating and managing custom key stores (CloudHSM, external key stores) and the
 * ML-KEM operations (Encapsulate, Decapsulate, which node:crypto on Node 20 cannot do) are not
 * implemented and answer NotImplemented; DescribeCustomKeyStores lists none.
 */
import type { ServiceDefinition } from '../types.js';
import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases.js';
import { authzHooks, type KmsAuthzHooks } from './authz.js';
import {
  decrypt, encrypt, generateDataKey, generateDataKeyPair, generateDataKeyPairWithoutPlaintext,
  generateDataKeyWithoutPlaintext, generateRandom, reEncrypt,
} from './encryption.js';
import { createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from './grants.js';
import { deleteImportedKeyMaterial, getParametersForImport, importKeyMaterial } from './imports.js';
import {
  cancelKeyDeletion, createKey, describeCustomKeyStores, describeKey, disableKey, enableKey, getKeyLastUsage, listKeys, listResourceTags,
  scheduleKeyDeletion, tagResource, untagResource, updateKeyDescription,
} from './keys.js';
import { getKeyPolicy, keyPolicyLookup, keyTagsLookup, listKeyPolicies, putKeyPolicy } from './policy.js';
import { replicateKey, updatePrimaryRegion } from './regions.js';
import { disableKeyRotation, enableKeyRotation, getKeyRotationStatus, listKeyRotations, rotateKeyOnDemand } from './rotation.js';
import { deriveSharedSecret, generateMac, getPublicKey, sign, verify, verifyMac } from './signatures.js';

const kms: ServiceDefinition = {
  name: 'kms',
  handlers: {
    CreateKey: createKey,
    DescribeKey: describeKey,
    ListKeys: listKeys,
    EnableKey: enableKey,
    DisableKey: disableKey,
    UpdateKeyDescription: updateKeyDescription,
    ScheduleKeyDeletion: scheduleKeyDeletion,
    CancelKeyDeletion: cancelKeyDeletion,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListResourceTags: listResourceTags,
    GetKeyLastUsage: getKeyLastUsage,
    DescribeCustomKeyStores: describeCustomKeyStores,
    GetKeyPolicy: getKeyPolicy,
    PutKeyPolicy: putKeyPolicy,
    ListKeyPolicies: listKeyPolicies,
    Encrypt: encrypt,
    Decrypt: decrypt,
    ReEncrypt: reEncrypt,
    GenerateDataKey: generateDataKey,
    GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
    GenerateDataKeyPair: generateDataKeyPair,
    GenerateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintext,
    GenerateRandom: generateRandom,
    Sign: sign,
    Verify: verify,
    GetPublicKey: getPublicKey,
    GenerateMac: generateMac,
    VerifyMac: verifyMac,
    DeriveSharedSecret: deriveSharedSecret,
    CreateGrant: createGrant,
    ListGrants: listGrants,
    ListRetirableGrants: listRetirableGrants,
    RetireGrant: retireGrant,
    RevokeGrant: revokeGrant,
    CreateAlias: createAlias,
    UpdateAlias: updateAlias,
    DeleteAlias: deleteAlias,
    ListAliases: listAliases,
    EnableKeyRotation: enableKeyRotation,
    DisableKeyRotation: disableKeyRotation,
    GetKeyRotationStatus: getKeyRotationStatus,
    RotateKeyOnDemand: rotateKeyOnDemand,
    ListKeyRotations: listKeyRotations,
    ReplicateKey: replicateKey,
    UpdatePrimaryRegion: updatePrimaryRegion,
    GetParametersForImport: getParametersForImport,
    ImportKeyMaterial: importKeyMaterial,
    DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  },
  install(host) {
    host.ports.resourcePolicies.set('kms', keyPolicyLookup(host.stores));
    host.ports.resourceTags.set('kms', keyTagsLookup(host.stores));
    // Which key a call touches (aliases, ciphertexts) and grants, for the authorizer.
    const hooks = authzHooks(host.stores);
    host.ports.resourceResolvers.set('kms', hooks.resources);
    host.ports.grants.set('kms', hooks.grantAllows);
  },
};

export default kms;
