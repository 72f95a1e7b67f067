import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, type BusEvent } from '../../src/core/event-bus.js';

interface ObjectCreated extends BusEvent {
  bucket: string;
  key: string;
}
interface Topics {
  's3:object-created': ObjectCreated;
  'sqs:message': BusEvent & { body: string };
}

const ev = (key: string): ObjectCreated => ({ account: '111111111111', region: 'us-east-1', bucket: 'b', key });

test('subscribers get events after publish returns, in publish order', async () => {
  const bus = new EventBus<Topics>();
  const got: string[] = [];
  bus.subscribe('s3:object-created', (e) => void got.push(`a:${e.key}`));
  bus.subscribe('s3:object-created', (e) => void got.push(`b:${e.key}`));
  bus.publish('s3:object-created', ev('1'));
  bus.publish('s3:object-created', ev('2'));
  assert.deepEqual(got, [], 'nothing runs inside publish');
  await bus.idle();
  assert.deepEqual(got, ['a:1', 'b:1', 'a:2', 'b:2']);
});

test('topics are separate and events keep account and region', async () => {
  const bus = new EventBus<Topics>();
  const got: BusEvent[] = [];
  bus.subscribe('sqs:message', (e) => void got.push(e));
  bus.publish('s3:object-created', ev('x'));
  bus.publish('sqs:message', { account: '222222222222', region: 'eu-west-1', body: 'hi' });
  await bus.idle();
  assert.deepEqual(got, [{ account: '222222222222', region: 'eu-west-1', body: 'hi' }]);
});

test('unsubscribe stops delivery, including of events already published', async () => {
  const bus = new EventBus<Topics>();
  const got: string[] = [];
  const off = bus.subscribe('s3:object-created', (e) => void got.push(e.key));
  bus.publish('s3:object-created', ev('before'));
  off();
  bus.publish('s3:object-created', ev('after'));
  await bus.idle();
  assert.deepEqual(got, []);
});

test('the same handler subscribed twice runs twice and unsubscribes independently', async () => {
  const bus = new EventBus<Topics>();
  let n = 0;
  const h = () => void n++;
  const off1 = bus.subscribe('s3:object-created', h);
  bus.subscribe('s3:object-created', h);
  bus.publish('s3:object-created', ev('1'));
  await bus.idle();
  assert.equal(n, 2);
  off1();
  bus.publish('s3:object-created', ev('2'));
  await bus.idle();
  assert.equal(n, 3);
});

test('a throwing or rejecting handler is reported and does not stop the others or the publisher', async () => {
  const errors: [string, string, string][] = [];
  const bus = new EventBus<Topics>({
    onError: (err, ctx) => errors.push([(err as Error).message, ctx.topic, ctx.event.account]),
  });
  const got: string[] = [];
  bus.subscribe('s3:object-created', () => {
    throw new Error('sync boom');
  });
  bus.subscribe('s3:object-created', async () => {
    throw new Error('async boom');
  });
  bus.subscribe('s3:object-created', (e) => void got.push(e.key));
  assert.doesNotThrow(() => bus.publish('s3:object-created', ev('k')));
  await bus.idle();
  assert.deepEqual(got, ['k']);
  assert.deepEqual(errors.sort(), [
    ['async boom', 's3:object-created', '111111111111'],
    ['sync boom', 's3:object-created', '111111111111'],
  ]);
});

test('a throwing error hook does not break delivery', async () => {
  const bus = new EventBus<Topics>({
    onError: () => {
      throw new Error('hook broke');
    },
  });
  let ok = false;
  bus.subscribe('s3:object-created', () => {
    throw new Error('x');
  });
  bus.subscribe('s3:object-created', () => void (ok = true));
  bus.publish('s3:object-created', ev('k'));
  await bus.idle();
  assert.equal(ok, true);
});

test('idle waits for async handlers and for events they publish in turn', async () => {
  const bus = new EventBus<Topics>();
  const got: string[] = [];
  bus.subscribe('s3:object-created', async (e) => {
    await new Promise((r) => setTimeout(r, 10));
    bus.publish('sqs:message', { account: e.account, region: e.region, body: e.key });
  });
  bus.subscribe('sqs:message', (e) => void got.push(e.body));
  bus.publish('s3:object-created', ev('chained'));
  await bus.idle();
  assert.deepEqual(got, ['chained']);
  await bus.idle(); // resolves at once when nothing is pending
});

test('publishing to a topic nobody listens to is a no-op', async () => {
  const bus = new EventBus<Topics>();
  bus.publish('s3:object-created', ev('nobody'));
  await bus.idle();
});
