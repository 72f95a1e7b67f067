/**
 * IAM's errors, named and worded as AWS answers them. Codes are the model's error shape
 * names, so the awsQuery protocol writes AWS's wire code (`NoSuchEntity`) and the status
 * the model gives it (404); `ValidationError` is not in the model and carries its own 400.
 */
import { AwsError, validationMessage } from '../../core/errors.js';
import { MalformedPolicyError } from '../../engines/iam-policy/index.js';

/** NoSuchEntity (404). */
export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntityException', message, 404);
}

/** EntityAlreadyExists (409). */
export function alreadyExists(message: string): AwsError {
  return new AwsError('EntityAlreadyExistsException', message, 409);
}

/** DeleteConflict (409). */
export function deleteConflict(message: string): AwsError {
  return new AwsError('DeleteConflictException', message, 409);
}

/** LimitExceeded (409). */
export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message, 409);
}

/** InvalidInput (400). */
export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInputException', message, 400);
}

/** UnmodifiableEntity (400): what AWS answers for changes to service-linked roles. */
export function unmodifiable(message: string): AwsError {
  return new AwsError('UnmodifiableEntityException', message, 400);
}

/** MalformedPolicyDocument (400). */
export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message, 400);
}

/** ValidationError (400), with AWS's "1 validation error detected: …" wording. */
export function validationError(...problems: string[]): AwsError {
  return new AwsError('ValidationError', validationMessage(problems), 400);
}

/** ValidationError (400) with a message of its own. */
export function validationText(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

/** The engine's refusal as IAM words it; IAM answers unparseable JSON with its own sentence. */
export function fromMalformed(err: unknown): never {
  if (err instanceof MalformedPolicyError) {
    throw malformedPolicy(err.reason === 'json' ? 'This policy contains invalid Json' : err.message);
  }
  throw err;
}

// AWS's constraint patterns, quoted in its validation messages as the model states them.
const NAME_PATTERN = '[\\w+=,.@-]+';
const PATH_PATTERN = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;

function constraint(value: string, member: string, rule: string): string {
  return `Value '${value}' at '${member}' failed to satisfy constraint: Member must ${rule}`;
}

/** Checks an entity name (user, group, role, policy, instance profile): length and alphabet. */
export function checkName(value: unknown, member: string, max = 64): string {
  const v = String(value ?? '');
  if (v.length < 1) throw validationError(constraint(v, member, 'have length greater than or equal to 1'));
  if (v.length > max) throw validationError(constraint(v, member, `have length less than or equal to ${max}`));
  if (!NAME_RE.test(v)) throw validationError(constraint(v, member, `satisfy regular expression pattern: ${NAME_PATTERN}`));
  return v;
}

/** Checks a path (`/` or `/a/b/`); undefined becomes `/`. */
export function checkPath(value: unknown, member = 'path'): string {
  if (value === undefined || value === null) return '/';
  const v = String(value);
  if (v.length > 512) throw validationError(constraint(v, member, 'have length less than or equal to 512'));
  if (!PATH_RE.test(v)) throw validationError(constraint(v, member, `satisfy regular expression pattern: ${PATH_PATTERN}`));
  return v;
}

/** Checks an optional description's length. */
export function checkDescription(value: unknown, member = 'description', max = 1000): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = String(value);
  if (v.length > max) throw validationError(constraint(v, member, `have length less than or equal to ${max}`));
  return v;
}

/** Checks an integer range, as AWS words a violation. */
export function checkRange(value: number, member: string, min: number, max: number): number {
  if (value < min) throw validationError(constraint(String(value), member, `have value greater than or equal to ${min}`));
  if (value > max) throw validationError(constraint(String(value), member, `have value less than or equal to ${max}`));
  return value;
}

/** Checks a value against an enum. */
export function checkEnum<T extends string>(value: unknown, member: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    // AWS leaves the value out of this one (recorded from UpdateServiceSpecificCredential).
    throw validationError(`Value at '${member}' failed to satisfy constraint: Member must satisfy enum value set`);
  }
  return value as T;
}
