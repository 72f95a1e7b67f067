/**
 * AWS services' own events on the default bus: other Drydock services publish them on the
 * internal bus (S3's `s3:eventbridge` for buckets with EventBridge enabled) or hand them to the
 * `events` delivery port; here they become envelopes and are routed like any other event.
 */
import { randomUUID } from 'node:crypto';
import type { BusTopics } from '../../core/event-bus.js';
import { parseArn } from '../../core/ids.js';
import type { DeliveryMessage } from '../../core/ports.js';
import type { ServiceHost } from '../types.js';
import { eventTime, route } from './router.js';
import type { EventEnvelope } from './store.js';

type S3Event = BusTopics['s3:eventbridge'];

/** Subscribes the default buses to the AWS events other services publish. */
export function subscribeAwsEvents(host: ServiceHost): void {
  host.bus.subscribe('s3:eventbridge', (e: S3Event) => {
    const event: EventEnvelope = {
      version: '0', id: e.id, 'detail-type': e.detailType, source: e.source, account: e.account, time: e.time.replace(/\.\d{3}Z$/, 'Z'),
      region: e.region, resources: e.resources, detail: e.detail,
    };
    return route(host, { account: e.account, region: e.region, name: 'default' }, event, host.clock.nowMs());
  });
}

/** An envelope from a delivery-port message: a PutEvents-style entry or a ready envelope, as JSON. */
export function eventFromMessage(m: DeliveryMessage, busAccount: string, region: string, nowMs: number): EventEnvelope {
  const body = JSON.parse(m.body) as Record<string, unknown>;
  const account = (m.sourceArn && parseArn(m.sourceArn)?.account) || busAccount;
  if (typeof body['detail-type'] === 'string') {
    return {
      version: '0', id: typeof body['id'] === 'string' ? body['id'] : randomUUID(), 'detail-type': body['detail-type'],
      source: String(body['source']), account: typeof body['account'] === 'string' ? body['account'] : account,
      time: typeof body['time'] === 'string' ? body['time'] : eventTime(nowMs), region: typeof body['region'] === 'string' ? body['region'] : region,
      resources: Array.isArray(body['resources']) ? (body['resources'] as string[]) : [], detail: body['detail'] ?? {},
    };
  }
  const detail = typeof body['Detail'] === 'string' ? JSON.parse(body['Detail']) as unknown : body['Detail'] ?? {};
  return {
    version: '0', id: randomUUID(), 'detail-type': String(body['DetailType']), source: String(body['Source']), account,
    time: eventTime(typeof body['Time'] === 'string' ? Date.parse(body['Time']) : nowMs), region,
    resources: Array.isArray(body['Resources']) ? (body['Resources'] as string[]) : [], detail,
  };
}
