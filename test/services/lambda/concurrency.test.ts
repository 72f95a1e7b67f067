/** Throttling, warm reuse and retirement on the clock, provisioned concurrency, invocation records. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PublishVersionCommand, PutFunctionConcurrencyCommand, PutProvisionedConcurrencyConfigCommand, GetProvisionedConcurrencyConfigCommand, DeleteFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { failure, useDrydock } from '../../helpers.js';
import { lambdaState, setAccountConcurrency } from '../../../src/services/lambda/store.js';
import { hostOf, runtimeOf } from '../../../src/services/lambda/pool.js';
import { createNodeFunction, executionRole, invoke, json, lambdaClient, tail } from './helpers.js';

const h = useDrydock();

// Holds until `release` is set in the event, so a test controls how many run at once.
const GATE = `
const http = require('node:http');
exports.handler = async (e) => {
  if (e.wait) await new Promise((r) => setTimeout(r, e.wait));
  return { pid: process.pid, init: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };
};`;

function runtime() {
  const state = lambdaState(h.dd.app.stores, '000000000000', 'us-east-1');
  return { state, rt: runtimeOf(state, hostOf(h.dd.app.stores)) };
}

test('reserved concurrency 0 always throttles; reserved 1 throttles the second concurrent call', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'conc-role');
  await createNodeFunction(client, role, 'gate', GATE);
  await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gate', ReservedConcurrentExecutions: 0 }));
  const zero = await failure(() => invoke(client, 'gate'));
  assert.deepEqual(zero, { name: 'TooManyRequestsException', code: undefined, status: 429, message: 'Rate Exceeded.' });
  await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gate', ReservedConcurrentExecutions: 1 }));
  const slow = invoke(client, 'gate', { wait: 300 });
  await new Promise((r) => setTimeout(r, 50));
  const second = await failure(() => invoke(client, 'gate'));
  assert.equal(second.name, 'TooManyRequestsException');
  await slow;
  const { rt } = runtime();
  const throttled = rt.records.filter((r) => r.functionName === 'gate' && r.throttled);
  assert.deepEqual(throttled.map((r) => r.throttled), ['ReservedFunctionConcurrentInvocationLimitExceeded', 'ReservedFunctionConcurrentInvocationLimitExceeded']);
  await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'gate' }));
});

test('the account limit throttles unreserved functions with ConcurrentInvocationLimitExceeded', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'acct-role');
  await createNodeFunction(client, role, 'acct', GATE);
  setAccountConcurrency(h.dd.app.stores, '000000000000', 'us-east-1', 2);
  runtime().rt.reservationsChanged();
  try {
    const results = await Promise.allSettled([1, 2, 3].map(() => invoke(client, 'acct', { wait: 400 })));
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(rejected.length, 1);
    assert.equal((rejected[0]!.reason as Error).name, 'TooManyRequestsException');
    const record = runtime().rt.records.find((r) => r.functionName === 'acct' && r.throttled);
    assert.equal(record?.throttled, 'ConcurrentInvocationLimitExceeded');
    const ran = runtime().rt.records.filter((r) => r.functionName === 'acct' && !r.throttled);
    assert.deepEqual(ran.map((r) => r.cold).sort(), [true, true]);
    assert.equal(Math.max(...ran.map((r) => r.concurrency)), 2);
  } finally {
    setAccountConcurrency(h.dd.app.stores, '000000000000', 'us-east-1', 1000);
  }
});

test('warm environments are reused, and retired after idling on the clock', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'warm-role');
  await createNodeFunction(client, role, 'warm', GATE);
  const a = json(await invoke(client, 'warm')) as { pid: number };
  const b = json(await invoke(client, 'warm')) as { pid: number };
  assert.equal(a.pid, b.pid);
  h.dd.clock.advance(320); // idle time (300 s) plus one sweep period
  await new Promise((r) => setTimeout(r, 50));
  const c = await invoke(client, 'warm', {}, { LogType: 'Tail' });
  assert.notEqual((json(c) as { pid: number }).pid, a.pid);
  assert.match(tail(c), /Init Duration/);
});

test('provisioned concurrency: READY once initialized, invocations show no Init Duration', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'prov-role');
  await createNodeFunction(client, role, 'prov', GATE);
  const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'prov' }));
  const put = await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: Version, ProvisionedConcurrentExecutions: 2 }));
  assert.deepEqual([put.Status, put.RequestedProvisionedConcurrentExecutions], ['IN_PROGRESS', 2]);
  let status = put.Status;
  for (const end = Date.now() + 20_000; Date.now() < end && status !== 'READY';) {
    await new Promise((r) => setTimeout(r, 25));
    status = (await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: Version }))).Status;
  }
  assert.equal(status, 'READY');
  const out = await invoke(client, 'prov', {}, { Qualifier: Version, LogType: 'Tail' });
  assert.equal((json(out) as { init: string }).init, 'provisioned-concurrency');
  assert.doesNotMatch(tail(out), /Init Duration/);
  const record = runtime().rt.records.filter((r) => r.functionName === 'prov').at(-1)!;
  assert.deepEqual([record.provisioned, record.cold], [true, false]);
  const latest = await invoke(client, 'prov', {}, { LogType: 'Tail' });
  assert.match(tail(latest), /Init Duration/, '$LATEST is not provisioned');
});
