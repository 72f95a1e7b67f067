/** Route 53 Resolver's errors: codes and `[RSLVR-nnnnn]` messages as AWS words them. */
import { AwsError } from '../../core/errors.js';

export const invalidParameter = (message: string, field?: string): AwsError =>
  new AwsError('InvalidParameterException', message, 400, { fields: field ? { FieldName: field } : {} });
export const invalidRequest = (message: string): AwsError => new AwsError('InvalidRequestException', message, 400);
export const notFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message, 400);
export const exists = (message: string): AwsError => new AwsError('ResourceExistsException', message, 400);

export const ruleNotFound = (id: string): AwsError => notFound(`[RSLVR-00703] Resolver rule with ID "${id}" does not exist.`);
export const endpointNotFound = (id: string): AwsError => notFound(`[RSLVR-00101] Resolver endpoint with ID "${id}" does not exist.`);
export const queryLogConfigNotFound = (traceId: string): AwsError =>
  notFound(`[RSLVR-01601] The specified query logging configuration doesn't exist. Trace Id: "${traceId}"`);
export const inUse = (message: string): AwsError => new AwsError('ResourceInUseException', message, 400);
