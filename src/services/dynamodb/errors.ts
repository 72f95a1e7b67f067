/**
 * DynamoDB's errors, named and worded as AWS answers them. Engine validation errors become
 * `ValidationException` with the engine's message.
 */
import { AwsError } from '../../core/errors.js';
import { DynamoValidation } from '../../engines/dynamodb/index.js';

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** Item-level calls on a missing table answer without naming it. */
export function resourceNotFound(message = 'Requested resource not found'): AwsError {
  return new AwsError('ResourceNotFoundException', message, 400);
}

export function tableNotFound(name: string): AwsError {
  return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
}

export function resourceInUse(message: string): AwsError {
  return new AwsError('ResourceInUseException', message, 400);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): AwsError {
  return new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, { fields: item ? { Item: item } : {} });
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message, 400);
}

/** Runs `fn`, turning engine validation errors into AWS's ValidationException. */
export function engineCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DynamoValidation) throw validation(e.message);
    throw e;
  }
}

/** `1 validation error detected: Value '…' at '…' failed to satisfy constraint: …`. */
export function constraint(value: unknown, at: string, rule: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return validation(`1 validation error detected: Value ${shown} at '${at}' failed to satisfy constraint: Member must ${rule}`);
}
