/**
 * SQS errors as AWS answers them. Codes are the model's error shape names where the model has
 * one (the protocol layer maps them to the awsQuery codes: `QueueDoesNotExist` →
 * `AWS.SimpleQueueService.NonExistentQueue`); the unmodelled ones carry the JSON `__type` AWS
 * sends (`InvalidParameterValueException`) and their query code (`InvalidParameterValue`).
 */
import { AwsError } from '../../core/errors.js';

/** `InvalidParameterValue`: the most common SQS client error. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, 400, { queryCode: 'InvalidParameterValue' });
}

/** `MissingParameter`, e.g. an empty MessageBody. */
export function missingParameter(name: string): AwsError {
  return new AwsError('MissingRequiredParameterException', `The request must contain the parameter ${name}.`, 400,
    { queryCode: 'MissingParameter' });
}

/** `AWS.SimpleQueueService.NonExistentQueue` in query form. */
export function queueDoesNotExist(): AwsError {
  return new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400);
}

/** A queue attribute name SQS does not accept here. */
export function invalidAttributeName(message: string): AwsError {
  return new AwsError('InvalidAttributeName', message, 400);
}

/** `Invalid value for the parameter X.` with an optional reason. */
export function invalidAttributeValue(name: string, reason?: string): AwsError {
  return new AwsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`, 400);
}

/** `Unknown Attribute X.` */
export function unknownAttribute(name: string): AwsError {
  return invalidAttributeName(`Unknown Attribute ${name}.`);
}

/** A string that is not a receipt handle of this queue (404 in both dialects). */
export function receiptHandleIsInvalid(handle: string): AwsError {
  return new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
}

/** A FIFO receipt handle whose visibility timeout ended or that a later receive replaced. */
export function receiptHandleExpired(handle: string): AwsError {
  return invalidParameter(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
}

/** A body or string attribute with characters outside the XML 1.0 set SQS allows. */
export function invalidMessageContents(): AwsError {
  return new AwsError('InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF', 400);
}

/** A move-task source, destination or task that does not exist (404). */
export function resourceNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404);
}

/** `Value v for parameter p is invalid. Reason: r` */
export function invalidValue(param: string, value: unknown, reason: string): AwsError {
  return invalidParameter(`Value ${String(value)} for parameter ${param} is invalid. Reason: ${reason}`);
}

/**
 * The code and message an error shows in a batch result entry: the query code, as AWS lists
 * `InvalidParameterValue` there and not the JSON `__type`.
 */
export function batchFailure(id: string, err: unknown): { Id: string; SenderFault: boolean; Code: string; Message: string } {
  if (err instanceof AwsError) {
    return { Id: id, SenderFault: err.sender === 'Sender', Code: err.queryCode ?? err.code, Message: err.message };
  }
  throw err;
}
