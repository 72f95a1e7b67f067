/**
 * `drydock reach <from> <to> [--port N] [--protocol tcp|udp] [--region R]`: asks a running
 * Drydock's Reachability Analyzer (through the EC2 API, as any client would) and prints the
 * path hop by hop, or the component that blocks it and why.
 *
 * Ends are resource ids (`eni-…`, `subnet-…`, `igw-…`, `vpce-…`, a Direct Connect
 * `tgw-attach-…`), an address as destination (`10.1.0.5`, `172.16.0.9`), or `id@address`
 * (an on-premises host behind a Direct Connect attachment: `tgw-attach-…@172.16.0.9`).
 */
import { parseArgs } from 'node:util';
import type { Explanation, NetworkInsightsAnalysis, PathComponent } from '@aws-sdk/client-ec2';

export const REACH_USAGE = 'drydock reach FROM TO [--port N] [--protocol tcp|udp] [--region R]   can FROM reach TO? (path or blocker)';

interface End { id?: string; ip?: string }

function end(s: string): End {
  const at = s.indexOf('@');
  if (at > 0) return { id: s.slice(0, at), ip: s.slice(at + 1) };
  return /^\d+\.\d+\.\d+\.\d+$/.test(s) ? { ip: s } : { id: s };
}

/** Runs the command; `log` receives each output line (console.log by default). */
export async function reach(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { port: { type: 'string' }, protocol: { type: 'string' }, region: { type: 'string' } },
  });
  const [from, to] = positionals;
  if (from === undefined || to === undefined) throw new Error(`usage: ${REACH_USAGE}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`invalid port \`${values.port}\``);
  const protocol = (values.protocol ?? 'tcp') as 'tcp' | 'udp';
  const src = end(from);
  const dst = end(to);
  if (src.id === undefined) throw new Error('FROM must name a resource (an ENI, subnet, internet gateway, or tgw-attach-…@address)');

  const ec2 = await import('@aws-sdk/client-ec2');
  const client = new ec2.EC2Client({
    endpoint: process.env['DRYDOCK_ENDPOINT'] ?? `http://localhost:${process.env['DRYDOCK_PORT'] ?? 4566}`,
    region: values.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    credentials: { accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? 'test', secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'test' },
    maxAttempts: 1,
  });
  const path = await client.send(new ec2.CreateNetworkInsightsPathCommand({
    Source: src.id, SourceIp: src.ip, Destination: dst.id, DestinationIp: dst.ip, Protocol: protocol, DestinationPort: port,
  }));
  const pathId = path.NetworkInsightsPath!.NetworkInsightsPathId!;
  try {
    const started = await client.send(new ec2.StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: pathId }));
    const id = started.NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!;
    const done = await client.send(new ec2.DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [id] }));
    const analysis = done.NetworkInsightsAnalyses![0]!;
    for (const line of formatAnalysis(analysis, `${from} → ${to}  ${protocol}${port === undefined ? '' : `/${port}`}`)) log(line);
    await client.send(new ec2.DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: id }));
    return analysis.NetworkPathFound ? 0 : 2;
  } finally {
    await client.send(new ec2.DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: pathId })).catch(() => undefined);
  }
}

/** An analysis as readable lines: verdict, forward and return hops, and why it is blocked. */
export function formatAnalysis(a: NetworkInsightsAnalysis, title: string): string[] {
  const lines = [`${a.NetworkPathFound ? '✔ reachable' : '✘ not reachable'}: ${title}`];
  const section = (name: string, cs: PathComponent[] | undefined) => {
    if (!cs?.length) return;
    lines.push(`${name}:`);
    for (const c of cs) lines.push(`  ${String(c.SequenceNumber).padStart(2)}  ${kind(c).padEnd(28)} ${(c.Component?.Id ?? '').padEnd(26)} ${detail(c)}`.trimEnd());
  };
  section('forward', a.ForwardPathComponents);
  section('return', a.ReturnPathComponents);
  for (const e of a.Explanations ?? []) lines.push(`blocked at ${explainWhere(e)}: ${e.ExplanationCode} — ${because(e)}`);
  return lines;
}

function kind(c: { Component?: { Arn?: string; Name?: string } }): string {
  const arn = c.Component?.Arn;
  if (arn === undefined) return c.Component?.Name ?? '?';
  const resource = arn.split(':').slice(5).join(':');
  return resource.split('/')[0]!;
}

function detail(c: PathComponent): string {
  if (c.SecurityGroupRule) {
    const r = c.SecurityGroupRule;
    return `${r.Direction} allow ${r.Protocol}${r.PortRange ? ` ${r.PortRange.From}-${r.PortRange.To}` : ''} ${r.Direction === 'ingress' ? 'from' : 'to'} ${r.Cidr ?? r.PrefixListId ?? 'group'}`;
  }
  if (c.AclRule) {
    const r = c.AclRule;
    return `${r.Egress ? 'outbound' : 'inbound'} rule ${r.RuleNumber} ${r.RuleAction} ${r.Cidr}`;
  }
  if (c.RouteTableRoute) {
    const r = c.RouteTableRoute;
    const target = r.GatewayId ?? r.NatGatewayId ?? r.TransitGatewayId ?? r.VpcPeeringConnectionId ?? r.NetworkInterfaceId ?? r.EgressOnlyInternetGatewayId;
    return `${r.DestinationCidr ?? r.DestinationPrefixListId} → ${target}${r.State === 'blackhole' ? ' (blackhole)' : ''}`;
  }
  if (c.TransitGatewayRouteTableRoute) {
    const r = c.TransitGatewayRouteTableRoute;
    return `${r.DestinationCidr} → ${r.AttachmentId ?? 'blackhole'} (${r.RouteOrigin}${r.ResourceType ? `, ${r.ResourceType} ${r.ResourceId}` : ''})`;
  }
  return [c.Vpc?.Id, c.Subnet?.Id].filter(Boolean).join(' ');
}

function explainWhere(e: Explanation): string {
  return `${kind(e)} ${e.Component?.Id ?? ''}`.trim();
}

// The sentence for each explanation code, from the structured fields AWS returns.
function because(e: Explanation): string {
  const addr = e.Address ?? 'the destination';
  switch (e.ExplanationCode) {
    case 'NO_ROUTE_TO_DESTINATION': return `the route table has no route to ${addr}`;
    case 'TGW_RTB_CANNOT_ROUTE': return `the transit gateway route table has no route to ${addr}`;
    case 'TGW_ATTACH_NO_ROUTE_TABLE': return 'the attachment is not associated with a transit gateway route table';
    case 'ENI_SG_RULES_MISMATCH': return `no ${e.Direction ?? ''} rule of the security group allows this traffic`;
    case 'SUBNET_ACL_RESTRICTION': return `the network ACL denies this ${e.Direction === 'egress' ? 'outbound' : 'inbound'} traffic`;
    case 'BAD_STATE_ROUTE': return 'the matching route is a blackhole';
    case 'BAD_STATE_ATTACHMENT': return 'the attachment is not in a functional state';
    case 'BAD_STATE': return `the component is not in a functional state${e.State ? ` (${e.State})` : ''}`;
    case 'NO_PUBLIC_IP': return 'the source has no public IPv4 address';
    case 'CANNOT_ROUTE': return `nothing beyond this component holds ${addr}`;
    case 'MAX_HOPS': return 'the path loops';
    default: return 'see the component';
  }
}
