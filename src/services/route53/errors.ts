/** Route 53's errors, with the codes, statuses and messages AWS answers. */
import { AwsError } from '../../core/errors.js';

export const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message, 400);
export const noSuchHostedZone = (id: string): AwsError => new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
export const noSuchHealthCheck = (id: string): AwsError =>
  new AwsError('NoSuchHealthCheck', `A health check with id ${id} does not exist.`, 404);
export const noSuchChange = (id: string): AwsError => new AwsError('NoSuchChange', `A change with the specified change ID does not exist: ${id}`, 404);

/** InvalidChangeBatch: every problem of the batch, as AWS lists them in brackets. */
export function invalidChangeBatch(messages: string[]): AwsError {
  return new AwsError('InvalidChangeBatch', `[${messages.join(', ')}]`, 400, { fields: { messages } });
}
