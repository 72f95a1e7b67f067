/** Log groups and streams: create, describe (prefix, paging), retention, tags, delete. */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { badToken, groupNotFound, invalidParameter, streamNotFound, validation } from './errors.js';
import { dropStream, groupArn, logsState, RETENTION_DAYS, streamKey, streamsOf, type GroupRecord, type LogsState, type StreamRecord } from './store.js';

type In = Record<string, unknown>;

const GROUP_RE = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_RE = /^[^:*]{1,512}$/;

export function checkGroupName(name: string, member = 'logGroupName'): void {
  if (!GROUP_RE.test(name)) {
    if (name.length > 512) throw validation(name, member, 'Member must have length less than or equal to 512');
    throw validation(name, member, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  }
}

/** The group a call names by `logGroupName` or `logGroupIdentifier` (a name or an ARN). */
export function groupOf(ctx: ServiceContext, input: In): { state: LogsState; group: GroupRecord } {
  const name = input['logGroupName'] as string | undefined;
  const id = input['logGroupIdentifier'] as string | undefined;
  if (name !== undefined && id !== undefined) throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  const raw = name ?? id ?? '';
  const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(raw);
  const state = m ? logsState(ctx.stores, m[2]!, m[1]!) : logsState(ctx.stores, ctx.account, ctx.region);
  const group = state.groups.get(m ? m[3]! : raw);
  if (!group) throw groupNotFound();
  return { state, group };
}

export function createGroup(state: LogsState, name: string, nowMs: number): GroupRecord {
  const g: GroupRecord = { name, createdMs: nowMs, tags: {}, logGroupClass: 'STANDARD', deletionProtection: false };
  state.groups.set(name, g);
  return g;
}

export function createLogGroup(input: In, ctx: ServiceContext): In {
  const name = String(input['logGroupName'] ?? '');
  checkGroupName(name);
  const state = logsState(ctx.stores, ctx.account, ctx.region);
  if (state.groups.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
  const g = createGroup(state, name, ctx.clock.nowMs());
  if (input['kmsKeyId'] !== undefined) g.kmsKeyId = String(input['kmsKeyId']);
  if (input['logGroupClass'] !== undefined) g.logGroupClass = String(input['logGroupClass']);
  if (input['deletionProtectionEnabled'] === true) g.deletionProtection = true;
  g.tags = { ...(input['tags'] as Record<string, string> | undefined ?? {}) };
  state.groups.set(name, g);
  return {};
}

export function deleteLogGroup(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  if (group.deletionProtection) throw new AwsError('OperationAbortedException', 'Log group deletion protection is enabled.', 400);
  for (const s of streamsOf(state, group.name)) dropStream(state, s);
  state.groups.delete(group.name);
  return {};
}

function showGroup(state: LogsState, g: GroupRecord): In {
  const arn = groupArn(state, g.name);
  let bytes = 0;
  for (const s of streamsOf(state, g.name)) bytes += s.storedBytes;
  const out: In = {
    logGroupName: g.name, creationTime: g.createdMs, metricFilterCount: 0, arn: `${arn}:*`, logGroupArn: arn, storedBytes: bytes,
    logGroupClass: g.logGroupClass, deletionProtectionEnabled: g.deletionProtection,
  };
  if (g.retentionDays !== undefined) out['retentionInDays'] = g.retentionDays;
  if (g.kmsKeyId !== undefined) out['kmsKeyId'] = g.kmsKeyId;
  return out;
}

/** Token paging over a sorted list: the token is the name to continue after. */
export function paged<T>(items: T[], key: (t: T) => string, input: In, max: number, defaultLimit = max): { page: T[]; nextToken?: string } {
  const limit = (input['limit'] as number | undefined) ?? defaultLimit;
  if (limit < 1 || limit > max) throw validation(String(limit), 'limit', `Member must have value ${limit < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`);
  const token = input['nextToken'] as string | undefined;
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    const i = items.findIndex((t) => key(t) === after);
    if (!token.length || i < 0) throw badToken();
    start = i + 1;
  }
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { page, nextToken: Buffer.from(key(page[page.length - 1]!)).toString('base64url') } : { page };
}

export function describeLogGroups(input: In, ctx: ServiceContext): In {
  const state = logsState(ctx.stores, ctx.account, ctx.region);
  const prefix = input['logGroupNamePrefix'] as string | undefined;
  const pattern = input['logGroupNamePattern'] as string | undefined;
  if (prefix !== undefined && pattern !== undefined) throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  const groups = [...state.groups.values()]
    .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { page, nextToken } = paged(groups, (g) => g.name, input, 50);
  return { logGroups: page.map((g) => showGroup(state, g)), ...(nextToken ? { nextToken } : {}) };
}

export function putRetentionPolicy(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  const days = input['retentionInDays'] as number;
  if (!RETENTION_DAYS.includes(days)) {
    throw validation(String(days), 'retentionInDays', `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
  }
  group.retentionDays = days;
  state.groups.set(group.name, group);
  return {};
}

export function deleteRetentionPolicy(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  delete group.retentionDays;
  state.groups.set(group.name, group);
  return {};
}

export function newStream(state: LogsState, group: string, name: string, nowMs: number): StreamRecord {
  const s: StreamRecord = { group, name, createdMs: nowMs, storedBytes: 0, chunks: 0, count: 0 };
  state.streams.set(streamKey(group, name), s);
  return s;
}

export function createLogStream(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  const name = String(input['logStreamName'] ?? '');
  if (!STREAM_RE.test(name)) throw validation(name, 'logStreamName', 'Member must satisfy regular expression pattern: [^:*]*');
  if (state.streams.has(streamKey(group.name, name))) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
  newStream(state, group.name, name, ctx.clock.nowMs());
  return {};
}

export function streamOf(state: LogsState, group: string, name: string): StreamRecord {
  const s = state.streams.get(streamKey(group, name));
  if (!s) throw streamNotFound();
  return s;
}

export function deleteLogStream(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  dropStream(state, streamOf(state, group.name, String(input['logStreamName'] ?? '')));
  return {};
}

export function describeLogStreams(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  const prefix = input['logStreamNamePrefix'] as string | undefined;
  const byTime = input['orderBy'] === 'LastEventTime';
  if (byTime && prefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  let streams = streamsOf(state, group.name).filter((s) => prefix === undefined || s.name.startsWith(prefix));
  streams = byTime ? streams.sort((a, b) => (a.lastEventMs ?? 0) - (b.lastEventMs ?? 0)) : streams.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (input['descending'] === true) streams.reverse();
  const { page, nextToken } = paged(streams, (s) => s.name, input, 50);
  const arn = groupArn(state, group.name);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.name, creationTime: s.createdMs, arn: `${arn}:log-stream:${s.name}`, storedBytes: s.storedBytes,
      ...(s.firstEventMs !== undefined ? { firstEventTimestamp: s.firstEventMs, lastEventTimestamp: s.lastEventMs, lastIngestionTime: s.lastIngestionMs } : {}),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
}

export function tagLogGroup(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  group.tags = { ...group.tags, ...(input['tags'] as Record<string, string>) };
  state.groups.set(group.name, group);
  return {};
}

export function untagLogGroup(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  for (const k of (input['tags'] as string[] | undefined) ?? []) delete group.tags[k];
  state.groups.set(group.name, group);
  return {};
}

export function listTagsLogGroup(input: In, ctx: ServiceContext): In {
  return { tags: { ...groupOf(ctx, input).group.tags } };
}
