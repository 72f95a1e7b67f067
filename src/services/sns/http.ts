/**
 * HTTP/S deliveries: real POSTs with the headers SNS sends, retried on server errors and
 * connection failures by the subscription's effective delivery policy, with the waits on the
 * Drydock clock (advance it to run the retries). A 2xx answer delivers; a 4xx, or a policy
 * that runs out, fails the message (to the subscription's dead-letter queue when it has one).
 * Retries in progress are not persisted: a restart drops them.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { retryDelays, subscriptionEffectivePolicy } from './delivery-policy.js';
import type { SnsEnv, SubscriptionRecord, TopicRecord } from './store.js';

/** How long one attempt may take, in real time (AWS waits 15 seconds). */
const ATTEMPT_TIMEOUT_MS = 15_000;

/** What to POST. */
export interface HttpMessage {
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  body: string;
  raw?: boolean;
  /** Confirmation messages are sent as text/plain whatever the delivery policy says. */
  contentType?: string;
}

/** The outcome of one attempt: delivered, retry later, or give up. */
type Attempt = { ok: true } | { ok: false; retry: boolean; reason: string };

function post(url: string, headers: Record<string, string>, body: string): Promise<Attempt> {
  return new Promise((resolve) => {
    let u: URL;
    try { u = new URL(url); } catch { resolve({ ok: false, retry: false, reason: `invalid endpoint ${url}` }); return; }
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    // Local endpoints rarely have certificates a public CA signed; AWS would refuse those.
    const req = send(u, { method: 'POST', headers, rejectUnauthorized: false, timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ ok: true });
        else resolve({ ok: false, retry: status >= 500 || status === 429, reason: `HTTP ${status}` });
      });
      res.on('error', (e) => resolve({ ok: false, retry: true, reason: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve({ ok: false, retry: true, reason: e.message }));
    req.end(body);
  });
}

function headersFor(topic: TopicRecord, sub: SubscriptionRecord, m: HttpMessage, contentType: string, body: string): Record<string, string> {
  const h: Record<string, string> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body, 'utf8')),
    'User-Agent': 'Amazon Simple Notification Service Agent',
    'Accept-Encoding': 'gzip,deflate',
    'X-Amz-Sns-Message-Type': m.type,
    'X-Amz-Sns-Message-Id': m.messageId,
    'X-Amz-Sns-Topic-Arn': topic.arn,
  };
  if (m.type !== 'SubscriptionConfirmation') h['X-Amz-Sns-Subscription-Arn'] = sub.arn;
  if (m.raw) h['X-Amz-Sns-Rawdelivery'] = 'true';
  return h;
}

/**
 * Delivers `m` to an HTTP/S subscription in the background, retrying by its delivery policy;
 * `done` learns the outcome once (after the last retry, when all fail).
 */
export function deliverHttp(
  env: SnsEnv, topic: TopicRecord, sub: SubscriptionRecord, m: HttpMessage,
  done: (result: { ok: true } | { ok: false; reason: string }) => void,
): void {
  const policy = subscriptionEffectivePolicy(sub.attributes['DeliveryPolicy'], topic.attributes['DeliveryPolicy']);
  const contentType = m.contentType ?? policy.requestPolicy.headerContentType ?? 'text/plain; charset=UTF-8';
  const delays = retryDelays(policy.healthyRetryPolicy);
  const headers = headersFor(topic, sub, m, contentType, m.body);
  const attempt = async (n: number): Promise<void> => {
    env.meter.record({
      account: topic.account, region: topic.region, service: 'sns', usageType: 'DeliveryAttempts-HTTP',
      operation: m.type, resourceId: topic.arn, quantity: 1, unit: 'Count',
    });
    const r = await post(sub.endpoint, headers, m.body);
    if (r.ok) { done(r); return; }
    if (!r.retry || n >= delays.length) { done({ ok: false, reason: r.reason }); return; }
    const wait = delays[n]! * 1000;
    if (wait === 0) { void attempt(n + 1); return; }
    env.clock.setTimer(() => attempt(n + 1), wait);
  };
  void attempt(0);
}
