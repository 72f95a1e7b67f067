/**
 * The credential-free URLs SNS messages carry, served under `/_drydock/sns/` by the admin API:
 * SigningCertURL (the app's certificate, PEM), SubscribeURL (`?Action=ConfirmSubscription`)
 * and UnsubscribeURL (`?Action=Unsubscribe`), answered in SNS's XML like AWS's own endpoints;
 * plus `deliveries`, the log of messages for email, SMS and other endpoints Drydock cannot
 * reach (and of failed deliveries), as JSON.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import { checkSubscriptionArn, confirm, unsubscribeArn } from './confirmations.js';
import { signingMaterial } from './signing.js';
import { snsState, type DeliveryLogEntry, type SnsEnv } from './store.js';

/** An answer for the admin API to send as it is. */
export interface SnsUrlResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The path prefix these URLs live under. */
export const SNS_URL_PREFIX = '/_drydock/sns/';

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function xml(status: number, body: string): SnsUrlResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body: `<?xml version="1.0"?>\n${body}` };
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function requestId(): string {
  return randomUUID();
}

function errorXml(e: AwsError): SnsUrlResponse {
  const code = e.code.replace(/Exception$/, '').replace(/^InvalidParameterValue$/, 'ParameterValueInvalid');
  return xml(e.status, `<ErrorResponse xmlns="${NS}"><Error><Type>${e.sender}</Type><Code>${escape(code)}</Code><Message>${escape(e.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`);
}

/**
 * Answers a request under {@link SNS_URL_PREFIX}, or undefined when the path is not one of
 * these. `env.endpoint` is the app's endpoint; SNS must be installed in the app (so that
 * deliveries it triggers find their ports).
 */
export function handleSnsUrl(env: SnsEnv, method: string, path: string, query: URLSearchParams): SnsUrlResponse | undefined {
  if (!path.startsWith(SNS_URL_PREFIX) || (method !== 'GET' && method !== 'HEAD')) return undefined;
  const rest = path.slice(SNS_URL_PREFIX.length);
  if (rest.endsWith('.pem')) {
    const m = signingMaterial(env.stores, env.clock);
    if (rest !== m.fileName) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such certificate\n' };
    return { status: 200, headers: { 'content-type': 'application/x-x509-ca-cert' }, body: m.certificatePem };
  }
  if (rest === 'deliveries') {
    const out: DeliveryLogEntry[] = [];
    for (const { account, region } of env.stores.accountsRegions('sns')) {
      if (!account || !region) continue;
      out.push(...snsState(env.stores, account, region).deliveries.values());
    }
    out.sort((a, b) => a.atMs - b.atMs);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deliveries: out }) };
  }
  if (rest !== '') return undefined;
  const action = query.get('Action');
  try {
    if (action === 'ConfirmSubscription') {
      const topicArn = query.get('TopicArn') ?? '';
      const arn = confirm({ ...env, region: parseArn(topicArn)?.region ?? '' }, topicArn, query.get('Token'), 'false');
      return xml(200, `<ConfirmSubscriptionResponse xmlns="${NS}"><ConfirmSubscriptionResult><SubscriptionArn>${escape(arn)}</SubscriptionArn></ConfirmSubscriptionResult><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>`);
    }
    if (action === 'Unsubscribe') {
      unsubscribeArn(env, checkSubscriptionArn(query.get('SubscriptionArn') ?? ''));
      return xml(200, `<UnsubscribeResponse xmlns="${NS}"><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></UnsubscribeResponse>`);
    }
  } catch (e) {
    if (e instanceof AwsError) return errorXml(e);
    throw e;
  }
  return errorXml(new AwsError('InvalidAction', `The action ${action ?? ''} is not valid for this endpoint.`, 400));
}
