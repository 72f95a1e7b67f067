/** CloudWatch Logs errors (all 400, as the service answers them). */
import { AwsError, validationMessage } from '../../core/errors.js';

export const groupNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
export const streamNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
export const invalidParameter = (m: string): AwsError => new AwsError('InvalidParameterException', m, 400);
export const badToken = (): AwsError => invalidParameter('The specified nextToken is invalid.');

export function validation(value: string, member: string, constraint: string): AwsError {
  return new AwsError('InvalidParameterException', validationMessage([`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`]), 400);
}
