import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateArchiveCommand, CreateEventBusCommand, DeleteArchiveCommand, DescribeArchiveCommand, DescribeReplayCommand, ListArchivesCommand,
  PutEventsCommand, StartReplayCommand, UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { useDrydock } from '../../helpers.js';
import { ebClient, failure, receiveJson, ruleToQueue, sqsClient, uniqueName } from './helpers.js';

describe('EventBridge archives and replays', () => {
  const drydock = useDrydock();

  it('archives matching events, replays a window marked with replay-name, and forgets events past retention', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const bus = uniqueName('bus');
    const busArn = (await eb.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn!;
    const source = uniqueName('app');
    const archive = uniqueName('arch');
    const made = await eb.send(new CreateArchiveCommand({
      ArchiveName: archive, EventSourceArn: busArn, RetentionDays: 1, EventPattern: JSON.stringify({ detail: { keep: [true] } }),
    }));
    assert.equal(made.State, 'ENABLED');
    const { queue, ruleArn } = await ruleToQueue(eb, sqs, { bus, pattern: { source: [source] } });
    const start = new Date(drydock.dd.app.clock.nowMs() - 1000);
    const put = await eb.send(new PutEventsCommand({
      Entries: [true, false, true].map((keep) => ({ EventBusName: bus, Source: source, DetailType: 'x', Detail: JSON.stringify({ keep }) })),
    }));
    assert.equal((await receiveJson(sqs, queue.url)).length, 3);
    const d = await eb.send(new DescribeArchiveCommand({ ArchiveName: archive }));
    assert.equal(d.EventCount, 2);
    assert.ok(d.SizeBytes! > 0);
    const replay = uniqueName('replay');
    const end = new Date(drydock.dd.app.clock.nowMs() + 1000);
    const started = await eb.send(new StartReplayCommand({
      ReplayName: replay, EventSourceArn: d.ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: { Arn: busArn, FilterArns: [ruleArn] },
    }));
    assert.equal(started.State, 'STARTING');
    await new Promise((r) => setTimeout(r, 50));
    const replayed = await receiveJson(sqs, queue.url);
    assert.deepEqual(replayed.map((e) => e['replay-name']), [replay, replay]);
    assert.deepEqual(new Set(replayed.map((e) => e['id'])), new Set([put.Entries![0]!.EventId, put.Entries![2]!.EventId]));
    assert.equal((await eb.send(new DescribeReplayCommand({ ReplayName: replay }))).State, 'COMPLETED');
    const dup = await failure(() => eb.send(new StartReplayCommand({ ReplayName: replay, EventSourceArn: d.ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: { Arn: busArn } })));
    assert.deepEqual([dup.name, dup.message], ['ResourceAlreadyExistsException', `Replay ${replay} already exists.`]);
    const backwards = await failure(() => eb.send(new StartReplayCommand({ ReplayName: uniqueName(), EventSourceArn: d.ArchiveArn, EventStartTime: end, EventEndTime: start, Destination: { Arn: busArn } })));
    assert.equal(backwards.message, 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    drydock.dd.app.clock.advance(86_401);
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: archive }))).EventCount, 0);
  });

  it('lists, updates and deletes archives with AWS\'s errors', async () => {
    const eb = ebClient(drydock.dd);
    const busArn = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    const name = uniqueName('arch');
    await eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn }));
    const dup = await failure(() => eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn })));
    assert.equal(dup.message, `Archive ${name} already exists.`);
    const noBus = await failure(() => eb.send(new CreateArchiveCommand({ ArchiveName: uniqueName(), EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/nope' })));
    assert.deepEqual([noBus.name, noBus.message], ['ResourceNotFoundException', 'Event bus nope does not exist.']);
    const nothing = await failure(() => eb.send(new UpdateArchiveCommand({ ArchiveName: name })));
    assert.equal(nothing.message, 'At least one of EventPattern, RetentionDays or Description must be provided.');
    await eb.send(new UpdateArchiveCommand({ ArchiveName: name, RetentionDays: 7 }));
    const listed = await eb.send(new ListArchivesCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Archives!.map((a) => [a.ArchiveName, a.RetentionDays, a.State]), [[name, 7, 'ENABLED']]);
    await eb.send(new DeleteArchiveCommand({ ArchiveName: name }));
    const gone = await failure(() => eb.send(new DescribeArchiveCommand({ ArchiveName: name })));
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `Archive ${name} does not exist.`]);
  });
});
