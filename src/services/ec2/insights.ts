/**
 * Reachability Analyzer: paths (source, destination, protocol, port) and analyses of them.
 * An analysis snapshots the account's network, asks the network engine, and keeps the
 * forward and return path components and the explanations in AWS's shapes.
 */
import { AwsError } from '../../core/errors.js';
import { arn, awsId } from '../../core/ids.js';
import { parseIp } from '../../engines/network/cidr.js';
import { analyzeReachability, UnknownEndpointError, type Endpoint } from '../../engines/network/reach.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { found, invalidParam, missingParam } from './errors.js';
import { explanationOut, pathComponent } from './insights-shapes.js';
import { snapshot } from './snapshot.js';
import { ec2State, type Ec2State, type Tag } from './store.js';
import { tagsFor } from './tags.js';
import { attachments } from './tgw-store.js';

interface PathRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  source: string;
  destination?: string;
  sourceIp?: string;
  destinationIp?: string;
  protocol: string;
  port?: number;
}

interface AnalysisRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  pathId: string;
  found: boolean;
  forward: unknown[];
  returnPath: unknown[];
  explanations: unknown[];
}

const paths = (s: Ec2State) => s.extra<PathRecord>('insightsPaths');
const analyses = (s: Ec2State) => s.extra<AnalysisRecord>('insightsAnalyses');

/** `arn:…:network-interface/eni-…` or `eni-…` → the id. */
function idOf(v: string): string {
  return v.startsWith('arn:') ? v.slice(v.lastIndexOf('/') + 1) : v;
}

const SUPPORTED = /^(eni|igw|subnet|tgw-attach|vpce|i)-[0-9a-f]+$/;

function checkIp(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (parseIp(String(v)) === undefined) throw invalidParam(`Value (${String(v)}) for parameter ${name} is invalid. Must be a valid IPv4 address.`);
  return String(v);
}

export const createNetworkInsightsPath: Handler = (input, ctx) => {
  if (input['Source'] === undefined) throw missingParam('Source');
  const protocol = String(input['Protocol'] ?? '');
  if (protocol !== 'tcp' && protocol !== 'udp') throw invalidParam(`Value (${protocol}) for parameter protocol is invalid. Valid values: tcp, udp.`);
  const source = idOf(String(input['Source']));
  const destination = input['Destination'] === undefined ? undefined : idOf(String(input['Destination']));
  for (const id of [source, destination]) {
    if (id !== undefined && !SUPPORTED.test(id)) throw invalidParam(`The resource '${id}' is not a supported source or destination.`);
  }
  const destinationIp = checkIp(input['DestinationIp'], 'destinationIp');
  if (destination === undefined && destinationIp === undefined) throw missingParam('Destination');
  const port = input['DestinationPort'] === undefined ? undefined : Number(input['DestinationPort']);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw invalidParam(`Value (${port}) for parameter destinationPort is invalid.`);
  const p: PathRecord = {
    id: awsId('nip'), tags: tagsFor(input, 'network-insights-path'), createdMs: ctx.clock.nowMs(), source, destination,
    sourceIp: checkIp(input['SourceIp'], 'sourceIp'), destinationIp, protocol, port,
  };
  paths(ec2State(ctx)).set(p.id, p);
  return { NetworkInsightsPath: pathOut(p, ctx) };
};

function pathOut(p: PathRecord, ctx: ServiceContext) {
  const resArn = (id: string) => arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `${id.startsWith('eni-') ? 'network-interface' : id.startsWith('igw-') ? 'internet-gateway' : id.startsWith('tgw-attach-') ? 'transit-gateway-attachment' : id.startsWith('vpce-') ? 'vpc-endpoint' : id.startsWith('i-') ? 'instance' : 'subnet'}/${id}` });
  return {
    NetworkInsightsPathId: p.id, NetworkInsightsPathArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `network-insights-path/${p.id}` }),
    CreatedDate: new Date(p.createdMs), Source: p.source, SourceArn: resArn(p.source), Destination: p.destination,
    DestinationArn: p.destination && resArn(p.destination), SourceIp: p.sourceIp, DestinationIp: p.destinationIp, Protocol: p.protocol,
    DestinationPort: p.port, Tags: p.tags,
  };
}

