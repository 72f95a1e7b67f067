/** VPC flow logs: create/describe/delete, and records of simulated traffic in CloudWatch Logs and S3. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { CreateFlowLogsCommand, CreateTagsCommand, DeleteFlowLogsCommand, DescribeFlowLogsCommand } from '@aws-sdk/client-ec2';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';
import { deliveryRole, eniInGroup, traffic } from './flow-logs-helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

async function prodAndDev(cidr: string, tag: string) {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, `${cidr}.0.0/16`, [`${cidr}.1.0/24`, `${cidr}.2.0/24`]);
  const prod = await eniInGroup(c, v.vpcId, v.subnetIds[0]!, `prod-${tag}`);
  // dev admits HTTPS from prod's subnet, nothing else.
  const dev = await eniInGroup(c, v.vpcId, v.subnetIds[1]!, `dev-${tag}`, [{ port: 443, cidr: `${cidr}.1.0/24` }]);
  return { c, ...v, prod, dev };
}

test('records reach the log group: REJECT at the ENI whose security group dropped the flow, ACCEPT at both ENIs of an allowed one', async () => {
  const n = await prodAndDev('10.70', 'cw');
  const logs = new CloudWatchLogsClient(sdkConfig(h.dd));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/vpc/flow' }));
  const role = await deliveryRole(h.dd, 'flow-logs-cw');
  const created = await n.c.send(new CreateFlowLogsCommand({
    ResourceIds: [n.vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogGroupName: '/vpc/flow', DeliverLogsPermissionArn: role, MaxAggregationInterval: 60,
  }));
  assert.equal(created.FlowLogIds!.length, 1);
  assert.deepEqual(created.Unsuccessful, []);
  const flowLogId = created.FlowLogIds![0]!;

  const ssh = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 22, packets: 3, bytes: 180 });
  assert.equal(ssh.status, 200, JSON.stringify(ssh.body));
  assert.equal(ssh.body.reachable, false);
  assert.equal(ssh.body.result.explanations[0]!.code, 'ENI_SG_RULES_MISMATCH');
  const rejected = ssh.body.records.find((r) => r.eniId === n.dev.eniId)!;
  assert.equal(rejected.action, 'REJECT');
  assert.equal(rejected.delivered, true);
  const fields = rejected.record.split(' ');
  assert.deepEqual([fields[0], fields[1], fields[2], fields[3], fields[4], fields[6], fields[7], fields[8], fields[9], fields[12], fields[13]],
    ['2', '000000000000', n.dev.eniId, n.prod.ip, n.dev.ip, '22', '6', '3', '180', 'REJECT', 'OK']);
  // The sender's security group let it out: ACCEPT there.
  assert.equal(ssh.body.records.find((r) => r.eniId === n.prod.eniId)?.action, 'ACCEPT');

  const https = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 443 });
  assert.equal(https.body.reachable, true);
  // The request at both ENIs, then the reply (a flow of its own) on its way back.
  assert.deepEqual(https.body.records.map((r) => [r.eniId, r.action]), [[n.prod.eniId, 'ACCEPT'], [n.dev.eniId, 'ACCEPT'], [n.dev.eniId, 'ACCEPT'], [n.prod.eniId, 'ACCEPT']]);
  assert.match(https.body.records[2]!.record, new RegExp(`^2 000000000000 ${n.dev.eniId} ${n.dev.ip} ${n.prod.ip} 443 \\d+ 6 1 60 \\d+ \\d+ ACCEPT OK$`));

  const devStream = await logs.send(new GetLogEventsCommand({ logGroupName: '/vpc/flow', logStreamName: `${n.dev.eniId}-all` }));
  const lines = devStream.events!.map((e) => e.message!);
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, new RegExp(`^2 000000000000 ${n.dev.eniId} ${n.prod.ip} ${n.dev.ip} \\d+ 22 6 3 180 \\d+ \\d+ REJECT OK$`));
  assert.match(lines[1]!, / 443 6 1 60 \d+ \d+ ACCEPT OK$/);
  assert.match(lines[2]!, / 443 \d+ 6 1 60 \d+ \d+ ACCEPT OK$/);
  await n.c.send(new CreateTagsCommand({ Resources: [flowLogId], Tags: [{ Key: 'team', Value: 'net' }] }));
  const described = await n.c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'tag:team', Values: ['net'] }] }));
  assert.deepEqual(described.FlowLogs!.map((f) => [f.FlowLogId, f.DeliverLogsStatus, f.LogGroupName, f.TrafficType]), [[flowLogId, 'SUCCESS', '/vpc/flow', 'ALL']]);
});

test('a REJECT-only flow log of a subnet records only rejected traffic, on the clock\'s time', async () => {
  const n = await prodAndDev('10.71', 'rej');
  const logs = new CloudWatchLogsClient(sdkConfig(h.dd));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/vpc/rejects' }));
  const role = await deliveryRole(h.dd, 'flow-logs-rej');
  await n.c.send(new CreateFlowLogsCommand({ ResourceIds: [n.subnetIds[1]!], ResourceType: 'Subnet', TrafficType: 'REJECT', LogGroupName: '/vpc/rejects', DeliverLogsPermissionArn: role }));
  h.dd.app.clock.set('2030-01-02T03:04:05Z');
  h.dd.app.clock.freeze(true);
  try {
    const ok = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 443 });
    assert.deepEqual(ok.body.records, []);
    const bad = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 3306 });
    assert.deepEqual(bad.body.records.map((r) => r.action), ['REJECT']);
    const start = Date.parse('2030-01-02T03:04:05Z') / 1000;
    assert.equal(bad.body.records[0]!.record.split(' ')[10], String(start));
  } finally {
    h.dd.app.clock.freeze(false);
  }
});

test('a role the flow logs service may not assume fails delivery: DeliverLogsStatus FAILED, Access error', async () => {
  const n = await prodAndDev('10.72', 'untrusted');
  const logs = new CloudWatchLogsClient(sdkConfig(h.dd));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/vpc/untrusted' }));
  const role = await deliveryRole(h.dd, 'flow-logs-untrusted', false);
  const id = (await n.c.send(new CreateFlowLogsCommand({ ResourceIds: [n.dev.eniId], ResourceType: 'NetworkInterface', TrafficType: 'ALL', LogGroupName: '/vpc/untrusted', DeliverLogsPermissionArn: role }))).FlowLogIds![0]!;
  const r = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 443 });
  assert.equal(r.body.records[0]!.delivered, false);
  const f = (await n.c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [n.dev.eniId] }] }))).FlowLogs!;
  assert.deepEqual([f[0]!.FlowLogId, f[0]!.DeliverLogsStatus, f[0]!.DeliverLogsErrorMessage], [id, 'FAILED', 'Access error']);
});

test('S3 delivery: a gzipped file under AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/ with a header line', async () => {
  const n = await prodAndDev('10.73', 's3');
  const s3 = new S3Client({ ...sdkConfig(h.dd), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'flow-archive' }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: 'flow-archive',
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::flow-archive/*' }] }),
  }));
  await n.c.send(new CreateFlowLogsCommand({
    ResourceIds: [n.vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-archive/net',
    LogFormat: '${version} ${interface-id} ${vpc-id} ${subnet-id} ${dstport} ${action} ${flow-direction}',
  }));
  h.dd.app.clock.set('2031-05-06T07:08:09Z');
  const r = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 443 });
  assert.ok(r.body.records.every((x) => x.delivered), JSON.stringify(r.body.records));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'flow-archive', Prefix: 'net/AWSLogs/000000000000/vpcflowlogs/us-east-1/2031/05/06/' }));
  assert.equal(listed.Contents?.length, 1);
  const obj = await s3.send(new GetObjectCommand({ Bucket: 'flow-archive', Key: listed.Contents![0]!.Key! }));
  const text = gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString();
  const [header, ...records] = text.trim().split('\n');
  assert.equal(header, 'version interface-id vpc-id subnet-id dstport action flow-direction');
  assert.deepEqual(records.slice(0, 2), [
    `5 ${n.prod.eniId} ${n.vpcId} ${n.subnetIds[0]} 443 ACCEPT egress`,
    `5 ${n.dev.eniId} ${n.vpcId} ${n.subnetIds[1]} 443 ACCEPT ingress`,
  ]);
  // The replies go back to the client's ephemeral port.
  assert.match(records[2]!, new RegExp(`^5 ${n.dev.eniId} ${n.vpcId} ${n.subnetIds[1]} \\d{5} ACCEPT egress$`));
  assert.match(records[3]!, new RegExp(`^5 ${n.prod.eniId} ${n.vpcId} ${n.subnetIds[0]} \\d{5} ACCEPT ingress$`));
});

test('a flow log to a bucket without a policy adds the log delivery statements, as AWS does, and delivery works', async () => {
  const n = await prodAndDev('10.76', 's3auto');
  const s3 = new S3Client({ ...sdkConfig(h.dd), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'flow-auto' }));
  await n.c.send(new CreateFlowLogsCommand({ ResourceIds: [n.dev.eniId], ResourceType: 'NetworkInterface', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-auto' }));
  const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'flow-auto' }))).Policy!) as { Statement: { Sid: string; Resource: string }[] };
  assert.deepEqual(policy.Statement.map((x) => [x.Sid, x.Resource]), [
    ['AWSLogDeliveryWrite', 'arn:aws:s3:::flow-auto/AWSLogs/000000000000/*'], ['AWSLogDeliveryAclCheck', 'arn:aws:s3:::flow-auto'],
  ]);
  const r = await traffic(h.dd, { from: n.prod.eniId, to: n.dev.eniId, port: 22 });
  assert.deepEqual(r.body.records.map((x) => [x.action, x.delivered]), [['REJECT', true]]);
});

test('CreateFlowLogs reports unknown resources and duplicates as Unsuccessful items; bad input gets AWS\'s errors', async () => {
  const n = await prodAndDev('10.74', 'errors');
  const role = await deliveryRole(h.dd, 'flow-logs-errors');
  const base = { ResourceType: 'VPC' as const, TrafficType: 'ALL' as const, LogGroupName: '/x', DeliverLogsPermissionArn: role };
  const r = await n.c.send(new CreateFlowLogsCommand({ ...base, ResourceIds: [n.vpcId, 'vpc-0000000000000dead'] }));
  assert.equal(r.FlowLogIds!.length, 1);
  assert.deepEqual(r.Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code]), [['vpc-0000000000000dead', 'InvalidVpcID.NotFound']]);
  const dup = await n.c.send(new CreateFlowLogsCommand({ ...base, ResourceIds: [n.vpcId] }));
  assert.equal(dup.Unsuccessful![0]!.Error!.Code, 'FlowLogAlreadyExists');
  const s3Role = await failure(() => n.c.send(new CreateFlowLogsCommand({ ResourceIds: [n.vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::b', DeliverLogsPermissionArn: role })));
  assert.equal(s3Role.code, 'InvalidParameter');
  const noRole = await failure(() => n.c.send(new CreateFlowLogsCommand({ ResourceIds: [n.vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogGroupName: '/y' })));
  assert.equal(noRole.code, 'InvalidParameter');
  const badFormat = await failure(() => n.c.send(new CreateFlowLogsCommand({ ...base, LogGroupName: '/z', ResourceIds: [n.vpcId], LogFormat: '${version} ${nonsense}' })));
  assert.deepEqual([badFormat.code, badFormat.status], ['InvalidParameter', 400]);
  const badInterval = await failure(() => n.c.send(new CreateFlowLogsCommand({ ...base, LogGroupName: '/z', ResourceIds: [n.vpcId], MaxAggregationInterval: 120 })));
  assert.equal(badInterval.code, 'InvalidParameterValue');
  const del = await n.c.send(new DeleteFlowLogsCommand({ FlowLogIds: [r.FlowLogIds![0]!, 'fl-00000000000000000'] }));
  assert.deepEqual(del.Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code]), [['fl-00000000000000000', 'InvalidFlowLogId.NotFound']]);
  const left = await n.c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [n.vpcId] }] }));
  assert.deepEqual(left.FlowLogs, []);
  const bad = await traffic(h.dd, { from: n.prod.eniId, to: 'nowhere' });
  assert.equal(bad.status, 400);
});

test('drydock traffic prints the verdict, the hops, the blocker and the records; exit 0 accepted, 2 rejected', async () => {
  process.env['DRYDOCK_ENDPOINT'] = h.dd.endpoint;
  const n = await prodAndDev('10.75', 'cli');
  const { traffic: cli } = await import('../../../src/cli/traffic.js');
  const ok: string[] = [];
  assert.equal(await cli([n.prod.eniId, n.dev.eniId, '--port', '443'], (l) => ok.push(l)), 0);
  assert.equal(ok[0], `✔ accepted: ${n.prod.eniId} → ${n.dev.eniId}  tcp/443`);
  assert.equal(ok.at(-1), 'no flow log watches this path');
  const no: string[] = [];
  assert.equal(await cli([n.prod.eniId, n.dev.eniId, '--port', '22'], (l) => no.push(l)), 2);
  assert.match(no.find((l) => l.startsWith('blocked at'))!, new RegExp(`^blocked at security-group ${n.dev.groupId}: ENI_SG_RULES_MISMATCH`));
  await assert.rejects(() => cli([n.prod.eniId]), /usage/);
});
