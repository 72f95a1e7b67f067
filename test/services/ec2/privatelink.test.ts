/**
 * PrivateLink across two accounts: a provider offers a service in front of a Network Load
 * Balancer, allows one consumer account, accepts its endpoint; the consumer's ENI then reaches
 * the service through its endpoint's ENI while the two VPCs stay unreachable to each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptVpcEndpointConnectionsCommand, CreateVpcEndpointCommand, CreateVpcEndpointConnectionNotificationCommand, CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointConnectionNotificationsCommand, DescribeVpcEndpointConnectionNotificationsCommand,
  DeleteVpcEndpointServiceConfigurationsCommand, DescribeVpcEndpointConnectionsCommand, DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand, DescribeVpcEndpointServicePermissionsCommand, DescribeVpcEndpointServicesCommand,
  EC2Client, ModifyVpcEndpointServicePermissionsCommand, RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { accountConfig, failure, useDrydock } from '../../helpers.js';
import { eniInGroup, traffic } from './flow-logs-helpers.js';
import { vpcWithSubnets } from './helpers.js';

const h = useDrydock();
const PROVIDER = '111111111111';
const CONSUMER = '222222222222';
const NLB = `arn:aws:elasticloadbalancing:us-east-1:${PROVIDER}:loadbalancer/net/orders-api/0123456789abcdef`;

const client = (account: string) => new EC2Client(accountConfig(h.dd, { accessKeyId: account }));

test('a consumer account reaches a provider\'s service through its interface endpoint; the VPCs stay unreachable to each other', async () => {
  const provider = client(PROVIDER);
  const consumer = client(CONSUMER);
  const pv = await vpcWithSubnets(provider, '10.80.0.0/16', ['10.80.1.0/24']);
  const backend = await eniInGroup(provider, pv.vpcId, pv.subnetIds[0]!, 'backend', [{ port: 443, cidr: '0.0.0.0/0' }]);
  const cfg = (await provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB], AcceptanceRequired: true }))).ServiceConfiguration!;
  assert.match(cfg.ServiceName!, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
  assert.equal(cfg.ServiceName!.endsWith(cfg.ServiceId!), true);
  assert.deepEqual([cfg.ServiceState, cfg.AcceptanceRequired, cfg.ServiceType![0]!.ServiceType], ['Available', true, 'Interface']);

  // Not allowed yet: invisible to the consumer, and an endpoint to it is refused.
  const hidden = await consumer.send(new DescribeVpcEndpointServicesCommand({}));
  assert.equal(hidden.ServiceNames!.includes(cfg.ServiceName!), false);
  const cv = await vpcWithSubnets(consumer, '10.90.0.0/16', ['10.90.1.0/24', '10.90.2.0/24']);
  const refused = await failure(() => consumer.send(new CreateVpcEndpointCommand({ VpcId: cv.vpcId, ServiceName: cfg.ServiceName!, VpcEndpointType: 'Interface', SubnetIds: [cv.subnetIds[1]!] })));
  assert.deepEqual([refused.code, refused.status], ['InvalidServiceName', 400]);
  assert.match(refused.message, /does not exist/);

  const perm = await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: cfg.ServiceId!, AddAllowedPrincipals: [`arn:aws:iam::${CONSUMER}:root`] }));
  assert.deepEqual(perm.AddedPrincipals!.map((p) => [p.PrincipalType, p.Principal]), [['Account', `arn:aws:iam::${CONSUMER}:root`]]);
  const listed = await provider.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: cfg.ServiceId! }));
  assert.deepEqual(listed.AllowedPrincipals!.map((p) => p.Principal), [`arn:aws:iam::${CONSUMER}:root`]);
  const visible = (await consumer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [cfg.ServiceName!] }))).ServiceDetails!;
  assert.deepEqual([visible[0]!.Owner, visible[0]!.AcceptanceRequired], [PROVIDER, true]);
  // A third account still cannot see it.
  const stranger = await failure(() => client('333333333333').send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [cfg.ServiceName!] })));
  assert.equal(stranger.code, 'InvalidServiceName');

  const app = await eniInGroup(consumer, cv.vpcId, cv.subnetIds[0]!, 'app');
  const epSg = await eniInGroup(consumer, cv.vpcId, cv.subnetIds[1]!, 'endpoint', [{ port: 443, cidr: '10.90.0.0/16' }]);
  const ep = (await consumer.send(new CreateVpcEndpointCommand({
    VpcId: cv.vpcId, ServiceName: cfg.ServiceName!, VpcEndpointType: 'Interface', SubnetIds: [cv.subnetIds[1]!], SecurityGroupIds: [epSg.groupId],
  }))).VpcEndpoint!;
  assert.equal(ep.State, 'pendingAcceptance');
  const endpointEni = ep.NetworkInterfaceIds![0]!;

  const pending = await traffic(h.dd, { account: CONSUMER, from: app.eniId, to: cfg.ServiceId!, port: 443 });
  assert.equal(pending.body.reachable, false);
  assert.deepEqual([pending.body.result.explanations[0]!.code, pending.body.result.explanations[0]!.componentId], ['BAD_STATE', ep.VpcEndpointId]);

  const conns = (await provider.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: [cfg.ServiceId!] }] }))).VpcEndpointConnections!;
  assert.deepEqual(conns.map((c) => [c.VpcEndpointId, c.VpcEndpointOwner, c.VpcEndpointState]), [[ep.VpcEndpointId, CONSUMER, 'pendingAcceptance']]);
  const accepted = await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: cfg.ServiceId!, VpcEndpointIds: [ep.VpcEndpointId!, 'vpce-00000000000000000'] }));
  assert.deepEqual(accepted.Unsuccessful!.map((u) => u.ResourceId), ['vpce-00000000000000000']);
  const now = (await consumer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!;
  assert.equal(now.State, 'available');

  const through = await traffic(h.dd, { account: CONSUMER, from: app.eniId, to: cfg.ServiceName!, port: 443 });
  assert.equal(through.body.reachable, true, JSON.stringify(through.body.result.explanations));
  const path = through.body.result.forward.map((x) => `${x.type}:${x.componentId}`);
  assert.equal(path[0], `network-interface:${app.eniId}`);
  assert.ok(path.includes(`network-interface:${endpointEni}`), path.join(' '));
  assert.deepEqual(path.slice(-2), [`vpc-endpoint:${ep.VpcEndpointId}`, `vpc-endpoint-service:${cfg.ServiceId}`]);
  // The endpoint's security group decides: another port is dropped at the endpoint's ENI.
  const otherPort = await traffic(h.dd, { account: CONSUMER, from: app.eniId, to: cfg.ServiceId!, port: 8080 });
  assert.deepEqual([otherPort.body.reachable, otherPort.body.result.explanations[0]!.code], [false, 'ENI_SG_RULES_MISMATCH']);
  // No route joins the VPCs: the provider's backend is unreachable from the consumer and back.
  const direct = await traffic(h.dd, { account: CONSUMER, from: app.eniId, to: backend.ip, port: 443 });
  assert.deepEqual([direct.body.reachable, direct.body.result.explanations[0]!.code], [false, 'NO_ROUTE_TO_DESTINATION']);
  const back = await traffic(h.dd, { account: PROVIDER, from: backend.eniId, to: app.ip, port: 443 });
  assert.equal(back.body.reachable, false);

  // The provider cannot delete a service with live connections; rejecting the endpoint cuts the path.
  const del = await provider.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [cfg.ServiceId!] }));
  assert.equal(del.Unsuccessful![0]!.Error!.Code, 'ExistingVpcEndpointConnections');
  await provider.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: cfg.ServiceId!, VpcEndpointIds: [ep.VpcEndpointId!] }));
  const cut = await traffic(h.dd, { account: CONSUMER, from: app.eniId, to: cfg.ServiceId!, port: 443 });
  assert.deepEqual([cut.body.reachable, cut.body.result.explanations[0]!.code], [false, 'BAD_STATE']);
  assert.deepEqual((await provider.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [cfg.ServiceId!] }))).Unsuccessful, []);
  const gone = await failure(() => provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [cfg.ServiceId!] })));
  assert.equal(gone.code, 'InvalidVpcEndpointServiceId.NotFound');
});

test('endpoint service configurations check their load balancers and principals', async () => {
  const provider = client(PROVIDER);
  const bad = await failure(() => provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/0123456789abcdef'] })));
  assert.deepEqual([bad.code, bad.status], ['InvalidParameter', 400]);
  const otherAccount = await failure(() => provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB.replace(PROVIDER, CONSUMER)] })));
  assert.equal(otherAccount.code, 'InvalidParameter');
  const none = await failure(() => provider.send(new CreateVpcEndpointServiceConfigurationCommand({})));
  assert.equal(none.code, 'InvalidParameter');
  const cfg = (await provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB], PrivateDnsName: 'api.example.com' }))).ServiceConfiguration!;
  assert.deepEqual([cfg.PrivateDnsName, cfg.PrivateDnsNameConfiguration?.State, cfg.PrivateDnsNameConfiguration?.Type], ['api.example.com', 'pendingVerification', 'TXT']);
  const principal = await failure(() => provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: cfg.ServiceId!, AddAllowedPrincipals: ['not-an-arn'] })));
  assert.equal(principal.code, 'InvalidPrincipal');
  const filtered = await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'service-name', Values: [cfg.ServiceName!] }] }));
  assert.deepEqual(filtered.ServiceConfigurations!.map((x) => x.ServiceId), [cfg.ServiceId]);
  // Without acceptance required, an allowed consumer's endpoint is available at once.
  await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: cfg.ServiceId!, AddAllowedPrincipals: ['*'] }));
  const consumer = client('444444444444');
  const cv = await vpcWithSubnets(consumer, '10.91.0.0/16', ['10.91.1.0/24']);
  const ep = (await consumer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints!;
  assert.equal(ep.length, 0);
  const made = (await consumer.send(new CreateVpcEndpointCommand({ VpcId: cv.vpcId, ServiceName: cfg.ServiceName!, VpcEndpointType: 'Interface', SubnetIds: cv.subnetIds }))).VpcEndpoint!;
  assert.notEqual(made.State, 'pendingAcceptance');
  const policy = await failure(() => consumer.send(new CreateVpcEndpointCommand({ VpcId: cv.vpcId, ServiceName: cfg.ServiceName!, VpcEndpointType: 'Interface', SubnetIds: cv.subnetIds, PolicyDocument: '{}' })));
  assert.equal(policy.code, 'InvalidParameter');
});

test('connection notifications: the provider\'s topic hears Connect and Accept, published as vpce.amazonaws.com', async () => {
  const cfgProvider = accountConfig(h.dd, { accessKeyId: PROVIDER });
  const sqs = new SQSClient(cfgProvider);
  const sns = new SNSClient(cfgProvider);
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'endpoint-events' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'endpoint-events' }))).TopicArn!;
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn }] }) } }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'vpce.amazonaws.com' }, Action: 'SNS:Publish', Resource: topicArn }] }) }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));

  const provider = client(PROVIDER);
  const consumer = client('555555555555');
  const svc = (await provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB], AcceptanceRequired: true }))).ServiceConfiguration!;
  await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId!, AddAllowedPrincipals: ['arn:aws:iam::555555555555:root'] }));
  const bad = await failure(() => provider.send(new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: svc.ServiceId!, ConnectionNotificationArn: topicArn, ConnectionEvents: ['Explode'] })));
  assert.equal(bad.code, 'InvalidParameter');
  const n = (await provider.send(new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: svc.ServiceId!, ConnectionNotificationArn: topicArn, ConnectionEvents: ['Connect', 'Accept'] }))).ConnectionNotification!;
  assert.deepEqual([n.ConnectionNotificationType, n.ConnectionNotificationState, n.ConnectionEvents], ['Topic', 'Enabled', ['Connect', 'Accept']]);
  const listed = await provider.send(new DescribeVpcEndpointConnectionNotificationsCommand({ Filters: [{ Name: 'service-id', Values: [svc.ServiceId!] }] }));
  assert.deepEqual(listed.ConnectionNotificationSet!.map((x) => x.ConnectionNotificationId), [n.ConnectionNotificationId]);

  const cv = await vpcWithSubnets(consumer, '10.92.0.0/16', ['10.92.1.0/24']);
  const ep = (await consumer.send(new CreateVpcEndpointCommand({ VpcId: cv.vpcId, ServiceName: svc.ServiceName!, VpcEndpointType: 'Interface', SubnetIds: cv.subnetIds }))).VpcEndpoint!;
  await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.ServiceId!, VpcEndpointIds: [ep.VpcEndpointId!] }));
  const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
  const events = got.map((m) => JSON.parse(m.Body!) as { EventType: string; VpcEndpointId: string; VpcEndpointOwner: string; VpcEndpointState: string });
  assert.deepEqual(events.map((e) => [e.EventType, e.VpcEndpointId, e.VpcEndpointOwner, e.VpcEndpointState]), [
    ['Connect', ep.VpcEndpointId, '555555555555', 'pendingAcceptance'], ['Accept', ep.VpcEndpointId, '555555555555', 'available'],
  ]);
  const del = await provider.send(new DeleteVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationIds: [n.ConnectionNotificationId!, 'vpce-nfn-00000000000000000'] }));
  assert.deepEqual(del.Unsuccessful!.map((u) => u.ResourceId), ['vpce-nfn-00000000000000000']);
});