export const describeNetworkInsightsPaths: Handler = (input, ctx) => {
  const page = describe({
    items: paths(ec2State(ctx)).values(), idOf: (p) => p.id, tagsOf: (p) => p.tags,
    notFound: (ids) => new AwsError('InvalidNetworkInsightsPathId.NotFound', `The NetworkInsightsPath ID '${ids[0]}' does not exist`, 400),
    fields: { 'network-insights-path-id': (p) => p.id, source: (p) => p.source, destination: (p) => p.destination, protocol: (p) => p.protocol, 'destination-port': (p) => p.port },
    ids: input['NetworkInsightsPathIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NetworkInsightsPaths: page.items.map((p) => pathOut(p, ctx)), NextToken: page.nextToken };
};

function pathOf(s: Ec2State, id: unknown): PathRecord {
  return found(paths(s), id, (i) => new AwsError('InvalidNetworkInsightsPathId.NotFound', `The NetworkInsightsPath ID '${i}' does not exist`, 400));
}

export const deleteNetworkInsightsPath: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const p = pathOf(s, input['NetworkInsightsPathId']);
  if ([...analyses(s).values()].some((a) => a.pathId === p.id)) {
    throw new AwsError('DependencyViolation', `The NetworkInsightsPath '${p.id}' has dependent analyses.`, 400);
  }
  paths(s).delete(p.id);
  return { NetworkInsightsPathId: p.id };
};

/** A path end as the engine's endpoint. */
export function endpointOf(s: Ec2State, id: string | undefined, ip: string | undefined): Endpoint {
  if (id === undefined) return { type: 'ip', ip: ip! };
  if (id.startsWith('eni-')) return { type: 'eni', id, ip };
  // An instance is reached through its primary interface (device 0).
  if (id.startsWith('i-')) {
    const eni = [...s.enis.values()].find((e) => e.attachment?.instanceId === id && e.attachment.deviceIndex === 0);
    if (eni === undefined) throw invalidParam(`The resource '${id}' does not exist or has no network interface.`);
    return { type: 'eni', id: eni.id, ip };
  }
  if (id.startsWith('subnet-')) return { type: 'subnet', id, ip };
  if (id.startsWith('igw-')) return { type: 'internet', ip };
  if (id.startsWith('vpce-')) return { type: 'service', endpointId: id, ip };
  if (id.startsWith('tgw-attach-')) {
    const a = attachments(s).get(id);
    if (a?.type === 'direct-connect-gateway') {
      if (ip === undefined) throw invalidParam(`An IP address on the on-premises side of ${id} is required.`);
      return { type: 'on-premises', ip };
    }
    throw invalidParam(`The resource '${id}' is not a supported source or destination.`);
  }
  throw invalidParam(`The resource '${id}' is not a supported source or destination.`);
}

export const startNetworkInsightsAnalysis: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const p = pathOf(s, input['NetworkInsightsPathId']);
  const topology = snapshot(ctx.stores, ctx.faults, ctx.account, ctx.clock.nowMs());
  let result;
  try {
    result = analyzeReachability(topology, {
      source: endpointOf(s, p.source, p.sourceIp), destination: endpointOf(s, p.destination, p.destinationIp),
      protocol: p.protocol as 'tcp', port: p.port,
    });
  } catch (e) {
    if (e instanceof UnknownEndpointError || (e instanceof Error && /IPv4 address/.test(e.message))) throw invalidParam(e.message);
    throw e;
  }
  const w = { account: ctx.account, region: ctx.region };
  const a: AnalysisRecord = {
    id: awsId('nia'), tags: tagsFor(input, 'network-insights-analysis'), createdMs: ctx.clock.nowMs(), pathId: p.id, found: result.reachable,
    forward: withInstances(result.forward.map((h, i) => pathComponent(h, i, w)), p.source, result.reachable ? p.destination : undefined, w),
    returnPath: withInstances(result.returnPath.map((h, i) => pathComponent(h, i, w)), result.returnPath.length ? p.destination : undefined, result.returnPath.length ? p.source : undefined, w),
    explanations: result.explanations.map((e) => explanationOut(e, w)),
  };
  analyses(s).set(a.id, a);
  return { NetworkInsightsAnalysis: { ...analysisOut(a, ctx), Status: 'running' } };
};

/** Instance ends appear as the first and last components, around their interfaces, as in AWS's answers. */
function withInstances(cs: { SequenceNumber: number }[], first: string | undefined, last: string | undefined, w: { account: string; region: string }) {
  const inst = (id: string | undefined) => (id?.startsWith('i-') ? [{ SequenceNumber: 0, Component: { Id: id, Arn: arn({ service: 'ec2', region: w.region, account: w.account, resource: `instance/${id}` }) } }] : []);
  if (cs.length === 0) return cs;
  return [...inst(first), ...cs, ...inst(last)].map((c, i) => ({ ...c, SequenceNumber: i + 1 }));
}

function analysisOut(a: AnalysisRecord, ctx: ServiceContext) {
  return {
    NetworkInsightsAnalysisId: a.id, NetworkInsightsPathId: a.pathId, StartDate: new Date(a.createdMs), Status: 'succeeded', Tags: a.tags,
    NetworkInsightsAnalysisArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `network-insights-analysis/${a.id}` }),
    NetworkPathFound: a.found, ForwardPathComponents: a.forward, ReturnPathComponents: a.returnPath, Explanations: a.explanations,
  };
}

export const describeNetworkInsightsAnalyses: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const pathId = input['NetworkInsightsPathId'] as string | undefined;
  const page = describe({
    items: [...analyses(s).values()].filter((a) => pathId === undefined || a.pathId === pathId), idOf: (a) => a.id, tagsOf: (a) => a.tags,
    notFound: (ids) => new AwsError('InvalidNetworkInsightsAnalysisId.NotFound', `The NetworkInsightsAnalysis ID '${ids[0]}' does not exist`, 400),
    fields: { 'network-insights-analysis-id': (a) => a.id, 'path-found': (a) => a.found, status: () => 'succeeded' },
    ids: input['NetworkInsightsAnalysisIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NetworkInsightsAnalyses: page.items.map((a) => analysisOut(a, ctx)), NextToken: page.nextToken };
};

export const deleteNetworkInsightsAnalysis: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const id = String(input['NetworkInsightsAnalysisId']);
  if (!analyses(s).delete(id)) throw new AwsError('InvalidNetworkInsightsAnalysisId.NotFound', `The NetworkInsightsAnalysis ID '${id}' does not exist`, 400);
  return { NetworkInsightsAnalysisId: id };
};
