/** CloudWatch Logs through the SDK: groups, streams, events, filter patterns, retention on the clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';

const h = useDrydock();
const client = () => new CloudWatchLogsClient(sdkConfig(h.dd));

test('groups and streams: create, describe with prefixes and paging, errors', async () => {
  const logs = client();
  for (const n of ['/app/a', '/app/b', '/app/c', '/other']) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
  const dup = await failure(() => logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a' })));
  assert.deepEqual([dup.name, dup.message, dup.status], ['ResourceAlreadyExistsException', 'The specified log group already exists', 400]);
  const page1 = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2 }));
  assert.deepEqual(page1.logGroups!.map((g) => g.logGroupName), ['/app/a', '/app/b']);
  assert.equal(page1.logGroups![0]!.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/a:*');
  const page2 = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2, nextToken: page1.nextToken }));
  assert.deepEqual([page2.logGroups!.map((g) => g.logGroupName), page2.nextToken], [['/app/c'], undefined]);
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/a', logStreamName: 's1' }));
  const dupStream = await failure(() => logs.send(new CreateLogStreamCommand({ logGroupName: '/app/a', logStreamName: 's1' })));
  assert.equal(dupStream.message, 'The specified log stream already exists');
  const noGroup = await failure(() => logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 's1' })));
  assert.deepEqual([noGroup.name, noGroup.message], ['ResourceNotFoundException', 'The specified log group does not exist.']);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' }));
  const gone = await failure(() => logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' })));
  assert.equal(gone.name, 'ResourceNotFoundException');
});

test('events: put, get forwards and backwards, filter with patterns', async () => {
  const logs = client();
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/ev' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ev', logStreamName: 'a' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ev', logStreamName: 'b' }));
  const t = h.dd.clock.nowMs();
  await logs.send(new PutLogEventsCommand({ logGroupName: '/ev', logStreamName: 'a', logEvents: [
    { timestamp: t, message: 'ERROR disk full' }, { timestamp: t + 1, message: 'INFO started' }, { timestamp: t + 2, message: '{"level":"error","ms":250}' },
  ] }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/ev', logStreamName: 'b', logEvents: [{ timestamp: t + 3, message: 'WARN slow request' }] }));
  const disorder = await failure(() => logs.send(new PutLogEventsCommand({ logGroupName: '/ev', logStreamName: 'a', logEvents: [{ timestamp: t + 5, message: 'x' }, { timestamp: t + 4, message: 'y' }] })));
  assert.equal(disorder.message, 'Log events in a single PutLogEvents request must be in chronological order.');
  const tail = await logs.send(new GetLogEventsCommand({ logGroupName: '/ev', logStreamName: 'a', limit: 2 }));
  assert.deepEqual(tail.events!.map((e) => e.message), ['INFO started', '{"level":"error","ms":250}']);
  const back = await logs.send(new GetLogEventsCommand({ logGroupName: '/ev', logStreamName: 'a', limit: 2, nextToken: tail.nextBackwardToken }));
  assert.deepEqual(back.events!.map((e) => e.message), ['ERROR disk full']);
  const head = await logs.send(new GetLogEventsCommand({ logGroupName: '/ev', logStreamName: 'a', startFromHead: true, limit: 1 }));
  assert.deepEqual(head.events!.map((e) => e.message), ['ERROR disk full']);
  const filter = async (filterPattern: string) => (await logs.send(new FilterLogEventsCommand({ logGroupName: '/ev', filterPattern }))).events!.map((e) => e.message);
  assert.deepEqual(await filter('ERROR'), ['ERROR disk full']);
  assert.deepEqual(await filter('?ERROR ?WARN'), ['ERROR disk full', 'WARN slow request']);
  assert.deepEqual(await filter('"slow request"'), ['WARN slow request']);
  assert.deepEqual(await filter('{ $.level = "error" && $.ms > 100 }'), ['{"level":"error","ms":250}']);
  assert.deepEqual(await filter('{ $.ms < 100 }'), []);
  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ev', orderBy: 'LastEventTime', descending: true }));
  assert.deepEqual(streams.logStreams!.map((s) => s.logStreamName), ['b', 'a']);
  assert.equal(streams.logStreams![1]!.lastEventTimestamp, t + 2);
});

test('retention: events older than the retention are not returned, and their streams are deleted', async () => {
  const logs = client();
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/ret' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ret', logStreamName: 'old' }));
  const bad = await failure(() => logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ret', retentionInDays: 2 })));
  assert.equal(bad.name, 'InvalidParameterException');
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ret', retentionInDays: 1 }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/ret', logStreamName: 'old', logEvents: [{ timestamp: h.dd.clock.nowMs(), message: 'soon gone' }] }));
  assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ret' }))).logGroups![0]!.retentionInDays, 1);
  h.dd.clock.advance(2 * 86_400);
  const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ret' }));
  assert.deepEqual(events.events, []);
  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ret' }));
  assert.deepEqual(streams.logStreams, []);
});
