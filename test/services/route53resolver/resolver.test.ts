/** Route 53 Resolver through the real SDK: endpoints, rules, associations, query logs, and real forwarding from a VPC. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  AssociateResolverQueryLogConfigCommand, AssociateResolverRuleCommand, CreateResolverEndpointCommand, CreateResolverQueryLogConfigCommand,
  CreateResolverRuleCommand, DeleteResolverEndpointCommand, DeleteResolverQueryLogConfigCommand, DeleteResolverRuleCommand, DisassociateResolverRuleCommand,
  GetResolverEndpointCommand, ListResolverEndpointIpAddressesCommand, ListResolverRulesCommand, UpdateResolverEndpointCommand,
} from '@aws-sdk/client-route53resolver';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { failure, sdkConfig } from '../../helpers.js';
import { a, createZone, query, r53, upsert, useDrydockDns, values } from '../route53/helpers.js';
import { logged, onPremDns, resolverClient, vpcWithSubnets } from './helpers.js';

const h = useDrydockDns();
const closers: (() => void)[] = [];
after(() => { for (const c of closers) c(); });

async function endpoint(direction: 'INBOUND' | 'OUTBOUND') {
  const net = await vpcWithSubnets(h.dd);
  const r = await resolverClient(h.dd).send(new CreateResolverEndpointCommand({
    CreatorRequestId: randomUUID(), Name: `ep-${direction}`, SecurityGroupIds: ['sg-0123456789abcdef0'], Direction: direction,
    IpAddresses: net.subnets.map((SubnetId) => ({ SubnetId })),
  }));
  return { ...net, endpoint: r.ResolverEndpoint! };
}

test('endpoints: created in the subnets\' VPC, CREATING then OPERATIONAL on the clock, with AWS\'s errors', async () => {
  const c = resolverClient(h.dd);
  const { vpcId, endpoint: ep, subnets } = await endpoint('INBOUND');
  assert.deepEqual([ep.Direction, ep.HostVPCId, ep.IpAddressCount, ep.Status], ['INBOUND', vpcId, 2, 'CREATING']);
  assert.match(ep.Id!, /^rslvr-in-[0-9a-f]{17}$/);
  assert.equal(ep.Arn, `arn:aws:route53resolver:us-east-1:000000000000:resolver-endpoint/${ep.Id}`);
  h.dd.clock.advance(3);
  const got = await c.send(new UpdateResolverEndpointCommand({ ResolverEndpointId: ep.Id, Name: 'renamed' }));
  assert.deepEqual([got.ResolverEndpoint!.Status, got.ResolverEndpoint!.Name], ['OPERATIONAL', 'renamed']);
  const ips = await c.send(new ListResolverEndpointIpAddressesCommand({ ResolverEndpointId: ep.Id }));
  assert.deepEqual(ips.IpAddresses!.map((i) => [i.SubnetId, i.Ip]), [[subnets[0], '10.20.0.4'], [subnets[1], '10.20.1.5']]);
  const badSg = await failure(() => c.send(new CreateResolverEndpointCommand({
    CreatorRequestId: randomUUID(), SecurityGroupIds: ['test-invalid-sg-123'], Direction: 'INBOUND', IpAddresses: subnets.map((SubnetId) => ({ SubnetId })),
  })));
  assert.deepEqual([badSg.name, badSg.message], ['InvalidParameterException', '[RSLVR-00408] Malformed security group ID: "Invalid id: "test-invalid-sg-123" (expecting "sg-...")".']);
  const del = await c.send(new DeleteResolverEndpointCommand({ ResolverEndpointId: ep.Id }));
  assert.equal(del.ResolverEndpoint!.Status, 'DELETING');
  const gone = await failure(() => c.send(new GetResolverEndpointCommand({ ResolverEndpointId: ep.Id })));
  assert.equal(gone.name, 'ResourceNotFoundException');
});

test('rules: FORWARD needs an OUTBOUND endpoint; unknown rules are ResourceNotFoundException in AWS\'s words', async () => {
  const c = resolverClient(h.dd);
  const inbound = await endpoint('INBOUND');
  const e = await failure(() => c.send(new CreateResolverRuleCommand({
    CreatorRequestId: randomUUID(), RuleType: 'FORWARD', DomainName: 'www.example1.com', TargetIps: [{ Ip: '10.0.1.200', Port: 123 }], ResolverEndpointId: inbound.endpoint.Id,
  })));
  assert.deepEqual([e.name, e.message], ['InvalidRequestException', '[RSLVR-00700] Resolver rules can only be associated to OUTBOUND resolver endpoints.']);
  const missing = await failure(() => c.send(new DeleteResolverRuleCommand({ ResolverRuleId: 'id-123' })));
  assert.deepEqual([missing.name, missing.message, missing.status], ['ResourceNotFoundException', '[RSLVR-00703] Resolver rule with ID "id-123" does not exist.', 400]);
  const outbound = await endpoint('OUTBOUND');
  const rule = (await c.send(new CreateResolverRuleCommand({
    CreatorRequestId: randomUUID(), RuleType: 'FORWARD', DomainName: 'www.example1.com', TargetIps: [{ Ip: '10.0.1.200', Port: 123 }], ResolverEndpointId: outbound.endpoint.Id,
  }))).ResolverRule!;
  assert.deepEqual([rule.DomainName, rule.Status, rule.ShareStatus, rule.OwnerId], ['www.example1.com.', 'COMPLETE', 'NOT_SHARED', '000000000000']);
  const listed = await c.send(new ListResolverRulesCommand({ Filters: [{ Name: 'DOMAIN_NAME', Values: ['www.example1.com.'] }] }));
  assert.deepEqual(listed.ResolverRules!.map((r) => r.Id), [rule.Id]);
  const assoc = await c.send(new AssociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: outbound.vpcId, Name: 'assoc' }));
  assert.equal(assoc.ResolverRuleAssociation!.Status, 'COMPLETE');
  const inUse = await failure(() => c.send(new DeleteResolverRuleCommand({ ResolverRuleId: rule.Id })));
  assert.equal(inUse.name, 'ResourceInUseException');
  const dis = await c.send(new DisassociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: outbound.vpcId }));
  assert.equal(dis.ResolverRuleAssociation!.Status, 'DELETING');
  assert.equal((await c.send(new DeleteResolverRuleCommand({ ResolverRuleId: rule.Id }))).ResolverRule!.Status, 'DELETING');
});

test('an outbound rule really forwards its domain from an associated VPC; other names and VPCs stay with Route 53; queries are logged', async () => {
  const c = resolverClient(h.dd);
  const onPrem = await onPremDns('corp.example.internal', '172.16.0.10');
  closers.push(onPrem.close);
  const out = await endpoint('OUTBOUND');
  const rule = (await c.send(new CreateResolverRuleCommand({
    CreatorRequestId: randomUUID(), RuleType: 'FORWARD', DomainName: 'corp.example.internal', TargetIps: [{ Ip: '127.0.0.1', Port: onPrem.port }], ResolverEndpointId: out.endpoint.Id,
  }))).ResolverRule!;
  await c.send(new AssociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: out.vpcId }));
  await new CloudWatchLogsClient(sdkConfig(h.dd)).send(new CreateLogGroupCommand({ logGroupName: 'dns' }));
  const qlc = (await c.send(new CreateResolverQueryLogConfigCommand({ Name: 'vpc-logs', CreatorRequestId: randomUUID(), DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:dns' }))).ResolverQueryLogConfig!;
  await c.send(new AssociateResolverQueryLogConfigCommand({ ResolverQueryLogConfigId: qlc.Id, ResourceId: out.vpcId }));

  const fwd = await query(h.dd, 'host.corp.example.internal', 'A', { vpc: out.vpcId });
  assert.deepEqual(values(fwd), ['172.16.0.10']);
  assert.match(fwd.why.join('\n'), new RegExp(`Resolver rule ${rule.Id} forwards corp.example.internal. from ${out.vpcId} to 127.0.0.1:${onPrem.port}`));
  assert.deepEqual(onPrem.seen, ['host.corp.example.internal']);
  const elsewhere = await query(h.dd, 'host.corp.example.internal', 'A', { vpc: 'vpc-0fffffffffffffff0' });
  assert.equal(elsewhere.rcode, 'REFUSED', 'a VPC without the rule does not forward');
  assert.equal(onPrem.seen.length, 1);

  const zone = await createZone(r53(h.dd), { vpcId: out.vpcId });
  await upsert(r53(h.dd), zone.id, a(`db.${zone.name}`, '10.20.0.50'));
  assert.deepEqual(values(await query(h.dd, `db.${zone.name}`, 'A', { vpc: out.vpcId })), ['10.20.0.50']);

  const records = await logged(h.dd, 'dns', 2);
  assert.deepEqual(records.map((r) => [r.query_name, r.rcode, r.vpc_id]).sort(), [[`db.${zone.name}.`, 'NOERROR', out.vpcId], ['host.corp.example.internal.', 'NOERROR', out.vpcId]]);
  const missing = await failure(() => c.send(new DeleteResolverQueryLogConfigCommand({ ResolverQueryLogConfigId: 'rslvr-rqlc-0000' })));
  assert.match(missing.message, /^\[RSLVR-01601\] The specified query logging configuration doesn't exist\. Trace Id: "/);
});

test('an inbound endpoint answers on-premises queries for the private zones of its VPC', async () => {
  const inbound = await endpoint('INBOUND');
  const zone = await createZone(r53(h.dd), { vpcId: inbound.vpcId });
  await upsert(r53(h.dd), zone.id, a(`app.${zone.name}`, '10.20.1.77'));
  assert.equal((await query(h.dd, `app.${zone.name}`)).rcode, 'REFUSED', 'without the endpoint, the private zone is invisible');
  const viaEndpoint = await query(h.dd, `app.${zone.name}`, 'A', { vpc: inbound.endpoint.Id });
  assert.deepEqual(values(viaEndpoint), ['10.20.1.77']);
  assert.match(viaEndpoint.why.join('\n'), new RegExp(`inbound endpoint ${inbound.endpoint.Id} resolves as its VPC ${inbound.vpcId}`));
});
