/** Step Functions errors, named and worded as AWS answers them. */
import { AwsError, validationMessage } from '../../core/errors.js';

export function invalidArn(arn: string, why?: string): AwsError {
  const reason = why ?? (arn.startsWith('arn:') ? arn : `Invalid ARN prefix: ${arn}`);
  return new AwsError('InvalidArn', `Invalid Arn: '${reason}'`, 400);
}

export function machineDoesNotExist(arn: string): AwsError {
  return new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`, 400);
}

export function executionDoesNotExist(arn: string): AwsError {
  return new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`, 400);
}

export function invalidName(name: string): AwsError {
  return new AwsError('InvalidName', `Invalid Name: '${name}'`, 400);
}

export function invalidDefinition(message: string): AwsError {
  return new AwsError('InvalidDefinition', message, 400);
}

export function validation(problems: string[]): AwsError {
  return new AwsError('ValidationException', validationMessage(problems), 400);
}

export function plainValidation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

export function resourceNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFound', message, 400);
}

export function notSupportedForType(): AwsError {
  return new AwsError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine', 400);
}

export function invalidToken(message = 'Invalid Token'): AwsError {
  return new AwsError('InvalidToken', message, 400);
}

export function taskDoesNotExist(): AwsError {
  return new AwsError('TaskDoesNotExist', 'Task Does Not Exist', 400);
}
