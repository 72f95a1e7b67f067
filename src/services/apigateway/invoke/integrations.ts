/**
 * Runs a method's integration: MOCK, HTTP and HTTP_PROXY (real requests), AWS (another
 * service's operation, called in-process as the integration's role) and Lambda, proxy or not.
 */
import type { AppResponse } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/ids.js';
import type { IntegrationRecord } from '../store.js';
import { sourceArn, type Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import { callerFor, functionOfUri, invokeFunction } from './lambda.js';
import { mapRequest, mapResponse, selectResponse, type MappedRequest } from './mapping.js';
import { proxyEvent, proxyResponse } from './proxy.js';
import { sendHttp, type HttpAnswer } from './http.js';

const internalError = (): GatewayFailure => new GatewayFailure('DEFAULT_5XX', 'Internal server error');

export async function runIntegration(inv: Invocation): Promise<AppResponse> {
  const integration = inv.match!.method.methodIntegration;
  if (!integration) throw internalError();
  switch (integration.type) {
    case 'MOCK': return mock(integration, inv);
    case 'HTTP_PROXY': return httpProxy(integration, inv);
    case 'HTTP': return nonProxy(integration, inv, await sendHttp(integration, inv, mapRequest(integration, inv)));
    case 'AWS_PROXY': return lambdaProxy(integration, inv);
    case 'AWS': return nonProxy(integration, inv, await awsService(integration, inv, mapRequest(integration, inv)));
    default: throw internalError();
  }
}

/** Maps an answer through the integration response its status (or Lambda error message) selects. */
function nonProxy(integration: IntegrationRecord, inv: Invocation, answer: HttpAnswer & { selector?: string }): AppResponse {
  const r = selectResponse(integration, answer.selector ?? String(answer.status));
  if (!r) throw internalError();
  const mapped = mapResponse(r, inv, answer.body, answer.headers);
  return { status: mapped.status, headers: mapped.headers, body: mapped.body };
}

function mock(integration: IntegrationRecord, inv: Invocation): AppResponse {
  const mapped = mapRequest(integration, inv);
  let status = 200;
  try {
    const code = (JSON.parse(mapped.body.toString() || '{}') as { statusCode?: unknown }).statusCode;
    if (code !== undefined) status = Number(code);
  } catch { /* a body that is not JSON selects the default response */ }
  return nonProxy(integration, inv, { status, headers: {}, body: '', raw: '' });
}

async function httpProxy(integration: IntegrationRecord, inv: Invocation): Promise<AppResponse> {
  const path: Record<string, string> = { ...inv.match!.pathParameters };
  const mapped: MappedRequest = { headers: {}, query: {}, path, body: inv.req.body };
  const fromParams = mapRequest({ ...integration, requestTemplates: undefined, passthroughBehavior: 'WHEN_NO_MATCH' }, inv);
  Object.assign(mapped.path, fromParams.path);
  const answer = await sendHttp(integration, inv, { ...mapped, headers: fromParams.headers, query: fromParams.query }, true);
  return { status: answer.status, headers: answer.headers, body: answer.raw };
}

async function lambdaProxy(integration: IntegrationRecord, inv: Invocation): Promise<AppResponse> {
  const fn = functionOfUri(integration.uri);
  if (!fn) throw internalError();
  let answer;
  try {
    answer = await invokeFunction(inv.host, inv.account, inv.region, fn, JSON.stringify(proxyEvent(inv)), sourceArn(inv), integration.credentials);
  } catch (e) {
    if (e instanceof AwsError) throw internalError();
    throw e;
  }
  return proxyResponse(answer.payload, answer.functionError);
}

/** Lambda (non-proxy) or another AWS service, answering like an HTTP backend. */
async function awsService(integration: IntegrationRecord, inv: Invocation, req: MappedRequest): Promise<HttpAnswer & { selector?: string }> {
  const fn = functionOfUri(integration.uri);
  if (fn) {
    try {
      const a = await invokeFunction(inv.host, inv.account, inv.region, fn, req.body.toString() || '{}', sourceArn(inv), integration.credentials);
      if (!a.functionError) return { status: 200, headers: {}, body: a.payload, raw: a.payload, selector: '' };
      let message = a.payload;
      try { message = String((JSON.parse(a.payload) as { errorMessage?: unknown }).errorMessage ?? a.payload); } catch { /* the raw payload is the message */ }
      return { status: 200, headers: { 'x-amz-function-error': a.functionError }, body: a.payload, raw: a.payload, selector: message };
    } catch (e) {
      if (e instanceof AwsError) throw internalError();
      throw e;
    }
  }
  const arn = parseArn(integration.uri ?? '');
  if (!arn) throw internalError();
  const service = SERVICE_MODELS[arn.account] ?? arn.account;
  const { operation, input } = awsInput(arn.resource, req, inv);
  if (!operation) throw internalError();
  try {
    const caller = await callerFor(inv.host, inv.account, inv.region, integration.credentials);
    const out = await inv.host.call({
      service, operation, input, json: true, principal: caller.principal, accessKeyId: caller.accessKeyId, region: arn.region || inv.region,
    });
    const body = JSON.stringify(QUERY_STYLE.has(service)
      ? { [`${operation}Response`]: { [`${operation}Result`]: out, ResponseMetadata: { RequestId: inv.req.requestId } } }
      : out);
    return { status: 200, headers: { 'content-type': 'application/json' }, body, raw: body };
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    const body = JSON.stringify({ __type: e.code, message: e.message });
    return { status: e.status, headers: { 'content-type': 'application/json' }, body, raw: body };
  }
}

/** Endpoint prefixes that differ from Drydock's model names. */
const SERVICE_MODELS: Record<string, string> = { states: 'sfn', monitoring: 'cloudwatch', email: 'ses' };
/** Services reached through the query API, whose JSON answers AWS wraps in `<Op>Response`. */
const QUERY_STYLE = new Set(['sqs', 'sns', 'sts', 'iam']);

/** The operation and input of an AWS integration: `action/<Op>` or a path (SQS `path/<account>/<queue>`) with a form body. */
function awsInput(resource: string, req: MappedRequest, inv: Invocation): { operation?: string; input: Record<string, unknown> } {
  const body = req.body.toString();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch { json = undefined; }
  const form: Record<string, unknown> = { ...req.query };
  if (!json) for (const [k, v] of new URLSearchParams(body)) form[k] = v;
  const input: Record<string, unknown> = json ?? form;
  let operation: string | undefined;
  const action = /^action\/([A-Za-z0-9]+)/.exec(resource);
  if (action) operation = action[1];
  else {
    operation = typeof form['Action'] === 'string' ? form['Action'] : undefined;
    const p = /^path\/(\d{12})\/([^/?]+)/.exec(resource);
    if (p) input['QueueUrl'] ??= `${inv.host.endpoint}/${p[1]}/${p[2]}`;
  }
  delete input['Action'];
  delete input['Version'];
  return { operation, input };
}
