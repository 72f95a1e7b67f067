import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { useDrydock } from '../../helpers.js';
import { ebClient, failure, receiveAll, receiveJson, ruleToQueue, sqsClient, uniqueName } from './helpers.js';

const entry = (source: string, detail: object = { n: 1 }, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: source, DetailType: 'thing.happened', Detail: JSON.stringify(detail), ...extra,
});

describe('EventBridge PutEvents', () => {
  const drydock = useDrydock();

  it('enforces the entry count and request size limits', async () => {
    const eb = ebClient(drydock.dd);
    const eleven = await failure(() => eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry('my.app')) })));
    assert.equal(eleven.name, 'ValidationException');
    assert.match(eleven.message, /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=my\.app,.*at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/s);
    const big = await failure(() => eb.send(new PutEventsCommand({ Entries: [entry('my.app', { s: 'x'.repeat(256 * 1024) })] })));
    assert.deepEqual([big.name, big.message], ['ValidationException', 'Total size of the entries in the request is over the limit.']);
  });

  it('answers per-entry errors in order beside accepted entries', async () => {
    const eb = ebClient(drydock.dd);
    const out = await eb.send(new PutEventsCommand({
      Entries: [
        entry('my.app'),
        { DetailType: 'x', Detail: '{}' },
        { Source: 'my.app', DetailType: 'x', Detail: '[1, 2]' },
        { Source: 'my.app', DetailType: 'x' },
        entry('aws.ec2'),
      ],
    }));
    assert.equal(out.FailedEntryCount, 4);
    assert.match(out.Entries![0]!.EventId!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(out.Entries!.slice(1).map((e) => [e.ErrorCode, e.ErrorMessage]), [
      ['InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
      ['MalformedDetail', 'Detail is malformed.'],
      ['InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
      ['NotAuthorizedForSourceException', 'Not authorized for the source.'],
    ]);
  });

  it('delivers matching events to an SQS target in AWS\'s envelope, time from the clock', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('app');
    const { queue } = await ruleToQueue(eb, sqs, { pattern: { source: [source], detail: { n: [{ numeric: ['>', 5] }] } } });
    drydock.dd.app.clock.set('2030-01-02T03:04:05.678Z');
    const out = await eb.send(new PutEventsCommand({
      Entries: [entry(source, { n: 9 }, { Resources: ['arn:aws:s3:::b'] }), entry(source, { n: 1 }), entry(source, { n: 7 }, { Time: new Date('2020-05-05T05:05:05Z') })],
    }));
    const bodies = await receiveJson(sqs, queue.url);
    assert.equal(bodies.length, 2);
    const first = bodies.find((b) => (b['detail'] as { n: number }).n === 9)!;
    assert.deepEqual(first, {
      version: '0', id: out.Entries![0]!.EventId, 'detail-type': 'thing.happened', source, account: '000000000000',
      time: '2030-01-02T03:04:05Z', region: 'us-east-1', resources: ['arn:aws:s3:::b'], detail: { n: 9 },
    });
    assert.equal(bodies.find((b) => (b['detail'] as { n: number }).n === 7)!['time'], '2020-05-05T05:05:05Z');
  });

  it('sends FIFO queues the target\'s message group, deduplicated by event id', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('app');
    const { queue } = await ruleToQueue(eb, sqs, { pattern: { source: [source] }, fifo: true, target: { SqsParameters: { MessageGroupId: 'orders' } } });
    const out = await eb.send(new PutEventsCommand({ Entries: [entry(source)] }));
    const [m] = await receiveAll(sqs, queue.url);
    assert.equal(m!.Attributes!['MessageGroupId'], 'orders');
    assert.equal(m!.Attributes!['MessageDeduplicationId'], out.Entries![0]!.EventId);
  });

  it('shapes target input: Input, InputPath and InputTransformer with predefined placeholders', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('app');
    const detail = { user: { id: 'u-1', tags: ['a', 'b'] }, ok: true };
    const constant = await ruleToQueue(eb, sqs, { pattern: { source: [source] }, target: { Input: '{"fixed":1}' } });
    const path = await ruleToQueue(eb, sqs, { pattern: { source: [source] }, target: { InputPath: '$.detail.user' } });
    const json = await ruleToQueue(eb, sqs, {
      pattern: { source: [source] },
      target: { InputTransformer: { InputPathsMap: { id: '$.detail.user.id', tags: '$.detail.user.tags', missing: '$.detail.none' }, InputTemplate: '{"id": <id>, "path": "users/<id>", "tags": <tags>, "m": <missing>, "rule": "<aws.events.rule-name>"}' } },
    });
    const text = await ruleToQueue(eb, sqs, {
      pattern: { source: [source] },
      target: { InputTransformer: { InputPathsMap: { tags: '$.detail.user.tags', ok: '$.detail.ok', user: '$.detail.user' }, InputTemplate: '"tags <tags> ok <ok> user <user>"' } },
    });
    await eb.send(new PutEventsCommand({ Entries: [entry(source, detail)] }));
    assert.deepEqual(await receiveJson(sqs, constant.queue.url), [{ fixed: 1 }]);
    assert.deepEqual(await receiveJson(sqs, path.queue.url), [detail.user]);
    assert.deepEqual(await receiveJson(sqs, json.queue.url), [{ id: 'u-1', path: 'users/u-1', tags: ['a', 'b'], m: null, rule: json.rule }]);
    const [m] = await receiveAll(sqs, text.queue.url);
    assert.equal(m!.Body, '"tags [a,b] ok true user {id:u-1,tags:[a,b]}"');
  });

  it('publishes to an SNS topic target', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const sns = new SNSClient(drydock.config());
    const source = uniqueName('app');
    const { queue } = await ruleToQueue(eb, sqs, { pattern: { source: ['unused'] } });
    const topic = (await sns.send(new CreateTopicCommand({ Name: uniqueName('topic') }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const viaTopic = await ruleToQueue(eb, sqs, { pattern: { source: [source] } });
    // A second rule points at the topic.
    const rule = uniqueName('r');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'sns', Arn: topic }] }));
    await eb.send(new PutEventsCommand({ Entries: [entry(source, { via: 'sns' })] }));
    const [got] = await receiveJson(sqs, queue.url);
    assert.deepEqual(got!['detail'], { via: 'sns' });
    assert.equal((await receiveJson(sqs, viaTopic.queue.url)).length, 1);
  });

  it('sends an event that cannot be delivered to the target\'s dead-letter queue with AWS\'s attributes', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('app');
    const dlq = await ruleToQueue(eb, sqs, { pattern: { source: ['unused'] } });
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    const { ruleArn } = await ruleToQueue(eb, sqs, { pattern: { source: [source] } });
    await eb.send(new PutTargetsCommand({ Rule: ruleArn.split('/').pop()!, Targets: [{ Id: 'gone', Arn: missing, DeadLetterConfig: { Arn: dlq.queue.arn } }] }));
    const out = await eb.send(new PutEventsCommand({ Entries: [entry(source)] }));
    const [m] = await receiveAll(sqs, dlq.queue.url);
    assert.equal((JSON.parse(m!.Body!) as { id: string }).id, out.Entries![0]!.EventId);
    const attr = (k: string) => m!.MessageAttributes![k]?.StringValue;
    assert.deepEqual([attr('RULE_ARN'), attr('TARGET_ARN'), attr('ERROR_CODE'), attr('RETRY_ATTEMPTS')], [ruleArn, missing, 'QueueDoesNotExist', '0']);
  });

  it('retries on the clock while the target service is down, then delivers', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('app');
    const { queue } = await ruleToQueue(eb, sqs, { pattern: { source: [source] } });
    const clock = drydock.dd.app.clock;
    clock.freeze(true);
    try {
      const until = new Date(clock.nowMs() + 5000).toISOString();
      const fault = drydock.dd.app.faults.add({ type: 'region-outage', region: 'us-east-1', services: ['sqs'], until });
      await eb.send(new PutEventsCommand({ Entries: [entry(source)] }));
      clock.advance(3); // retries after 1 s and 2 s more: still down
      drydock.dd.app.faults.remove(fault.id);
      assert.equal((await receiveAll(sqs, queue.url)).length, 0);
      clock.advance(4); // the retry at 7 s succeeds
      await new Promise((r) => setImmediate(r));
      assert.equal((await receiveAll(sqs, queue.url)).length, 1);
    } finally {
      clock.freeze(false);
    }
  });

  it('gives up after the retry policy\'s attempts and says so in the dead-letter message', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('app');
    const dlq = await ruleToQueue(eb, sqs, { pattern: { source: ['unused'] } });
    const { queue } = await ruleToQueue(eb, sqs, {
      pattern: { source: [source] }, target: { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlq.queue.arn } },
    });
    const clock = drydock.dd.app.clock;
    clock.freeze(true);
    const fault = drydock.dd.app.faults.add({ type: 'region-outage', region: 'us-east-1', services: ['sqs'] });
    try {
      await eb.send(new PutEventsCommand({ Entries: [entry(source)] }));
      clock.advance(1); // retry 1 fails
      await new Promise((r) => setImmediate(r));
      clock.advance(2); // retry 2 fails: attempts exhausted
    } finally {
      drydock.dd.app.faults.remove(fault.id);
      clock.freeze(false);
    }
    await new Promise((r) => setImmediate(r));
    const [m] = await receiveAll(sqs, dlq.queue.url);
    const attr = (k: string) => m!.MessageAttributes![k]?.StringValue;
    assert.deepEqual([attr('EXHAUSTED_RETRY_CONDITION'), attr('RETRY_ATTEMPTS'), attr('ERROR_CODE')], ['MaximumRetryAttempts', '2', 'ServiceUnavailable']);
    assert.equal((await receiveAll(sqs, queue.url)).length, 0);
  });
});
