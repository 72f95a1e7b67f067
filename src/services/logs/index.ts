/**
 * Amazon CloudWatch Logs, enough to read what functions print: log groups and streams,
 * PutLogEvents, GetLogEvents, FilterLogEvents with filter patterns, retention on the clock.
 * Other services write through the `logs` delivery port (target
 * `arn:…:log-group:<group>:log-stream:<stream>`, body a JSON array of `{timestamp, message}`),
 * which makes the group and stream when they are missing, as Lambda's service does.
 */
import { parseArn } from '../../core/ids.js';
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import { getLogEvents, filterLogEvents, putLogEvents, retainedFrom } from './events.js';
import {
  createGroup, createLogGroup, createLogStream, deleteLogGroup, deleteLogStream, deleteRetentionPolicy, describeLogGroups,
  describeLogStreams, listTagsLogGroup, newStream, putRetentionPolicy, tagLogGroup, untagLogGroup,
} from './groups.js';
import { deleteResourcePolicy, describeResourcePolicies, logsPolicyLookup, putResourcePolicy } from './resource-policies.js';
import { append, dropStream, logsState, streamKey, type LogsState } from './store.js';

const HANDLERS: Record<string, Handler> = {
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  DeleteLogGroup: deleteLogGroup,
  DeleteLogStream: deleteLogStream,
  DeleteRetentionPolicy: deleteRetentionPolicy,
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  FilterLogEvents: filterLogEvents,
  GetLogEvents: getLogEvents,
  ListTagsLogGroup: listTagsLogGroup,
  PutLogEvents: putLogEvents,
  PutRetentionPolicy: putRetentionPolicy,
  PutResourcePolicy: putResourcePolicy,
  DescribeResourcePolicies: describeResourcePolicies,
  DeleteResourcePolicy: deleteResourcePolicy,
  TagLogGroup: tagLogGroup,
  UntagLogGroup: untagLogGroup,
};

const HOUR = 3_600_000;

/** Drops streams whose every event is past their group's retention (AWS deletes them in the background). */
function expire(state: LogsState, nowMs: number): void {
  for (const s of [...state.streams.values()]) {
    const g = state.groups.get(s.group);
    if (g?.retentionDays !== undefined && s.lastEventMs !== undefined && s.lastEventMs < retainedFrom(g, nowMs)) dropStream(state, s);
  }
}

function install(host: ServiceHost): void {
  host.ports.resourcePolicies.set('logs', logsPolicyLookup(host.stores));
  host.ports.deliver.set('logs', async (target, message) => {
    const arn = parseArn(target);
    const m = arn ? /^log-group:(.+):log-stream:(.+)$/.exec(arn.resource) : null;
    if (!arn || !m) throw new Error(`not a log stream ARN: ${target}`);
    const state = logsState(host.stores, arn.account, arn.region);
    const now = host.clock.nowMs();
    if (!state.groups.has(m[1]!)) createGroup(state, m[1]!, now);
    const stream = state.streams.get(streamKey(m[1]!, m[2]!)) ?? newStream(state, m[1]!, m[2]!, now);
    const events = JSON.parse(message.body) as { timestamp: number; message: string }[];
    append(state, stream, events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: now })));
  });
  host.clock.setRepeating(() => {
    for (const { account, region } of host.stores.accountsRegions('logs')) expire(logsState(host.stores, account, region), host.clock.nowMs());
  }, HOUR);
}

const logs: ServiceDefinition = { name: 'logs', handlers: HANDLERS, install };

export default logs;
