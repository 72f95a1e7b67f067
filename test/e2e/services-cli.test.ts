/**
 * The services of the later issues through Debian's AWS CLI 2.9 (/usr/bin/aws), one short
 * story each, in the protocol each speaks: DynamoDB (awsJson1_0), EC2 (ec2Query), Route 53
 * (restXml), EventBridge and CloudWatch Logs (awsJson1_1), Step Functions (awsJson1_0) and
 * Lambda (restJson1, a zip uploaded with fileb://).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';
import { AWS, awsEnv, run, tempDir, type RunResult } from './helpers.js';

let dd: RunningDrydock;
const home = tempDir('drydock-e2e-services-');

before(async () => { dd = await startDrydock(); });
after(async () => { await dd?.stop(); home.remove(); });

function aws(args: string[]): Promise<RunResult> {
  return run(AWS, ['--endpoint-url', dd.endpoint, '--output', 'json', ...args], { env: awsEnv(home.path), timeoutMs: 120_000 });
}

async function ok(args: string[]): Promise<Record<string, unknown>> {
  const r = await aws(args);
  assert.equal(r.code, 0, `aws ${args.join(' ')}\n${r.stderr.slice(-2000)}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) as Record<string, unknown> : {};
}

async function fails(args: string[], code: string): Promise<void> {
  const r = await aws(args);
  assert.equal(r.code, 254, `aws ${args.join(' ')} should fail with ${code}; stderr: ${r.stderr.slice(-2000)}`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(${code.replace('.', '\\.')}\\)`));
}

describe('AWS CLI v2 against the later services', { concurrency: 4 }, () => {
  test('dynamodb: a table, a conditional write that fails, a query', async () => {
    await ok(['dynamodb', 'create-table', '--table-name', 'orders', '--billing-mode', 'PAY_PER_REQUEST',
      '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N',
      '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE']);
    for (const sk of ['1', '2', '3']) {
      await ok(['dynamodb', 'put-item', '--table-name', 'orders', '--item', JSON.stringify({ pk: { S: 'c1' }, sk: { N: sk }, total: { N: `${sk}0.5` } })]);
    }
    await fails(['dynamodb', 'put-item', '--table-name', 'orders', '--item', JSON.stringify({ pk: { S: 'c1' }, sk: { N: '1' } }),
      '--condition-expression', 'attribute_not_exists(pk)'], 'ConditionalCheckFailedException');
    const q = await ok(['dynamodb', 'query', '--table-name', 'orders', '--key-condition-expression', 'pk = :p AND sk > :s',
      '--expression-attribute-values', JSON.stringify({ ':p': { S: 'c1' }, ':s': { N: '1' } }), '--no-scan-index-forward']);
    assert.deepEqual((q['Items'] as { sk: { N: string } }[]).map((i) => i.sk.N), ['3', '2']);
  });

  test('ec2: a VPC and a subnet, filtered describe, and a NotFound code', async () => {
    const vpc = (await ok(['ec2', 'create-vpc', '--cidr-block', '10.20.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=env,Value=e2e}]']))['Vpc'] as { VpcId: string };
    assert.match(vpc.VpcId, /^vpc-[0-9a-f]{17}$/);
    const subnet = (await ok(['ec2', 'create-subnet', '--vpc-id', vpc.VpcId, '--cidr-block', '10.20.1.0/24']))['Subnet'] as { AvailableIpAddressCount: number };
    assert.equal(subnet.AvailableIpAddressCount, 251);
    const found = await ok(['ec2', 'describe-vpcs', '--filters', 'Name=tag:env,Values=e2e']);
    assert.deepEqual((found['Vpcs'] as { VpcId: string }[]).map((v) => v.VpcId), [vpc.VpcId]);
    await fails(['ec2', 'describe-vpcs', '--vpc-ids', 'vpc-0123456789abcdef0'], 'InvalidVpcID.NotFound');
  });

  test('route53: a hosted zone, a record set, and the listing', async () => {
    const zone = (await ok(['route53', 'create-hosted-zone', '--name', 'e2e.example.com', '--caller-reference', 'e2e-1']))['HostedZone'] as { Id: string };
    const change = await ok(['route53', 'change-resource-record-sets', '--hosted-zone-id', zone.Id, '--change-batch', JSON.stringify({
      Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'www.e2e.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] } }],
    })]);
    assert.match(String((change['ChangeInfo'] as { Status: string }).Status), /^(PENDING|INSYNC)$/);
    const sets = (await ok(['route53', 'list-resource-record-sets', '--hosted-zone-id', zone.Id]))['ResourceRecordSets'] as { Name: string; Type: string }[];
    assert.deepEqual(sets.map((s) => `${s.Type} ${s.Name}`).sort(), ['A www.e2e.example.com.', 'NS e2e.example.com.', 'SOA e2e.example.com.']);
  });

  test('events and logs: a rule with a bad pattern is refused, events reach a log group target', async () => {
    await fails(['events', 'put-rule', '--name', 'bad', '--event-pattern', '{"source":"not-an-array"}'], 'InvalidEventPatternException');
    await ok(['logs', 'create-log-group', '--log-group-name', '/e2e/events']);
    // As on AWS, EventBridge may write to log groups only where a Logs resource policy lets it.
    await ok(['logs', 'put-resource-policy', '--policy-name', 'events-to-logs', '--policy-document', JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/e2e/*' }],
    })]);
    await ok(['events', 'put-rule', '--name', 'orders', '--event-pattern', JSON.stringify({ source: ['e2e.shop'] })]);
    await ok(['events', 'put-targets', '--rule', 'orders', '--targets', JSON.stringify([{ Id: 'log', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/e2e/events' }])]);
    const put = await ok(['events', 'put-events', '--entries', JSON.stringify([{ Source: 'e2e.shop', DetailType: 'OrderPlaced', Detail: '{"id":7}' }])]);
    assert.equal(put['FailedEntryCount'], 0);
    // Delivery is asynchronous, as on AWS: wait for it in-process, then read it with the CLI.
    const logs = new CloudWatchLogsClient({ endpoint: dd.endpoint, region: 'us-east-1', credentials: dd.credentials });
    for (let i = 0; i < 50; i++) {
      const got = await logs.send(new FilterLogEventsCommand({ logGroupName: '/e2e/events' }));
      if (got.events?.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const got = await ok(['logs', 'filter-log-events', '--log-group-name', '/e2e/events']);
    const messages = (got['events'] as { message: string }[]).map((e) => e.message);
    assert.equal(messages.length, 1);
    assert.equal((JSON.parse(messages[0]!) as { 'detail-type': string })['detail-type'], 'OrderPlaced');
  });

  test('stepfunctions: a Pass machine runs to SUCCEEDED with its output', async () => {
    await ok(['iam', 'create-role', '--role-name', 'sfn-e2e', '--assume-role-policy-document',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] })]);
    const sm = await ok(['stepfunctions', 'create-state-machine', '--name', 'hello', '--role-arn', 'arn:aws:iam::000000000000:role/sfn-e2e',
      '--definition', JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'msg.$': "States.Format('hi {}', $.name)" }, End: true } } })]);
    const exec = await ok(['stepfunctions', 'start-execution', '--state-machine-arn', String(sm['stateMachineArn']), '--input', '{"name":"cli"}']);
    let status = '';
    let output = '';
    for (let i = 0; i < 50 && status !== 'SUCCEEDED'; i++) {
      const d = await ok(['stepfunctions', 'describe-execution', '--execution-arn', String(exec['executionArn'])]);
      status = String(d['status']);
      output = String(d['output'] ?? '');
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(output), { msg: 'hi cli' });
  });

  test('lambda: a function from a zip file answers invoke, and an unknown one ResourceNotFoundException', async () => {
    const zip = join(home.path, 'fn.zip');
    writeFileSync(zip, zipSync({ 'index.js': strToU8('exports.handler = async (e) => ({ doubled: e.n * 2 });') }));
    await ok(['iam', 'create-role', '--role-name', 'fn-e2e', '--assume-role-policy-document',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] })]);
    const fn = await ok(['lambda', 'create-function', '--function-name', 'double', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
      '--role', 'arn:aws:iam::000000000000:role/fn-e2e', '--zip-file', `fileb://${zip}`]);
    assert.equal(fn['FunctionArn'], 'arn:aws:lambda:us-east-1:000000000000:function:double');
    const out = join(home.path, 'out.json');
    const inv = await ok(['lambda', 'invoke', '--function-name', 'double', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"n":21}', out]);
    assert.equal(inv['StatusCode'], 200);
    const { readFileSync } = await import('node:fs');
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { doubled: 42 });
    await fails(['lambda', 'get-function', '--function-name', 'nope'], 'ResourceNotFoundException');
  });
});
