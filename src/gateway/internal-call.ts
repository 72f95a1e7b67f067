import { AwsError, asAwsError } from '../core/errors.js';
import { requestId } from '../core/ids.js';
import type { Principal } from '../core/identity.js';
import type { JsonSettings } from '../protocols/json-codec.js';
import { readJson, writeJson } from '../protocols/json-codec.js';
import { isStreamBody, streamToBuffer } from '../protocols/body-file.js';
import { loadModel } from '../protocols/model.js';
import { readInput } from '../protocols/protocol.js';
import { protocolNamed } from '../protocols/protocols.js';
import type { Drydock } from './app.js';
import { newRequestContext } from './context.js';
import { AUDITED, INTERNAL } from './pipeline.js';

/**
 * One AWS API call made inside Drydock on a principal's behalf: a Step Functions task, an
 * API Gateway AWS integration, a Lambda function's execution role assumed by
 * `lambda.amazonaws.com`, a Scheduler universal target. It is authorized by the IAM engine and
 * audited exactly as a signed HTTP request would be; only the wire is skipped.
 */
export interface InternalCall {
  /** The model name (`sqs`, `dynamodb`, `lambda`, …). */
  service: string;
  operation: string;
  input: Record<string, unknown>;
  principal: Principal;
  region: string;
  /** Credentials the principal holds, when it is a session (role chaining checks it). */
  accessKeyId?: string;
  sourceIp?: string;
  /**
   * `input` is plain JSON as an SDK sends it (model member names, base64 blobs, epoch-second
   * or ISO timestamps): it is read and validated by the model, and the output is returned as
   * JSON the same way. Without it, input and output are the typed values handlers use.
   */
  json?: boolean;
  /**
   * For a service principal: the resource on whose behalf it calls (`aws:SourceArn`, e.g. the
   * API or rule invoking a function) and its account (`aws:SourceAccount`).
   */
  sourceArn?: string;
  sourceAccount?: string;
}

const JSON_SETTINGS: JsonSettings = { useJsonName: false, timestampFormat: 'epoch-seconds', httpBindings: false };

export async function callInternally(app: Drydock, call: InternalCall): Promise<Record<string, unknown>> {
  const model = loadModel(call.service);
  const op = model.operations[call.operation];
  if (op === undefined) throw new AwsError('InvalidAction', `${model.sdkId} has no operation ${call.operation}`, 400);
  const ctx = newRequestContext({
    method: 'POST', url: '/', headers: { 'user-agent': 'drydock-internal' }, body: Buffer.alloc(0), sourceIp: call.sourceIp,
  }, requestId(), app.clock.now());
  ctx.service = call.service;
  ctx.model = model;
  ctx.protocol = protocolNamed(model.protocol);
  ctx.match = { name: call.operation };
  ctx.principal = call.principal;
  ctx.accessKeyId = call.accessKeyId;
  ctx.account = call.principal.account;
  ctx.region = call.region;
  if (call.sourceArn !== undefined || call.sourceAccount !== undefined) {
    ctx.extraContext = {};
    if (call.sourceArn !== undefined) ctx.extraContext['aws:SourceArn'] = call.sourceArn;
    if (call.sourceAccount !== undefined) ctx.extraContext['aws:SourceAccount'] = call.sourceAccount;
  }
  try {
    ctx.input = call.json
      ? readInput('ValidationException', 'SerializationException', (p) => (readJson(model, op.input, call.input, '', JSON_SETTINGS, p) ?? {}) as Record<string, unknown>)
      : call.input;
    for (const [, step] of INTERNAL) await step(ctx, app);
  } catch (e) {
    ctx.error = asAwsError(e);
  }
  for (const [, step] of AUDITED) await step(ctx, app);
  if (ctx.error) throw ctx.error;
  const output = ctx.output ?? {};
  // An in-process caller (Lambda reading its code from S3) gets bytes, not a file stream.
  for (const [k, v] of Object.entries(output)) if (isStreamBody(v)) output[k] = await streamToBuffer(v);
  return call.json ? (writeJson(model, op.output, output, JSON_SETTINGS) ?? {}) as Record<string, unknown> : output;
}
