import { AwsError, validationMessage } from '../core/errors.js';
import type { ProtocolName, ServiceModel } from './model.js';
import { errorShape, shapeOf } from './model.js';
import { Problems, SerdeError } from './values.js';
import { quirksOf } from './quirks.js';
import type { SpooledBody, StreamBody } from './body-file.js';

/** A request as the wire layer sees it: the body fully read, the path still percent-encoded. */
export interface WireRequest {
  method: string;
  /** Raw path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** A large body on disk, for an operation whose payload member is a blob (then `body` is empty). */
  bodyFile?: SpooledBody;
  /** S3 only: the bucket named by the host or the first path segment (then removed from `path`). */
  bucket?: string;
  /** The query request's parameters once read (URL query plus form body), kept for the steps that ask again. */
  form?: { body: Buffer; query: URLSearchParams; params: URLSearchParams };
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | StreamBody;
}

export interface ResponseContext { requestId: string; method: string }

export interface OperationMatch { name: string; labels?: Record<string, string> }

/**
 * One AWS protocol: finds the operation a request calls, reads its input, writes its output
 * and errors. Variants (EC2 query, SQS in query mode, S3's restXml) are settings of the same
 * implementations, not copies.
 */
export interface Protocol {
  readonly name: ProtocolName;
  match(model: ServiceModel, req: WireRequest): OperationMatch | undefined;
  parse(model: ServiceModel, match: OperationMatch, req: WireRequest): Record<string, unknown>;
  serialize(model: ServiceModel, operation: string, output: Record<string, unknown>, rc: ResponseContext): WireResponse;
  serializeError(model: ServiceModel, err: AwsError, rc: ResponseContext): WireResponse;
}

/** How a service reports missing required members (AWS differs by service and protocol). */
export type ValidationStyle = 'ValidationException' | 'ValidationError' | 'MissingParameter'
  /** SQS: `MissingParameter` in query, `MissingRequiredParameterException` in JSON. */
  | 'MissingRequiredParameter';

/** Runs a codec read, turning its problems into the service's AWS validation error. */
export function readInput<T>(
  style: ValidationStyle, malformedCode: string, fn: (p: Problems) => T,
): T {
  const problems = new Problems();
  let value: T;
  try {
    value = fn(problems);
  } catch (e) {
    if (e instanceof SerdeError) throw new AwsError(malformedCode, e.message, 400);
    throw e;
  }
  if (problems.list.length) throw validationError(style, problems.list);
  return value;
}

function validationError(style: ValidationStyle, problems: string[]): AwsError {
  if (style === 'MissingParameter' || style === 'MissingRequiredParameter') {
    const m = /^Value null at '([^']+)'/.exec(problems[0]!);
    const name = (m?.[1] ?? '').split('.').pop() ?? '';
    return new AwsError(style === 'MissingParameter' ? 'MissingParameter' : 'MissingRequiredParameterException', `The request must contain the parameter ${name[0]?.toUpperCase() ?? ''}${name.slice(1)}.`, 400,
      { queryCode: 'MissingParameter' });
  }
  return new AwsError(style, validationMessage(problems), 400);
}

/** The members of the error shape, filled from the error's message and fields. */
export function errorMembers(model: ServiceModel, err: AwsError): { shapeId?: string; values: Record<string, unknown> } {
  const shape = errorShape(model, err.code);
  const values: Record<string, unknown> = { ...err.fields };
  if (!shape) return { values: { message: err.message, ...values } };
  const names = Object.keys(shape.members ?? {});
  const messageKey = names.find((n) => n.toLowerCase() === 'message') ?? 'message';
  values[messageKey] ??= err.message;
  return { shapeId: err.code, values };
}

/** Status of an error: the model's httpError (or awsQueryError) wins over the default. */
export function errorStatus(model: ServiceModel, err: AwsError): number {
  const shape = errorShape(model, err.code);
  if (quirksOf(model).clientErrorsAre400 && err.status < 500 && (shape?.traits?.httpError ?? 400) < 500) return 400;
  return shape?.traits?.httpError ?? err.status;
}

/** Whether an operation's output is the unit shape (no members at all). */
export function isUnitOutput(model: ServiceModel, operation: string): boolean {
  const out = model.operations[operation]!.output;
  return out === '#unit' || Object.keys(shapeOf(model, out).members ?? {}).length === 0;
}
