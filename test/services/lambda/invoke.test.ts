/** Invoke: real processes over the Runtime API, logs, errors, timeouts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDrydock } from '../../helpers.js';
import { createNodeFunction, executionRole, invoke, json, lambdaClient, tail, text } from './helpers.js';

const h = useDrydock();

const ECHO = `exports.handler = async (event, context) => {
  console.log('got', JSON.stringify(event));
  return { event, requestId: context.awsRequestId, fn: context.functionName, region: process.env.AWS_REGION, left: context.getRemainingTimeInMillis() > 0 };
};`;

test('a node function answers, cold then warm, with START/END/REPORT in the tail', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd);
  await createNodeFunction(client, role, 'echo', ECHO);
  const first = await invoke(client, 'echo', { a: 1 }, { LogType: 'Tail' });
  assert.equal(first.StatusCode, 200);
  assert.equal(first.ExecutedVersion, '$LATEST');
  assert.equal(first.FunctionError, undefined);
  const body = json(first) as Record<string, unknown>;
  assert.deepEqual(body['event'], { a: 1 });
  assert.equal(body['fn'], 'echo');
  assert.equal(body['region'], 'us-east-1');
  assert.equal(body['left'], true);
  const log = tail(first);
  assert.match(log, new RegExp(`START RequestId: ${body['requestId']} Version: \\$LATEST`));
  assert.match(log, /\tINFO\tgot {"a":1}/);
  assert.match(log, /END RequestId: /);
  assert.match(log, /REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
  assert.doesNotMatch(log, /Init Duration: 0.00 ms/);
  const second = await invoke(client, 'echo', { a: 2 }, { LogType: 'Tail' });
  assert.deepEqual((json(second) as Record<string, unknown>)['event'], { a: 2 });
  assert.doesNotMatch(tail(second), /Init Duration/);
});

test('an error thrown by the handler comes back as AWS formats it', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'exec-errors');
  await createNodeFunction(client, role, 'thrower', `exports.handler = async () => { class Oops extends Error { constructor(m) { super(m); this.name = 'Oops'; } } throw new Oops('it broke'); };`);
  const out = await invoke(client, 'thrower', {}, { LogType: 'Tail' });
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, 'Unhandled');
  const err = json(out) as { errorType: string; errorMessage: string; trace: string[] };
  assert.equal(err.errorType, 'Oops');
  assert.equal(err.errorMessage, 'it broke');
  assert.ok(Array.isArray(err.trace) && err.trace[0]!.startsWith('Oops: it broke'));
  assert.match(tail(out), /ERROR\tInvoke Error \t\{"errorType":"Oops"/);
});

test('callback handlers, ES modules and undefined results', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'exec-styles');
  await createNodeFunction(client, role, 'cb', `exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { n: event.n * 2 }), 1); };`);
  assert.deepEqual(json(await invoke(client, 'cb', { n: 21 })), { n: 42 });
  await createNodeFunction(client, role, 'esm', `export const handler = async (e) => ({ esm: true, e });`, { file: 'index.mjs' });
  assert.deepEqual(json(await invoke(client, 'esm', 5)), { esm: true, e: 5 });
  await createNodeFunction(client, role, 'nothing', `exports.handler = async () => {};`);
  assert.equal(text(await invoke(client, 'nothing')), 'null');
});

test('a missing handler module is an init error', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'exec-init');
  await createNodeFunction(client, role, 'nomodule', `exports.other = 1;`, { handler: 'missing.handler' });
  const out = await invoke(client, 'nomodule');
  assert.equal(out.FunctionError, 'Unhandled');
  assert.equal((json(out) as { errorType: string }).errorType, 'Runtime.ImportModuleError');
  await createNodeFunction(client, role, 'nohandler', `exports.other = 1;`);
  const out2 = await invoke(client, 'nohandler');
  assert.deepEqual([(json(out2) as { errorType: string; errorMessage: string }).errorType, (json(out2) as { errorMessage: string }).errorMessage],
    ['Runtime.HandlerNotFound', 'index.handler is undefined or not exported']);
});

test('a function that runs past its timeout is killed: Sandbox.Timedout', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'exec-timeout');
  await createNodeFunction(client, role, 'sleeper', `exports.handler = async (e) => { if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return 'awake'; };`, { timeout: 2 });
  await invoke(client, 'sleeper');
  const clock = h.dd.clock;
  clock.freeze(true);
  try {
    let settled = false;
    const pending = invoke(client, 'sleeper', { hang: true }, { LogType: 'Tail' }).finally(() => { settled = true; });
    while (!settled) {
      await new Promise((r) => setTimeout(r, 20));
      clock.advance(0.5);
    }
    const out = await pending;
    assert.equal(out.FunctionError, 'Unhandled');
    const err = json(out) as { errorType: string; errorMessage: string };
    assert.equal(err.errorType, 'Sandbox.Timedout');
    assert.match(err.errorMessage, /^RequestId: [0-9a-f-]+ Error: Task timed out after 2\.00 seconds$/);
    assert.match(tail(out), /Task timed out after 2\.00 seconds/);
    assert.match(tail(out), /Duration: 2000\.00 ms/);
  } finally {
    clock.freeze(false);
  }
  // The next invocation gets a fresh environment.
  const after = await invoke(client, 'sleeper', {}, { LogType: 'Tail' });
  assert.equal(json(after), 'awake');
  assert.match(tail(after), /Init Duration/);
});

test('function code reaches Drydock with the SDK and the role credentials, unmodified', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'exec-sdk');
  await createNodeFunction(client, role, 'whoami', `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
exports.handler = async () => (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Arn;`);
  assert.equal(json(await invoke(client, 'whoami')), 'arn:aws:sts::000000000000:assumed-role/exec-sdk/whoami');
  await createNodeFunction(client, role, 'whoami-esm', `
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
export const handler = async () => (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Arn;`, { file: 'index.mjs' });
  assert.equal(json(await invoke(client, 'whoami-esm')), 'arn:aws:sts::000000000000:assumed-role/exec-sdk/whoami-esm');
});
