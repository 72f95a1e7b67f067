import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DeleteResourcePolicyCommand, DescribeResourcePoliciesCommand, FilterLogEventsCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';

const h = useDrydock();
const logs = () => new CloudWatchLogsClient(sdkConfig(h.dd));

const allowEvents = (resource: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: resource }],
});

test('account resource policies: put, describe, delete, with the limits and errors of Logs', async () => {
  await logs().send(new PutResourcePolicyCommand({ policyName: 'p0', policyDocument: allowEvents('*') }));
  const listed = await logs().send(new DescribeResourcePoliciesCommand({}));
  assert.deepEqual(listed.resourcePolicies?.map((p) => [p.policyName, p.policyScope]), [['p0', 'ACCOUNT']]);
  const malformed = await failure(() => logs().send(new PutResourcePolicyCommand({ policyName: 'bad', policyDocument: '{not json' })));
  assert.equal(malformed.name, 'MalformedPolicyDocumentException');
  for (let i = 1; i < 10; i++) await logs().send(new PutResourcePolicyCommand({ policyName: `p${i}`, policyDocument: allowEvents('*') }));
  assert.equal((await failure(() => logs().send(new PutResourcePolicyCommand({ policyName: 'p10', policyDocument: allowEvents('*') })))).name, 'LimitExceededException');
  for (let i = 0; i < 10; i++) await logs().send(new DeleteResourcePolicyCommand({ policyName: `p${i}` }));
  assert.equal((await failure(() => logs().send(new DeleteResourcePolicyCommand({ policyName: 'p0' })))).name, 'ResourceNotFoundException');
});

test('EventBridge writes to a log group only where a resource policy lets events.amazonaws.com', async () => {
  const events = new EventBridgeClient(sdkConfig(h.dd));
  for (const g of ['/open/a', '/closed/b']) await logs().send(new CreateLogGroupCommand({ logGroupName: g }));
  await logs().send(new PutResourcePolicyCommand({ policyName: 'open', policyDocument: allowEvents('arn:aws:logs:us-east-1:000000000000:log-group:/open/*') }));
  await events.send(new PutRuleCommand({ Name: 'to-logs', EventPattern: JSON.stringify({ source: ['app'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'to-logs', Targets: [
    { Id: 'a', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/open/a' },
    { Id: 'b', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/closed/b' },
  ] }));
  await events.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 't', Detail: '{}' }] }));
  let open = 0;
  for (let i = 0; i < 50 && open === 0; i++) {
    open = (await logs().send(new FilterLogEventsCommand({ logGroupName: '/open/a' }))).events?.length ?? 0;
    if (open === 0) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(open, 1);
  await h.dd.app.bus.idle();
  assert.equal((await logs().send(new FilterLogEventsCommand({ logGroupName: '/closed/b' }))).events?.length ?? 0, 0);
});
