/**
 * Network Access Analyzer at scale: the handbook's isolated hub-and-spoke design (N VPCs, one
 * subnet per zone in three zones, a transit gateway whose VPC-Route-Table only routes to
 * on-premises over Direct Connect) at 50, 500 and 2,000 VPCs. Times the scope "a VPC reaches
 * another VPC" (zero findings) and the same scope after one wrong propagation (N−1 findings),
 * and, as the peer measured in the same run, the naive analysis that traces every
 * source/destination subnet pair with the same walker (at the sizes where it finishes).
 * Goal: under 1 s at 500 VPCs, growing close to linearly. Not a test:
 *
 *   node --import tsx bench/network.ts [--sizes 50,200,500,2000] [--naive-max 200]
 */
import { analyzeAccess, type AccessScope } from '../src/engines/network/access.js';
import { NetIndex } from '../src/engines/network/index-topology.js';
import { emptyTopology, type Topology } from '../src/engines/network/topology.js';
import { Walker } from '../src/engines/network/walk.js';
import { flag, fmt, isMain, table } from './lib.js';

export const ON_PREM = '172.16.0.0/12';

/** The isolated design as engine data: `leak` propagates spoke `leak` into VPC-Route-Table. */
export function hubAndSpoke(n: number, leak?: number): Topology {
  const t = emptyTopology();
  t.tgws.push({ id: 'tgw-hub', account: '000000000000', region: 'us-east-1' });
  t.tgwRouteTables.push({ id: 'tgw-rtb-default', tgwId: 'tgw-hub', staticRoutes: [] });
  t.tgwRouteTables.push({ id: 'tgw-rtb-vpcs', tgwId: 'tgw-hub', staticRoutes: [{ destination: ON_PREM, attachmentId: 'tgw-attach-dx', state: 'active' }] });
  t.dxGateways.push({
    id: 'dxgw', associations: [{ tgwId: 'tgw-hub', allowedPrefixes: ['10.0.0.0/8'] }],
    uplinks: [{ vifId: 'dxvif-1', connectionIds: ['dxcon-1', 'dxcon-2'], minimumLinks: 1, lagId: 'dxlag-1', available: true, onPremCidrs: [ON_PREM] }],
  });
  t.tgwAttachments.push({ id: 'tgw-attach-dx', tgwId: 'tgw-hub', type: 'direct-connect-gateway', resourceId: 'dxgw', subnetIds: [], routeTableId: 'tgw-rtb-default', propagatesTo: ['tgw-rtb-default'], available: true });
  for (let i = 0; i < n; i++) {
    const vpc = `vpc-${i}`;
    const [a, b] = [i >> 4, (i & 15) << 4];
    t.vpcs.push({ id: vpc, account: '000000000000', region: 'us-east-1', cidrs: [`10.${a}.${b}.0/20`] });
    const subnets = [0, 1, 2].map((z) => `subnet-${i}-${z}`);
    subnets.forEach((id, z) => t.subnets.push({ id, vpcId: vpc, cidr: `10.${a}.${b + z}.0/24`, az: `us-east-1${'abc'[z]}` }));
    t.routeTables.push({
      id: `rtb-${i}`, vpcId: vpc, main: true, subnetIds: [], gatewayIds: [],
      routes: [
        { destination: `10.${a}.${b}.0/20`, targetType: 'local', targetId: 'local', state: 'active' },
        { destination: '0.0.0.0/0', targetType: 'tgw', targetId: 'tgw-hub', state: 'active' },
      ],
    });
    t.networkAcls.push({
      id: `acl-${i}`, vpcId: vpc, subnetIds: subnets,
      entries: [true, false].map((egress) => ({ ruleNumber: 100, egress, protocol: '-1', action: 'allow' as const, cidr: '0.0.0.0/0' })),
    });
    t.tgwAttachments.push({
      id: `tgw-attach-${i}`, tgwId: 'tgw-hub', type: 'vpc', resourceId: vpc, subnetIds: subnets, routeTableId: 'tgw-rtb-vpcs',
      propagatesTo: i === leak ? ['tgw-rtb-default', 'tgw-rtb-vpcs'] : ['tgw-rtb-default'], available: true,
    });
  }
  return t;
}

export const ISOLATION: AccessScope = {
  matchPaths: [{ source: { resourceTypes: ['AWS::EC2::VPC'] }, destination: { resourceTypes: ['AWS::EC2::VPC'] } }],
  excludePaths: [],
};

/** The peer: trace every subnet pair of different VPCs with the same walker, no sharing. */
export function naiveVpcPairs(t: Topology): number {
  const ix = new NetIndex(t);
  const found = new Set<string>();
  const subnets = [...ix.subnets.values()];
  for (const s of subnets) {
    for (const d of subnets) {
      if (d.vpcId === s.vpcId) continue;
      const w = new Walker(ix, { srcIp: ix.subnetCidr(s.id)!.base + 4, dstIp: ix.subnetCidr(d.id)!.base + 4, protocol: 'tcp' }, { checkSecurityGroups: false, sourceSubnetId: s.id, publicSource: true });
      const out = w.run((x) => x.fromSubnet(s.id));
      if (out.block === undefined && out.arrival?.kind === 'subnet' && out.arrival.subnetId === d.id) found.add(`${s.vpcId}>${d.vpcId}`);
    }
  }
  return found.size;
}

function timed<T>(fn: () => T, runs = 5): { ms: number; value: T } {
  fn(); // warm-up
  let best = Infinity;
  let value: T = undefined as T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, value };
}

export function benchNetwork(sizes: number[], naiveMax: number): string[][] {
  const rows = [['VPCs', 'subnets', 'isolation scope', 'findings', 'µs / VPC', 'one leak', 'findings', 'naive all pairs', 'naive ÷ engine']];
  for (const n of sizes) {
    const clean = hubAndSpoke(n);
    const leaky = hubAndSpoke(n, 7);
    const iso = timed(() => analyzeAccess(clean, ISOLATION).length);
    const leak = timed(() => analyzeAccess(leaky, ISOLATION).length);
    const naive = n <= naiveMax ? timed(() => naiveVpcPairs(clean), 1) : undefined;
    rows.push([
      String(n), String(3 * n), `${fmt(iso.ms)} ms`, String(iso.value), fmt((iso.ms * 1000) / n), `${fmt(leak.ms)} ms`, String(leak.value),
      naive ? `${fmt(naive.ms)} ms` : 'skipped', naive ? `${fmt(naive.ms / iso.ms)}×` : '',
    ]);
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const sizes = (flag('sizes') ?? '50,200,500,2000').split(',').map(Number);
  const naiveMax = Number(flag('naive-max') ?? 200);
  console.log('Network Access Analyzer, isolation scope over the hub-and-spoke design (best of 5, engine only)');
  console.log(table(benchNetwork(sizes, naiveMax)));
}
