/** The Invoke operation: RequestResponse, Event (the async queue) and DryRun. */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { enqueueAsync } from './async.js';
import { requestTooLarge, validation } from './errors.js';
import { execute, logResult } from './execute.js';
import { runtimeKind } from './launch.js';
import { hostOf } from './pool.js';
import { resolve, versionOf } from './resolve.js';
import { routeAlias } from './versions.js';

type In = Record<string, unknown>;

const SYNC_LIMIT = 6_291_456;
const ASYNC_LIMIT = 1_048_576;
const EMPTY = Buffer.from('{}');

/** Checks a request payload is JSON (as Lambda does before running anything). */
export function checkPayload(payload: Buffer): void {
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (e) {
    throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`, 400, { fields: { Type: 'User' } });
  }
}

export async function invoke(input: In, ctx: ServiceContext): Promise<In> {
  const type = (input['InvocationType'] as string | undefined) ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    throw validation(type, 'invocationType', 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
  }
  const logType = input['LogType'] as string | undefined;
  if (logType !== undefined && logType !== 'None' && logType !== 'Tail') {
    throw validation(logType, 'logType', 'Member must satisfy enum value set: [None, Tail]');
  }
  const r = resolve(ctx, input);
  const raw = input['Payload'] as Uint8Array | undefined;
  const payload = raw === undefined || raw.length === 0 ? EMPTY : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  if (type === 'Event' && payload.length > ASYNC_LIMIT) throw requestTooLarge(`Request must be smaller than ${ASYNC_LIMIT} bytes for the InvokeAsync operation`);
  if (payload.length > SYNC_LIMIT) throw requestTooLarge(`Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation`);
  if (payload !== EMPTY) checkPayload(payload);
  if (runtimeKind(r.cfg.runtime) === undefined) {
    throw new AwsError('InvalidRuntimeException', `The runtime parameter of ${r.cfg.runtime ?? 'none'} is not available in Drydock (it runs nodejs*, python3* and provided.* functions).`, 502, { fields: { Type: 'User' } });
  }
  if (type === 'DryRun') return { StatusCode: 204 };
  const host = hostOf(ctx.stores);
  if (type === 'Event') {
    enqueueAsync(host, r.state, r.fn.name, r.ref.qualifier, payload);
    return { StatusCode: 202 };
  }
  const cfg = r.alias ? versionOf(r.fn, routeAlias(r.alias))!.cfg : r.cfg;
  const clientContext = input['ClientContext'] as string | undefined;
  const ran = await execute(host, r.state, r.fn, cfg, payload, {
    qualifier: r.ref.qualifier, ...(clientContext ? { clientContext: Buffer.from(clientContext, 'base64').toString('utf8') } : {}),
  });
  const out: In = { StatusCode: 200, ExecutedVersion: ran.version, Payload: ran.payload };
  if (ran.functionError !== undefined) out['FunctionError'] = ran.functionError;
  if (logType === 'Tail') out['LogResult'] = logResult(ran.tail);
  return out;
}

/** The deprecated InvokeAsync: an Event invocation of $LATEST (or the qualifier in the name). */
export async function invokeAsync(input: In, ctx: ServiceContext): Promise<In> {
  const args = input['InvokeArgs'] as Uint8Array | undefined;
  await invoke({ FunctionName: input['FunctionName'], InvocationType: 'Event', Payload: args }, ctx);
  return { Status: 202 };
}
