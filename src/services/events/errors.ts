/** EventBridge errors as AWS answers them: every client error is HTTP 400. */
import { AwsError, validationMessage } from '../../core/errors.js';

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** `1 validation error detected: …` for constraint failures (the model carries no constraints). */
export function constraintErrors(problems: string[]): AwsError {
  return validation(validationMessage(problems));
}

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 400);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('ResourceAlreadyExistsException', message, 400);
}

export function limitExceeded(message = 'The requested resource exceeds the maximum number allowed.'): AwsError {
  return new AwsError('LimitExceededException', message, 400);
}

export function busNotFound(name: string): AwsError {
  return notFound(`Event bus ${name} does not exist.`);
}

export function ruleNotFound(name: string, bus: string): AwsError {
  return notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
}

/** A string member's pattern and length, checked as AWS's front end does. */
export interface Constraint {
  pattern?: RegExp;
  /** The pattern as AWS prints it in the message. */
  patternText?: string;
  min?: number;
  max?: number;
}

/** Appends AWS's constraint messages for `value` at `path` (in the order AWS lists them). */
export function check(problems: string[], value: unknown, path: string, c: Constraint): void {
  if (typeof value !== 'string') return;
  const shown = `Value '${value}' at '${path}' failed to satisfy constraint: Member must`;
  if (c.pattern && !c.pattern.test(value)) problems.push(`${shown} satisfy regular expression pattern: ${c.patternText}`);
  if (c.min !== undefined && value.length < c.min) problems.push(`${shown} have length greater than or equal to ${c.min}`);
  if (c.max !== undefined && value.length > c.max) problems.push(`${shown} have length less than or equal to ${c.max}`);
}

export const NAME: Constraint = { pattern: /^[.\-_A-Za-z0-9]+$/, patternText: '[\\.\\-_A-Za-z0-9]+', min: 1, max: 64 };
export const BUS_NAME: Constraint = { pattern: /^[/.\-_A-Za-z0-9]+$/, patternText: '[/\\.\\-_A-Za-z0-9]+', min: 1, max: 256 };

/** Throws the validation error when any problem was found. */
export function throwIf(problems: string[]): void {
  if (problems.length) throw constraintErrors(problems);
}
