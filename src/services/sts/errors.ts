/**
 * STS errors as AWS names them. Shape names (`PackedPolicyTooLargeException`) become their
 * awsQuery wire codes (`PackedPolicyTooLarge`) through the model; the rest are plain codes.
 */
import { AwsError, validationMessage } from '../../core/errors.js';

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

/** Throws AWS's "N validation errors detected: …" when there are constraint failures. */
export function throwProblems(problems: string[]): void {
  if (problems.length > 0) throw validationError(validationMessage(problems));
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, 400);
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, 403);
}

/** The AssumeRole denial, which names neither the reason nor whether the role exists. */
export function notAuthorized(callerArn: string, action: string, resource: string): AwsError {
  return accessDenied(`User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`);
}

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message, 400);
}

export function packedPolicyTooLarge(percent: number): AwsError {
  return new AwsError('PackedPolicyTooLargeException', `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`, 400);
}

export function invalidIdentityToken(message: string): AwsError {
  return new AwsError('InvalidIdentityTokenException', message, 400);
}

export function idpCommunicationError(message: string): AwsError {
  return new AwsError('IDPCommunicationErrorException', message, 400);
}

export function expiredToken(message: string): AwsError {
  return new AwsError('ExpiredTokenException', message, 400);
}

export function invalidAuthorizationMessage(message: string): AwsError {
  return new AwsError('InvalidAuthorizationMessageException', message, 400);
}

/** STS needs IAM's roles; the IAM service fills the port when it loads. */
export function iamUnavailable(operation: string): AwsError {
  return new AwsError('ServiceUnavailable', `drydock cannot run sts:${operation}: the iam service is not loaded, so roles cannot be read`, 503);
}
