/** Sharing a Resolver rule with another account by rule policy, and that account's VPC forwarding through it. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  AssociateResolverRuleCommand, CreateResolverEndpointCommand, CreateResolverRuleCommand, GetResolverRulePolicyCommand,
  ListResolverRulesCommand, PutResolverRulePolicyCommand, Route53ResolverClient,
} from '@aws-sdk/client-route53resolver';
import { accountConfig, failure } from '../../helpers.js';
import { query, useDrydockDns, values } from '../route53/helpers.js';
import { onPremDns, resolverClient, vpcWithSubnets } from './helpers.js';

const h = useDrydockDns();
const closers: (() => void)[] = [];
after(() => { for (const c of closers) c(); });

test('a FORWARD rule shared by rule policy: the other account sees it, associates it, and its VPC forwards through it', async () => {
  const owner = resolverClient(h.dd);
  const consumer = new Route53ResolverClient(accountConfig(h.dd, { accessKeyId: '111111111111' }));
  const onPrem = await onPremDns('shared.example.internal', '172.16.9.9');
  closers.push(onPrem.close);
  const net = await vpcWithSubnets(h.dd);
  const ep = (await owner.send(new CreateResolverEndpointCommand({
    CreatorRequestId: randomUUID(), SecurityGroupIds: ['sg-0123456789abcdef0'], Direction: 'OUTBOUND', IpAddresses: net.subnets.map((SubnetId) => ({ SubnetId })),
  }))).ResolverEndpoint!;
  const rule = (await owner.send(new CreateResolverRuleCommand({
    CreatorRequestId: randomUUID(), RuleType: 'FORWARD', DomainName: 'shared.example.internal', TargetIps: [{ Ip: '127.0.0.1', Port: onPrem.port }], ResolverEndpointId: ep.Id,
  }))).ResolverRule!;
  const consumerVpc = 'vpc-0aaaaaaaaaaaaaaa1';

  const before = await failure(() => consumer.send(new AssociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: consumerVpc })));
  assert.equal(before.name, 'ResourceNotFoundException');
  assert.deepEqual((await consumer.send(new ListResolverRulesCommand({}))).ResolverRules ?? [], []);

  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' },
    Action: ['route53resolver:GetResolverRule', 'route53resolver:AssociateResolverRule', 'route53resolver:DisassociateResolverRule', 'route53resolver:ListResolverRules'],
    Resource: rule.Arn,
  }] });
  assert.equal((await owner.send(new PutResolverRulePolicyCommand({ Arn: rule.Arn, ResolverRulePolicy: policy }))).ReturnValue, true);
  assert.equal((await owner.send(new GetResolverRulePolicyCommand({ Arn: rule.Arn }))).ResolverRulePolicy, policy);
  const seen = (await consumer.send(new ListResolverRulesCommand({}))).ResolverRules!;
  assert.deepEqual(seen.map((r) => [r.Id, r.OwnerId, r.ShareStatus]), [[rule.Id, '000000000000', 'SHARED_WITH_ME']]);
  const mine = (await owner.send(new ListResolverRulesCommand({}))).ResolverRules!.find((r) => r.Id === rule.Id)!;
  assert.equal(mine.ShareStatus, 'SHARED_BY_ME');

  await consumer.send(new AssociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: consumerVpc }));
  const answer = await query(h.dd, 'app.shared.example.internal', 'A', { vpc: consumerVpc });
  assert.deepEqual(values(answer), ['172.16.9.9']);
  const stranger = new Route53ResolverClient(accountConfig(h.dd, { accessKeyId: '222222222222' }));
  assert.equal((await failure(() => stranger.send(new AssociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: 'vpc-0bbbbbbbbbbbbbbb2' })))).name, 'ResourceNotFoundException');
});
