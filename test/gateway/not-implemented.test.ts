import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, shapeOf } from '../../src/protocols/model.js';
import { serviceDefinition } from '../../src/services/registry.js';
import { useDrydock } from '../helpers.js';

const h = useDrydock();

/** One service per protocol, with the SDK package that speaks to it. */
const CASES: [service: string, pkg: string, clientClass: string][] = [
  ['sns', '@aws-sdk/client-sns', 'SNSClient'],
  ['ec2', '@aws-sdk/client-ec2', 'EC2Client'],
  ['dynamodb', '@aws-sdk/client-dynamodb', 'DynamoDBClient'],
  ['logs', '@aws-sdk/client-cloudwatch-logs', 'CloudWatchLogsClient'],
  ['scheduler', '@aws-sdk/client-scheduler', 'SchedulerClient'],
  ['route53', '@aws-sdk/client-route-53', 'Route53Client'],
];

/** An operation of the model with no handler and no required input, so the SDK can send it bare. */
async function unimplementedOperation(service: string): Promise<string | undefined> {
  const model = loadModel(service);
  const handlers = (await serviceDefinition(service))?.handlers ?? {};
  return Object.keys(model.operations).find((op) => {
    const input = shapeOf(model, model.operations[op]!.input);
    return !handlers[op] && !(input.required?.length) && !model.operations[op]!.traits?.['endpoint'];
  });
}

for (const [service, pkg, clientClass] of CASES) {
  test(`${service}: an operation without a handler answers NotImplemented (501) in its own protocol`, async (t) => {
    const op = await unimplementedOperation(service);
    if (!op) return t.skip(`every bare-callable ${service} operation is implemented`);
    const sdk = (await import(pkg)) as Record<string, new (a: unknown) => { send(c: unknown): Promise<unknown> }>;
    const client = new sdk[clientClass]!(h.config());
    const Command = sdk[`${op}Command`]!;
    await assert.rejects(client.send(new Command({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'NotImplemented', `${service}:${op} answered ${e.name}: ${e.message}`);
      assert.equal(e.$metadata?.httpStatusCode, 501);
      assert.match(e.message, new RegExp(`${service}:${op}`));
      return true;
    });
  });
}
