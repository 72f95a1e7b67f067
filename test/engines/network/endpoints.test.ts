/** The network engine with VPC endpoints: PrivateLink services, endpoint policies, flow observations, ENI-level access. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeAccess } from '../../../src/engines/network/access.js';
import { observeFlow, observeReply } from '../../../src/engines/network/flow.js';
import { NetIndex } from '../../../src/engines/network/index-topology.js';
import type { EndpointPolicyCheck } from '../../../src/engines/network/path.js';
import { analyzeReachability, type ReachQuery } from '../../../src/engines/network/reach.js';
import { emptyTopology, type Topology } from '../../../src/engines/network/topology.js';

const all = [{ protocol: '-1', cidrs: ['0.0.0.0/0'], groupIds: [], prefixListIds: [] }];
const https = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/16'], groupIds: [], prefixListIds: [] }];

/** One VPC: an app ENI, a PrivateLink endpoint ENI (HTTPS only), an S3 gateway endpoint with a policy. */
function topology(endpointState = 'available'): Topology {
  const t = emptyTopology();
  t.vpcs.push({ id: 'vpc-1', account: '222222222222', region: 'us-east-1', cidrs: ['10.0.0.0/16'] });
  t.subnets.push({ id: 'subnet-a', vpcId: 'vpc-1', cidr: '10.0.1.0/24', az: 'us-east-1a' }, { id: 'subnet-b', vpcId: 'vpc-1', cidr: '10.0.2.0/24', az: 'us-east-1b' });
  t.prefixLists.push({ id: 'pl-s3', name: 'com.amazonaws.us-east-1.s3', cidrs: ['52.216.0.0/15'] });
  t.routeTables.push({ id: 'rtb-1', vpcId: 'vpc-1', main: true, subnetIds: [], gatewayIds: [], routes: [
    { destination: '10.0.0.0/16', targetType: 'local', targetId: 'local', state: 'active' },
    { destination: '52.216.0.0/15', prefixListId: 'pl-s3', targetType: 'vpce', targetId: 'vpce-gw', state: 'active' },
  ] });
  t.securityGroups.push({ id: 'sg-app', vpcId: 'vpc-1', ingress: [], egress: all }, { id: 'sg-ep', vpcId: 'vpc-1', ingress: https, egress: all });
  t.enis.push(
    { id: 'eni-app', subnetId: 'subnet-a', vpcId: 'vpc-1', privateIps: ['10.0.1.10'], groupIds: ['sg-app'], interfaceType: 'interface' },
    { id: 'eni-ep', subnetId: 'subnet-b', vpcId: 'vpc-1', privateIps: ['10.0.2.20'], groupIds: ['sg-ep'], interfaceType: 'vpc_endpoint' },
  );
  t.gateways.push({ id: 'vpce-gw', type: 'vpce', vpcId: 'vpc-1', prefixListId: 'pl-s3', serviceName: 'com.amazonaws.us-east-1.s3', policy: 'only-reports', available: true });
  t.interfaceEndpoints!.push({ id: 'vpce-if', vpcId: 'vpc-1', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-1', eniIds: ['eni-ep'], state: endpointState, privateDns: false, serviceId: 'vpce-svc-1' });
  t.endpointServices!.push({ id: 'vpce-svc-1', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-1', account: '111111111111', region: 'us-east-1', loadBalancerArns: ['arn:nlb'], available: true });
  return t;
}

// A stand-in for the IAM engine: the policy named `only-reports` allows the `reports` bucket only.
const policy: EndpointPolicyCheck = (doc, req) => ({ allowed: doc !== 'only-reports' || req.resource.startsWith('arn:aws:s3:::reports'), reason: 'no statement allows it' });

const cases: { name: string; state?: string; q: Partial<ReachQuery>; reachable: boolean; last?: string; code?: string }[] = [
  { name: 'PrivateLink service through the endpoint ENI', q: { destination: { type: 'endpoint-service', id: 'vpce-svc-1' }, port: 443 }, reachable: true, last: 'vpc-endpoint-service' },
  { name: 'PrivateLink, a port the endpoint SG refuses (NEG)', q: { destination: { type: 'endpoint-service', id: 'vpce-svc-1' }, port: 22 }, reachable: false, code: 'ENI_SG_RULES_MISMATCH' },
  { name: 'PrivateLink, connection pending acceptance', state: 'pendingAcceptance', q: { destination: { type: 'endpoint-service', id: 'vpce-svc-1' }, port: 443 }, reachable: false, code: 'BAD_STATE' },
  { name: 'the endpoint ENI itself is just an ENI', q: { destination: { type: 'eni', id: 'eni-ep' }, port: 443 }, reachable: true, last: 'network-interface' },
  { name: 'S3 through the gateway endpoint, allowed bucket', q: { destination: { type: 'aws-service', service: 's3' }, port: 443, request: { action: 's3:GetObject', resource: 'arn:aws:s3:::reports/a' } }, reachable: true, last: 'vpc-endpoint' },
  { name: 'S3 through the gateway endpoint, another bucket', q: { destination: { type: 'aws-service', service: 's3' }, port: 443, request: { action: 's3:GetObject', resource: 'arn:aws:s3:::payroll/a' } }, reachable: false, code: 'VPC_ENDPOINT_POLICY_RESTRICTION' },
  { name: 'S3 with no request (Reachability Analyzer\'s question)', q: { destination: { type: 'aws-service', service: 's3' }, port: 443 }, reachable: true },
];

for (const c of cases) {
  test(`endpoints: ${c.name}`, () => {
    const r = analyzeReachability(topology(c.state), { source: { type: 'eni', id: 'eni-app' }, ...c.q } as ReachQuery, { endpointPolicy: policy });
    assert.equal(r.reachable, c.reachable, JSON.stringify(r.explanations));
    if (c.last) assert.equal(r.forward.at(-1)!.type, c.last);
    if (c.code) assert.equal(r.explanations[0]!.code, c.code);
  });
}

test('flow observations: ACCEPT where the packet passed, REJECT at the ENI whose security group dropped it', () => {
  const ix = new NetIndex(topology());
  const ok = analyzeReachability(ix, { source: { type: 'eni', id: 'eni-app' }, destination: { type: 'eni', id: 'eni-ep' }, port: 443 });
  assert.deepEqual(observeFlow(ix, ok), [{ eniId: 'eni-app', action: 'ACCEPT', direction: 'egress' }, { eniId: 'eni-ep', action: 'ACCEPT', direction: 'ingress' }]);
  const no = analyzeReachability(ix, { source: { type: 'eni', id: 'eni-app' }, destination: { type: 'eni', id: 'eni-ep' }, port: 22 });
  assert.deepEqual(observeFlow(ix, no).map((o) => [o.eniId, o.action]), [['eni-app', 'ACCEPT'], ['eni-ep', 'REJECT']]);
  // The other way the receiver (no ingress rules) refuses: REJECT there.
  const back = analyzeReachability(ix, { source: { type: 'eni', id: 'eni-ep' }, destination: { type: 'eni', id: 'eni-app' }, port: 443 });
  assert.deepEqual(observeFlow(ix, back).map((o) => [o.eniId, o.action]), [['eni-ep', 'ACCEPT'], ['eni-app', 'REJECT']]);
});

test('access at ENI level: security groups decide, findings name the ENIs and the rule', () => {
  const t = topology();
  const scope = (types: string[]) => ({ matchPaths: [{ source: { resources: ['sg-app'] }, destination: { resourceTypes: types }, destinationPorts: [22] }], excludePaths: [] });
  assert.deepEqual(analyzeAccess(t, scope(['AWS::EC2::NetworkInterface'])), []);
  const on443 = analyzeAccess(t, { ...scope(['AWS::EC2::SecurityGroup']), matchPaths: [{ source: { resources: ['sg-app'] }, destination: { resources: ['sg-ep'] }, destinationPorts: [22, 443] }] });
  assert.deepEqual(on443.map((f) => [f.sourceId, f.destinationId]), [['eni-app', 'eni-ep']]);
  assert.ok(on443[0]!.hops.some((h) => h.securityGroupRule?.securityGroupId === 'sg-ep' && h.securityGroupRule.portRange?.from === 443));
});

test('an interface endpoint as the destination (as Reachability Analyzer names it) is reached through its ENI', () => {
  const r = analyzeReachability(topology(), { source: { type: 'eni', id: 'eni-app' }, destination: { type: 'service', endpointId: 'vpce-if' }, port: 443 });
  assert.equal(r.reachable, true, JSON.stringify(r.explanations));
  assert.deepEqual(r.forward.slice(-3).map((h) => h.componentId), ['eni-ep', 'vpce-if', 'vpce-svc-1']);
});

test('reply observations: both ENIs accept the reply; a stateless ACL that drops it records REJECT where it left', () => {
  const t = topology();
  const q = { source: { type: 'eni' as const, id: 'eni-app' }, destination: { type: 'eni' as const, id: 'eni-ep' }, port: 443 };
  const ix = new NetIndex(t);
  assert.deepEqual(observeReply(ix, analyzeReachability(ix, q)).map((o) => [o.eniId, o.action, o.direction]), [['eni-ep', 'ACCEPT', 'egress'], ['eni-app', 'ACCEPT', 'ingress']]);
  // subnet-b admits HTTPS in but lets nothing out: the reply dies leaving eni-ep.
  t.networkAcls.push({ id: 'acl-b', vpcId: 'vpc-1', subnetIds: ['subnet-b'], entries: [{ ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' }] });
  const ix2 = new NetIndex(t);
  const r = analyzeReachability(ix2, q);
  assert.equal(r.blockedOn, 'return');
  assert.deepEqual(observeFlow(ix2, r).map((o) => [o.eniId, o.action]), [['eni-app', 'ACCEPT'], ['eni-ep', 'ACCEPT']]);
  assert.deepEqual(observeReply(ix2, r).map((o) => [o.eniId, o.action]), [['eni-ep', 'REJECT']]);
});

test('access at ENI level: a /32 rule tells two ENIs of one subnet and group apart', () => {
  const t = topology();
  t.enis.push({ id: 'eni-app2', subnetId: 'subnet-a', vpcId: 'vpc-1', privateIps: ['10.0.1.11'], groupIds: ['sg-app'], interfaceType: 'interface' });
  t.securityGroups[1]!.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.1.11/32'], groupIds: [], prefixListIds: [] }];
  const found = analyzeAccess(t, { matchPaths: [{ source: { resources: ['sg-app'] }, destination: { resources: ['sg-ep'] }, destinationPorts: [443] }], excludePaths: [] });
  assert.deepEqual(found.map((f) => [f.sourceId, f.destinationId]), [['eni-app2', 'eni-ep']]);
});
