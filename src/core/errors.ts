/**
 * The error every service and protocol speaks: an AWS error code, the HTTP status AWS answers
 * with and AWS's message text. Protocols serialize it in the service's own wire form; extra
 * `fields` fill the members of the error shape the model declares (e.g. `CancellationReasons`).
 */
const KEEP_STACKS = !!process.env['DRYDOCK_DEBUG'];

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** `Sender` for client faults (4xx), `Receiver` for service faults (5xx). */
  readonly sender: 'Sender' | 'Receiver';
  readonly fields: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;
  /** The awsQuery wire code when it differs from `code` and the model does not say so. */
  readonly queryCode?: string;

  constructor(
    code: string, message: string, status = 400,
    opts: { fields?: Record<string, unknown>; headers?: Record<string, string>; queryCode?: string } = {},
  ) {
    // An AWS error is an answer, not a fault: capturing its stack cost more than the rest of
    // a refused request (~8 µs). DRYDOCK_DEBUG keeps stacks for tracing where one came from.
    const limit = Error.stackTraceLimit;
    if (!KEEP_STACKS) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = code;
    this.code = code;
    this.status = status;
    this.sender = status >= 500 ? 'Receiver' : 'Sender';
    this.fields = opts.fields ?? {};
    this.headers = opts.headers ?? {};
    this.queryCode = opts.queryCode;
  }
}

/** The answer for an operation that exists in AWS's model but that Drydock does not implement. */
export function notImplemented(service: string, operation: string): AwsError {
  return new AwsError('NotImplemented', `drydock does not implement ${service}:${operation} yet`, 501);
}

/** AWS's "1 validation error detected: …" message for a list of constraint failures. */
export function validationMessage(problems: string[]): string {
  const n = problems.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

/** Anything thrown below the gateway becomes an AWS error; a bug answers 500 InternalFailure, never a crash. */
export function asAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (process.env['DRYDOCK_DEBUG']) console.error(e);
  return new AwsError('InternalFailure', `drydock internal error: ${message}`, 500);
}
