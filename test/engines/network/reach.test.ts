/** The network engine on plain topologies: paths, blockers, faults, and access analysis. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeAccess } from '../../../src/engines/network/access.js';
import { parseCidr, PrefixTable } from '../../../src/engines/network/cidr.js';
import { analyzeReachability } from '../../../src/engines/network/reach.js';
import type { Topology } from '../../../src/engines/network/topology.js';
import { hubAndSpoke, ISOLATION, ON_PREM } from '../../../bench/network.js';

const types = (hops: { type: string }[]) => hops.map((h) => h.type);

function withFaults(t: Topology, f: Partial<Topology['faults']>): Topology {
  return { ...t, faults: { regionsDown: [], linksDown: [], ...f } };
}

test('longest-prefix match: the most specific block wins, whatever the insertion order', () => {
  const t = new PrefixTable<string>();
  for (const [c, v] of [['0.0.0.0/0', 'default'], ['10.0.0.0/8', 'ten'], ['10.1.2.0/24', 'narrow'], ['10.1.0.0/16', 'mid']] as const) t.add(parseCidr(c)!, v);
  const at = (ip: string) => t.lookup(parseCidr(`${ip}/32`)!.base)?.value;
  assert.deepEqual([at('10.1.2.3'), at('10.1.9.9'), at('10.200.0.1'), at('8.8.8.8')], ['narrow', 'mid', 'ten', 'default']);
  assert.equal(parseCidr('10.0.0.1/16', true), undefined);
  assert.equal(parseCidr('300.0.0.0/8'), undefined);
});

test('spoke to on-premises: subnet → ACL → route table → TGW → route table → DX gateway → VIF → on-premises', () => {
  const r = analyzeReachability(hubAndSpoke(3), { source: { type: 'subnet', id: 'subnet-0-0' }, destination: { type: 'ip', ip: '172.16.9.9' }, port: 443 });
  assert.equal(r.reachable, true, JSON.stringify(r.explanations));
  assert.deepEqual(types(r.forward), ['network-acl', 'route-table', 'transit-gateway-attachment', 'transit-gateway', 'transit-gateway-route-table',
    'transit-gateway-attachment', 'direct-connect-gateway', 'direct-connect-virtual-interface', 'on-premises']);
  assert.equal(r.forward.at(-1)!.componentId, ON_PREM);
  assert.equal(r.returnPath.at(-1)!.type, 'network-acl');
});

test('spoke to spoke: blocked at the VPC route table of the transit gateway for want of a route', () => {
  const r = analyzeReachability(hubAndSpoke(3), { source: { type: 'subnet', id: 'subnet-0-0' }, destination: { type: 'subnet', id: 'subnet-1-0' } });
  assert.equal(r.reachable, false);
  assert.deepEqual(r.explanations.map((e) => [e.code, e.componentId, e.address]), [['TGW_RTB_CANNOT_ROUTE', 'tgw-rtb-vpcs', '10.0.16.4']]);
  assert.equal(r.blockedOn, 'forward');
});

test('faults: a LAG under its minimum links, all links down, a region outage', () => {
  const t = hubAndSpoke(2);
  t.dxGateways[0]!.uplinks[0]!.minimumLinks = 2;
  const q = { source: { type: 'subnet' as const, id: 'subnet-0-0' }, destination: { type: 'ip' as const, ip: '172.16.0.1' } };
  assert.equal(analyzeReachability(withFaults(t, { linksDown: [] }), q).reachable, true);
  const lag = analyzeReachability(withFaults(t, { linksDown: ['dxcon-1'] }), q);
  assert.deepEqual([lag.explanations[0]!.code, lag.explanations[0]!.componentId, lag.explanations[0]!.state], ['BAD_STATE', 'dxvif-1', 'down']);
  assert.match(lag.explanations[0]!.reason, /LAG `dxlag-1` has 1 of 2 links up, fewer than its minimum of 2/);
  t.dxGateways[0]!.uplinks[0]!.minimumLinks = 1;
  assert.equal(analyzeReachability(withFaults(t, { linksDown: ['dxcon-1'] }), q).reachable, true);
  assert.equal(analyzeReachability(withFaults(t, { linksDown: ['dxcon-1', 'dxcon-2'] }), q).reachable, false);
  const outage = analyzeReachability(withFaults(t, { regionsDown: ['us-east-1'] }), q);
  assert.deepEqual([outage.explanations[0]!.code, outage.explanations[0]!.state], ['BAD_STATE', 'outage']);
});

test('a blackhole static route blocks with BAD_STATE_ROUTE; an unassociated attachment with TGW_ATTACH_NO_ROUTE_TABLE', () => {
  const t = hubAndSpoke(2);
  t.tgwRouteTables[1]!.staticRoutes.push({ destination: '172.16.5.0/24', state: 'blackhole' });
  const hole = analyzeReachability(t, { source: { type: 'subnet', id: 'subnet-0-0' }, destination: { type: 'ip', ip: '172.16.5.1' } });
  assert.equal(hole.explanations[0]!.code, 'BAD_STATE_ROUTE');
  assert.equal(analyzeReachability(t, { source: { type: 'subnet', id: 'subnet-0-0' }, destination: { type: 'ip', ip: '172.16.6.1' } }).reachable, true);
  delete t.tgwAttachments.find((a) => a.id === 'tgw-attach-0')!.routeTableId;
  const none = analyzeReachability(t, { source: { type: 'subnet', id: 'subnet-0-0' }, destination: { type: 'ip', ip: '172.16.6.1' } });
  assert.deepEqual([none.explanations[0]!.code, none.explanations[0]!.componentId], ['TGW_ATTACH_NO_ROUTE_TABLE', 'tgw-attach-0']);
});

test('access analysis: zero findings when isolated; exactly N−1 after one wrong propagation; excludes subtract', () => {
  assert.equal(analyzeAccess(hubAndSpoke(40), ISOLATION).length, 0);
  const leak = analyzeAccess(hubAndSpoke(40, 7), ISOLATION);
  assert.equal(leak.length, 39);
  assert.ok(leak.every((f) => f.destinationId === 'vpc-7' && f.sourceId !== 'vpc-7'));
  assert.equal(new Set(leak.map((f) => f.sourceId)).size, 39);
  assert.equal(leak[0]!.hops.at(-1)!.type, 'network-acl');
  const excluding = analyzeAccess(hubAndSpoke(40, 7), { ...ISOLATION, excludePaths: [{ source: { resources: ['vpc-1', 'vpc-2'] } }] });
  assert.equal(excluding.length, 37);
  const toDc = analyzeAccess(hubAndSpoke(40), { matchPaths: [{ source: { resourceTypes: ['AWS::EC2::VPC'] }, destination: { addresses: [ON_PREM] } }], excludePaths: [] });
  assert.equal(toDc.length, 40);
});

test('access analysis agrees with tracing every pair (the reference) on a network with a restrictive ACL', () => {
  const t = hubAndSpoke(12, 3);
  // Subnet 5-1 only admits traffic from vpc-0's block: a per-source decision.
  t.networkAcls.push({ id: 'acl-strict', vpcId: 'vpc-5', subnetIds: ['subnet-5-1'], entries: [
    { ruleNumber: 10, egress: false, protocol: '-1', action: 'allow', cidr: '10.0.0.0/20' },
    { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
  ] });
  t.networkAcls.find((a) => a.id === 'acl-5')!.subnetIds = ['subnet-5-0', 'subnet-5-2'];
  t.tgwAttachments.find((a) => a.id === 'tgw-attach-5')!.propagatesTo.push('tgw-rtb-vpcs');
  const subnetScope = { matchPaths: [{ source: { resourceTypes: ['AWS::EC2::Subnet'] }, destination: { resourceTypes: ['AWS::EC2::Subnet'] } }], excludePaths: [] };
  const fast = new Set(analyzeAccess(t, subnetScope).map((f) => `${f.sourceId}>${f.destinationId}`));
  const reference = new Set<string>();
  for (const s of t.subnets) {
    for (const d of t.subnets) {
      if (s.id === d.id) continue;
      const r = analyzeReachability(t, { source: { type: 'subnet', id: s.id }, destination: { type: 'subnet', id: d.id } });
      if (r.forward.length > 0 && r.explanations.every((e) => r.blockedOn === 'return' || e === undefined) && (r.reachable || r.blockedOn === 'return')) reference.add(`${s.id}>${d.id}`);
    }
  }
  assert.deepEqual([...fast].sort(), [...reference].sort());
  assert.ok(fast.has('subnet-0-0>subnet-5-1') && !fast.has('subnet-1-0>subnet-5-1'));
});
