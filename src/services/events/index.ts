/**
 * Amazon EventBridge: event buses (default and custom) with resource policies, rules with
 * patterns (the event-pattern engine) or schedules (the cron engine, on the clock), targets
 * (SQS incl. FIFO, SNS, Lambda, Step Functions, other buses across accounts and regions,
 * CloudWatch Logs, API destinations over HTTP with connection auth and rate limits) with Input/InputPath/InputTransformer, retry policies and dead-letter
 * queues, archives and replays, and AWS services' own events (S3) on the default bus.
 *
 * Not implemented (answer NotImplemented): global endpoints and partner event sources (the
 * endpoint, partner and event-source operations).
 */
import { parseArn } from '../../core/ids.js';
import type { DeliveryMessage } from '../../core/ports.js';
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import {
  cancelReplay, createArchive, deleteArchive, describeArchive, describeReplay, listArchives, listReplays, startReplay, updateArchive,
} from './archives.js';
import {
  createApiDestination, createConnection, deauthorizeConnection, deleteApiDestination, deleteConnection, describeApiDestination, describeConnection,
  listApiDestinations, listConnections, updateApiDestination, updateConnection,
} from './connections.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses, putPermission, removePermission, updateEventBus } from './buses.js';
import { rememberHost } from './host.js';
import { busByArn, resolveResources } from './permissions.js';
import { putEvents } from './put-events.js';
import { route } from './router.js';
import {
  deleteRule, describeRule, disableRule, enableRule, listRuleNamesByTarget, listRules, putRule, testEventPattern,
} from './rules.js';
import { armAll } from './scheduled.js';
import { eventFromMessage, subscribeAwsEvents } from './service-events.js';
import { listTagsForResource, tagResource, tagsOfArn, untagResource } from './tags.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';

const HANDLERS: Record<string, Handler> = {
  CancelReplay: cancelReplay,
  CreateApiDestination: createApiDestination,
  CreateConnection: createConnection,
  DeauthorizeConnection: deauthorizeConnection,
  DeleteApiDestination: deleteApiDestination,
  DeleteConnection: deleteConnection,
  DescribeApiDestination: describeApiDestination,
  DescribeConnection: describeConnection,
  ListApiDestinations: listApiDestinations,
  ListConnections: listConnections,
  UpdateApiDestination: updateApiDestination,
  UpdateConnection: updateConnection,
  CreateArchive: createArchive,
  CreateEventBus: createEventBus,
  DeleteArchive: deleteArchive,
  DeleteEventBus: deleteEventBus,
  DeleteRule: deleteRule,
  DescribeArchive: describeArchive,
  DescribeEventBus: describeEventBus,
  DescribeReplay: describeReplay,
  DescribeRule: describeRule,
  DisableRule: disableRule,
  EnableRule: enableRule,
  ListArchives: listArchives,
  ListEventBuses: listEventBuses,
  ListReplays: listReplays,
  ListRuleNamesByTarget: listRuleNamesByTarget,
  ListRules: listRules,
  ListTagsForResource: listTagsForResource,
  ListTargetsByRule: listTargetsByRule,
  PutEvents: putEvents,
  PutPermission: putPermission,
  PutRule: putRule,
  PutTargets: putTargets,
  RemovePermission: removePermission,
  RemoveTargets: removeTargets,
  StartReplay: startReplay,
  TagResource: tagResource,
  TestEventPattern: testEventPattern,
  UntagResource: untagResource,
  UpdateArchive: updateArchive,
  UpdateEventBus: updateEventBus,
};

/**
 * The `events` delivery port: another service (Lambda destinations, Scheduler, S3) puts an
 * event on a bus by ARN. The body is the PutEvents entry as JSON (`Source`, `DetailType`,
 * `Detail`, `Resources`) or a ready envelope (`source`, `detail-type`, …); `sourceArn`'s
 * account is the event's account.
 */
async function deliverToBus(host: ServiceHost, busArn: string, m: DeliveryMessage): Promise<void> {
  const a = parseArn(busArn);
  if (!a || !a.resource.startsWith('event-bus/')) throw new Error(`\`${busArn}\` is not an event bus ARN`);
  const event = eventFromMessage(m, a.account, a.region, host.clock.nowMs());
  await route(host, { account: a.account, region: a.region, name: a.resource.slice('event-bus/'.length) }, event, host.clock.nowMs());
}

const events: ServiceDefinition = {
  name: 'events',
  handlers: HANDLERS,
  install(host) {
    rememberHost(host);
    host.ports.resourceResolvers.set('events', resolveResources);
    host.ports.resourcePolicies.set('events', (arn) => {
      const bus = busByArn(host.stores, arn);
      return bus?.policy ? { document: bus.policy, account: parseArn(arn)!.account } : undefined;
    });
    host.ports.resourceTags.set('events', (arn) => tagsOfArn(host.stores, arn));
    host.ports.deliver.set('events', (arn, m) => deliverToBus(host, arn, m));
    subscribeAwsEvents(host);
    armAll(host);
  },
};

export default events;
