/**
 * KMS errors with the codes and message texts AWS answers (taken from recorded AWS answers
 * where one exists). KMS is awsJson1_1: every client error is an HTTP 400 on AWS.
 */
import { AwsError } from '../../core/errors.js';

function e(code: string, message: string): AwsError {
  return new AwsError(code, message, 400);
}

/** `ValidationException` with a free-form message. */
export function validation(message: string): AwsError {
  return e('ValidationException', message);
}

/** AWS's one-problem constraint message, e.g. for a value outside an enum. */
export function enumError(value: unknown, member: string, allowed: readonly string[]): AwsError {
  return validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

/** A length constraint on a blob or string member (`plaintext`, `message`, `policy`, …). */
export function tooLong(member: string, max: number, value?: string): AwsError {
  const v = value === undefined ? '' : ` '${value}'`;
  return validation(`1 validation error detected: Value${v} at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
}

/** A numeric range constraint, e.g. `numberOfBytes` or `pendingWindowInDays`. */
export function outOfRange(member: string, value: number, min: number, max: number): AwsError {
  const bound = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  return validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value ${bound}`);
}

/** A well-formed key id or ARN naming no key. */
export function keyNotFound(arn: string): AwsError {
  return e('NotFoundException', `Key '${arn}' does not exist`);
}

/** A KeyId that is not shaped like a key id, key ARN or alias. */
export function invalidKeyId(id: string): AwsError {
  return e('NotFoundException', `Invalid keyId '${id}'`);
}

/** A key ARN naming another region than the one the request was sent to. */
export function invalidArnRegion(region: string): AwsError {
  return e('NotFoundException', `Invalid arn ${region}`);
}

/** AWS names the alias by its ARN in this message. */
export function aliasNotFound(aliasArn: string): AwsError {
  return e('NotFoundException', `Alias ${aliasArn} is not found.`);
}

/** Cryptography with a Disabled key. */
export function disabled(arn: string): AwsError {
  return e('DisabledException', `${arn} is disabled.`);
}

/** `KMSInvalidStateException`: the key's state does not allow the operation. */
export function invalidState(message: string): AwsError {
  return e('KMSInvalidStateException', message);
}

/** A key scheduled for deletion refuses use and most changes. */
export function pendingDeletion(arn: string): AwsError {
  return invalidState(`${arn} is pending deletion.`);
}

/** An EXTERNAL key without (current) material. */
export function pendingImport(arn: string): AwsError {
  return invalidState(`${arn} is pending import.`);
}

/** The key's usage does not allow the operation (Encrypt with a signing key, …). */
export function wrongUsage(arn: string, usage: string, operation: string): AwsError {
  return e('InvalidKeyUsageException', `${arn} key usage is ${usage} which is not valid for ${operation}.`);
}

/** An algorithm the key spec does not support (HMAC_SHA_256 with an HMAC_224 key, …). */
export function incompatibleAlgorithm(algorithm: string, keySpec: string): AwsError {
  return e('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`);
}

/** `UnsupportedOperationException`. */
export function unsupported(message: string): AwsError {
  return e('UnsupportedOperationException', message);
}

/** An operation that needs another key origin (import on an AWS_KMS key, …). */
export function wrongOrigin(arn: string, origin: string): AwsError {
  return unsupported(`${arn} origin is ${origin} which is not valid for this operation.`);
}

/** Ciphertext that is not ours, was tampered with, or needs another encryption context. */
export function invalidCiphertext(): AwsError {
  return e('InvalidCiphertextException', '');
}

/** Decrypt/ReEncrypt with a KeyId other than the key the ciphertext was made with. */
export function incorrectKey(): AwsError {
  return e('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
}

/** Verify of a signature that does not match; AWS sends no message. */
export function invalidSignature(): AwsError {
  return e('KMSInvalidSignatureException', '');
}

/** VerifyMac of a MAC that does not match; AWS sends no message. */
export function invalidMac(): AwsError {
  return e('KMSInvalidMacException', '');
}

/** `TagException` (reserved prefix, duplicates, too many tags). */
export function tagError(message: string): AwsError {
  return e('TagException', message);
}

/** `AlreadyExistsException` (alias name taken, replica exists). */
export function alreadyExists(message: string): AwsError {
  return e('AlreadyExistsException', message);
}

/** A key policy the IAM policy engine refuses, with its AWS text. */
export function malformedPolicy(message: string): AwsError {
  return e('MalformedPolicyDocumentException', message);
}

/** The answer to a request with DryRun that would have succeeded. */
export function dryRun(): AwsError {
  return e('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

/** `LimitExceededException` (on-demand rotations). */
export function limitExceeded(message: string): AwsError {
  return e('LimitExceededException', message);
}

/** A grant token that Drydock did not issue. */
export function invalidGrantToken(): AwsError {
  return e('InvalidGrantTokenException', 'Invalid grant token');
}

/** A grant id that names no grant of the key. */
export function invalidGrantId(grantId: string): AwsError {
  return e('InvalidGrantIdException', `Grant ID ${grantId} not found`);
}

/** A pagination marker that Drydock did not issue. */
export function invalidMarker(): AwsError {
  return e('InvalidMarkerException', 'Invalid marker');
}

/** Drydock has no custom key stores. */
export function customKeyStoreNotFound(): AwsError {
  return e('CustomKeyStoreNotFoundException', 'drydock has no custom key stores');
}

/** Imported material that does not fit the key or differs from its earlier material. */
export function incorrectKeyMaterial(message = 'The key material in the request is incorrect.'): AwsError {
  return e('IncorrectKeyMaterialException', message);
}

/** An import token that is unknown or belongs to another key. */
export function invalidImportToken(message = 'The import token is not valid for this KMS key.'): AwsError {
  return e('InvalidImportTokenException', message);
}

/** An import token older than its 24 hours. */
export function expiredImportToken(): AwsError {
  return e('ExpiredImportTokenException', 'The import token has expired.');
}

/** A policy name other than `default`. */
export function keyPolicyNotFound(): AwsError {
  return e('NotFoundException', 'No such policy exists');
}

/** A symmetric-only operation (GenerateDataKey, …) called with an asymmetric key, or the reverse. */
export function wrongSpec(arn: string, keySpec: string, operation: string): AwsError {
  return e('InvalidKeyUsageException', `${arn} key spec ${keySpec} is not valid for ${operation}.`);
}

/** A required blob member, checked for presence and AWS's length limits. */
export function blobIn(v: unknown, member: string, max: number): Buffer {
  if (!Buffer.isBuffer(v)) throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (v.length === 0) throw validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (v.length > max) throw tooLong(member, max);
  return v;
}
