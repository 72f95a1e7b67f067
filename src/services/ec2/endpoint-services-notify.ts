/**
 * PrivateLink connection notifications: an SNS topic told when a consumer's endpoint connects
 * to a service, is accepted or rejected, or is deleted. A notification hangs on a service (the
 * provider's) or on an interface endpoint (the consumer's). The topic is published to as
 * `vpce.amazonaws.com`, so its access policy must allow that service to publish, as on AWS.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { servicePrincipal } from '../../core/identity.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { found, invalidParam, missingParam } from './errors.js';
import { endpointServices } from './endpoint-services-store.js';
import { ec2State, stateOf, type Ec2State, type Tag } from './store.js';

interface NotificationRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  serviceId?: string;
  vpcEndpointId?: string;
  topicArn: string;
  events: string[];
}

export type ConnectionEvent = 'Accept' | 'Connect' | 'Delete' | 'Reject';
const EVENTS = ['Accept', 'Connect', 'Delete', 'Reject'];
const notifications = (s: Ec2State) => s.extra<NotificationRecord>('connectionNotifications');

function checkTopic(v: unknown): string {
  const arn = String(v ?? '');
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(arn)) throw new AwsError('InvalidParameter', `Invalid ConnectionNotificationArn: ${arn}`, 400);
  return arn;
}

function checkEvents(v: unknown): string[] {
  const list = Array.isArray(v) ? (v as string[]) : [];
  if (list.length === 0) throw missingParam('ConnectionEvents');
  const bad = list.find((e) => !EVENTS.includes(e));
  if (bad !== undefined) throw new AwsError('InvalidParameter', `Invalid connection event ${bad}. Valid values: ${EVENTS.join(', ')}`, 400);
  return [...new Set(list)];
}

export const createVpcEndpointConnectionNotification: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const serviceId = input['ServiceId'] as string | undefined;
  const vpcEndpointId = input['VpcEndpointId'] as string | undefined;
  if ((serviceId === undefined) === (vpcEndpointId === undefined)) throw new AwsError('InvalidParameter', 'Specify either ServiceId or VpcEndpointId.', 400);
  if (serviceId !== undefined && endpointServices(s).get(serviceId)?.state !== 'Available') {
    throw new AwsError('InvalidVpcEndpointServiceId.NotFound', `The Vpc Endpoint Service Id '${serviceId}' does not exist`, 400);
  }
  if (vpcEndpointId !== undefined) {
    const ep = s.extra<{ type: string; state: string }>('endpoints').get(vpcEndpointId);
    if (ep === undefined || ep.state === 'deleted') throw new AwsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${vpcEndpointId}' does not exist`, 400);
    if (ep.type !== 'Interface') throw invalidParam('Connection notifications are supported for interface endpoints only.');
  }
  const n: NotificationRecord = {
    id: awsId('vpce-nfn'), tags: [], createdMs: ctx.clock.nowMs(), serviceId, vpcEndpointId, topicArn: checkTopic(input['ConnectionNotificationArn']),
    events: checkEvents(input['ConnectionEvents']),
  };
  notifications(s).set(n.id, n);
  return { ConnectionNotification: out(n, ctx), ClientToken: input['ClientToken'] };
};

function out(n: NotificationRecord, ctx: ServiceContext) {
  return {
    ConnectionNotificationId: n.id, ServiceId: n.serviceId, VpcEndpointId: n.vpcEndpointId, ConnectionNotificationType: 'Topic',
    ConnectionNotificationArn: n.topicArn, ConnectionEvents: n.events, ConnectionNotificationState: 'Enabled', ServiceRegion: ctx.region,
  };
}

function notificationOf(s: Ec2State, id: unknown): NotificationRecord {
  return found(notifications(s), id, (i) => new AwsError('InvalidConnectionNotification', `The connection notification '${i}' does not exist`, 400));
}

export const describeVpcEndpointConnectionNotifications: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const only = input['ConnectionNotificationId'] === undefined ? undefined : notificationOf(s, input['ConnectionNotificationId']);
  const page = describe({
    items: only ? [only] : [...notifications(s).values()], idOf: (n) => n.id, tagsOf: (n) => n.tags, notFound: (ids) => notificationOf(s, ids[0]) as never,
    fields: {
      'connection-notification-arn': (n) => n.topicArn, 'connection-notification-id': (n) => n.id, 'connection-notification-state': () => 'Enabled',
      'connection-notification-type': () => 'Topic', 'service-id': (n) => n.serviceId, 'vpc-endpoint-id': (n) => n.vpcEndpointId,
    },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { ConnectionNotificationSet: page.items.map((n) => out(n, ctx)), NextToken: page.nextToken };
};

export const modifyVpcEndpointConnectionNotification: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const n = notificationOf(s, input['ConnectionNotificationId']);
  if (input['ConnectionNotificationArn'] !== undefined) n.topicArn = checkTopic(input['ConnectionNotificationArn']);
  if (input['ConnectionEvents'] !== undefined) n.events = checkEvents(input['ConnectionEvents']);
  notifications(s).set(n.id, n);
  return { ReturnValue: true };
};

export const deleteVpcEndpointConnectionNotifications: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const ids = Array.isArray(input['ConnectionNotificationIds']) ? (input['ConnectionNotificationIds'] as string[]) : [];
  if (ids.length === 0) throw missingParam('ConnectionNotificationIds');
  const unsuccessful = ids.filter((id) => !notifications(s).delete(id))
    .map((id) => ({ ResourceId: id, Error: { Code: 'InvalidConnectionNotification', Message: `The connection notification '${id}' does not exist` } }));
  return { Unsuccessful: unsuccessful };
};

/**
 * Tells the provider's service notifications and the consumer's endpoint notifications that
 * subscribed to `event`. Publishing failures (no topic, a policy that refuses) are dropped, as
 * a notification is not part of the API call that caused it.
 */
export async function notifyConnection(
  ctx: ServiceContext, event: ConnectionEvent,
  c: { serviceId: string; provider: string; endpointId: string; consumer: string; endpointState: string },
): Promise<void> {
  const targets = [
    ...[...notifications(stateOf(ctx.stores, c.provider, ctx.region)).values()].filter((n) => n.serviceId === c.serviceId).map((n) => ({ n, account: c.provider })),
    ...[...notifications(stateOf(ctx.stores, c.consumer, ctx.region)).values()].filter((n) => n.vpcEndpointId === c.endpointId).map((n) => ({ n, account: c.consumer })),
  ].filter((t) => t.n.events.includes(event));
  for (const { n, account } of targets) {
    const message = {
      EventType: event, ConnectionNotificationId: n.id, ServiceId: c.serviceId, VpcEndpointId: c.endpointId, VpcEndpointOwner: c.consumer,
      VpcEndpointState: c.endpointState, Timestamp: ctx.clock.now().toISOString(),
    };
    await ctx.call({
      service: 'sns', operation: 'Publish', principal: servicePrincipal('vpce.amazonaws.com', account), region: ctx.region, sourceAccount: account,
      input: { TopicArn: n.topicArn, Subject: `VPC Endpoint Connection ${event}`, Message: JSON.stringify(message) },
    }).catch(() => undefined);
  }
}
