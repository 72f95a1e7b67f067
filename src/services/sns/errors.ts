/**
 * SNS errors as AWS answers them. Codes are the model's error shape names; the protocol layer
 * writes their awsQuery codes (`InvalidParameterException` → `InvalidParameter`,
 * `NotFoundException` → `NotFound` with 404, `InvalidParameterValueException` →
 * `ParameterValueInvalid`).
 */
import { AwsError } from '../../core/errors.js';

/** `InvalidParameter` with AWS's text as it is (some texts do not start with `Invalid parameter:`). */
export function invalidParameterRaw(message: string): AwsError {
  return new AwsError('InvalidParameterException', message, 400);
}

/** `Invalid parameter: <what>` or `Invalid parameter: <what> Reason: <reason>`. */
export function invalidParameter(what: string, reason?: string): AwsError {
  return invalidParameterRaw(`Invalid parameter: ${what}${reason === undefined ? '' : ` Reason: ${reason}`}`);
}

/** `ParameterValueInvalid`: message attribute problems. */
export function parameterValueInvalid(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, 400);
}

/** `NotFound` (404): `Topic does not exist`, `Subscription does not exist`. */
export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message, 404);
}

/** The topic an ARN names does not exist. */
export function topicNotFound(): AwsError {
  return notFound('Topic does not exist');
}

/** The subscription an ARN names does not exist. */
export function subscriptionNotFound(): AwsError {
  return notFound('Subscription does not exist');
}

/** `ValidationError` as AWS words a null member it requires. */
export function nullMember(path: string): AwsError {
  return new AwsError('ValidationError',
    `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`, 400);
}

/** Batch errors answered for the whole PublishBatch request. */
export const batchErrors = {
  tooMany: () => new AwsError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.', 400),
  empty: () => new AwsError('EmptyBatchRequestException', 'The batch request doesn\'t contain any entries.', 400),
  notDistinct: () => new AwsError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.', 400),
  tooLong: () => new AwsError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.', 400),
  invalidId: (id: string, tooLong: boolean) => new AwsError('InvalidBatchEntryIdException', tooLong
    ? `The Id of a batch entry in the batch request is too long: ${id}`
    : `The Id of a batch entry in the batch request contains an impermissible character: ${id}`, 400),
};

/** A PublishBatch result entry for an entry that failed on its own. */
export function batchFailure(id: string, err: unknown): { Id: string; Code: string; Message: string; SenderFault: boolean } {
  if (!(err instanceof AwsError)) throw err;
  const code = err.code.endsWith('Exception') ? err.code.slice(0, -'Exception'.length) : err.code;
  return { Id: id, Code: code === 'InvalidParameterValue' ? 'ParameterValueInvalid' : code, Message: err.message, SenderFault: err.sender === 'Sender' };
}
