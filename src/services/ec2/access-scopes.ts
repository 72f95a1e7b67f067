/**
 * Network Access Analyzer: access scopes (match and exclude paths), analyses of them over
 * the account's network, and their findings — every path the scope matches — as path
 * components. The network engine does the analysis (`analyzeAccess`).
 */
import { AwsError } from '../../core/errors.js';
import { arn, awsId } from '../../core/ids.js';
import { analyzeAccess, type AccessScope, type ScopePath, type ScopeStatement } from '../../engines/network/access.js';
import { parseCidr } from '../../engines/network/cidr.js';
import type { Protocol } from '../../engines/network/rules.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { found, invalidParam } from './errors.js';
import { pathComponent } from './insights-shapes.js';
import { snapshot } from './snapshot.js';
import { ec2State, type Ec2State, type Tag } from './store.js';
import { tagsFor } from './tags.js';

interface ScopeRecord { id: string; tags: Tag[]; createdMs: number; matchPaths: unknown[]; excludePaths: unknown[] }

interface AnalysisRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  scopeId: string;
  findings: { FindingId: string; FindingComponents: unknown[] }[];
  analyzedEnis: number;
}

const scopes = (s: Ec2State) => s.extra<ScopeRecord>('accessScopes');
const analyses = (s: Ec2State) => s.extra<AnalysisRecord>('accessScopeAnalyses');

const RESOURCE_TYPES = [
  'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::NetworkInterface', 'AWS::EC2::SecurityGroup', 'AWS::EC2::Instance', 'AWS::EC2::InternetGateway',
  'AWS::EC2::TransitGateway', 'AWS::EC2::TransitGatewayAttachment',
];

type Statement = { ResourceStatement?: { Resources?: string[]; ResourceTypes?: string[] }; PacketHeaderStatement?: Record<string, string[] | undefined> };
type PathInput = { Source?: Statement; Destination?: Statement; ThroughResources?: unknown[] };

function checkPaths(v: unknown, name: string): PathInput[] {
  const list = Array.isArray(v) ? (v as PathInput[]) : [];
  for (const p of list) {
    for (const st of [p.Source, p.Destination]) {
      for (const t of st?.ResourceStatement?.ResourceTypes ?? []) {
        if (!RESOURCE_TYPES.includes(t)) throw invalidParam(`The resource type ${t} is not supported in ${name}. Supported: ${RESOURCE_TYPES.join(', ')}`);
      }
      const h = st?.PacketHeaderStatement ?? {};
      for (const c of [...(h['SourceAddresses'] ?? []), ...(h['DestinationAddresses'] ?? [])]) {
        if (parseCidr(c) === undefined) throw invalidParam(`Value (${c}) is not a valid CIDR block.`);
      }
    }
  }
  return list;
}

export const createNetworkInsightsAccessScope: Handler = (input, ctx) => {
  const matchPaths = checkPaths(input['MatchPaths'], 'MatchPaths');
  if (matchPaths.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter MatchPaths', 400);
  const excludePaths = checkPaths(input['ExcludePaths'], 'ExcludePaths');
  const r: ScopeRecord = { id: awsId('nis'), tags: tagsFor(input, 'network-insights-access-scope'), createdMs: ctx.clock.nowMs(), matchPaths, excludePaths };
  scopes(ec2State(ctx)).set(r.id, r);
  return { NetworkInsightsAccessScope: scopeOut(r, ctx), NetworkInsightsAccessScopeContent: contentOut(r) };
};

function scopeOut(r: ScopeRecord, ctx: ServiceContext) {
  return {
    NetworkInsightsAccessScopeId: r.id, CreatedDate: new Date(r.createdMs), UpdatedDate: new Date(r.createdMs), Tags: r.tags,
    NetworkInsightsAccessScopeArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `network-insights-access-scope/${r.id}` }),
  };
}

function contentOut(r: ScopeRecord) {
  return { NetworkInsightsAccessScopeId: r.id, MatchPaths: r.matchPaths, ExcludePaths: r.excludePaths };
}

function scopeOf(s: Ec2State, id: unknown): ScopeRecord {
  return found(scopes(s), id, (i) => new AwsError('InvalidNetworkInsightsAccessScopeId.NotFound', `The NetworkInsightsAccessScope ID '${i}' does not exist`, 400));
}

export const getNetworkInsightsAccessScopeContent: Handler = (input, ctx) => ({
  NetworkInsightsAccessScopeContent: contentOut(scopeOf(ec2State(ctx), input['NetworkInsightsAccessScopeId'])),
});

export const describeNetworkInsightsAccessScopes: Handler = (input, ctx) => {
  const page = describe({
    items: scopes(ec2State(ctx)).values(), idOf: (r) => r.id, tagsOf: (r) => r.tags,
    notFound: (ids) => new AwsError('InvalidNetworkInsightsAccessScopeId.NotFound', `The NetworkInsightsAccessScope ID '${ids[0]}' does not exist`, 400),
    fields: { 'network-insights-access-scope-id': (r) => r.id },
    ids: input['NetworkInsightsAccessScopeIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NetworkInsightsAccessScopes: page.items.map((r) => scopeOut(r, ctx)), NextToken: page.nextToken };
};

export const deleteNetworkInsightsAccessScope: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const r = scopeOf(s, input['NetworkInsightsAccessScopeId']);
  if ([...analyses(s).values()].some((a) => a.scopeId === r.id)) throw new AwsError('DependencyViolation', `The NetworkInsightsAccessScope '${r.id}' has dependent analyses.`, 400);
  scopes(s).delete(r.id);
  return { NetworkInsightsAccessScopeId: r.id };
};

function statement(st: Statement | undefined, addressKey: string): ScopeStatement | undefined {
  if (st === undefined) return undefined;
  return { resources: st.ResourceStatement?.Resources, resourceTypes: st.ResourceStatement?.ResourceTypes, addresses: st.PacketHeaderStatement?.[addressKey] };
}

function scopePath(p: PathInput): ScopePath {
  const headers = [p.Source?.PacketHeaderStatement, p.Destination?.PacketHeaderStatement];
  const protocols = headers.flatMap((h) => h?.['Protocols'] ?? []) as Protocol[];
  const ports = headers.flatMap((h) => h?.['DestinationPorts'] ?? []).map((x) => Number(String(x).split('-')[0])).filter((n) => Number.isInteger(n));
  return {
    source: statement(p.Source, 'SourceAddresses'), destination: statement(p.Destination, 'DestinationAddresses'),
    protocols: protocols.length ? protocols : undefined, destinationPorts: ports.length ? ports : undefined,
  };
}

export const startNetworkInsightsAccessScopeAnalysis: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const r = scopeOf(s, input['NetworkInsightsAccessScopeId']);
  const topology = snapshot(ctx.stores, ctx.faults, ctx.account, ctx.clock.nowMs());
  const scope: AccessScope = { matchPaths: (r.matchPaths as PathInput[]).map(scopePath), excludePaths: (r.excludePaths as PathInput[]).map(scopePath) };
  const w = { account: ctx.account, region: ctx.region };
  const a: AnalysisRecord = {
    id: awsId('nisa'), tags: tagsFor(input, 'network-insights-access-scope-analysis'), createdMs: ctx.clock.nowMs(), scopeId: r.id,
    findings: analyzeAccess(topology, scope).map((f) => ({ FindingId: awsId('nisaf'), FindingComponents: f.hops.map((h, i) => pathComponent(h, i, w)) })),
    analyzedEnis: topology.enis.length,
  };
  analyses(s).set(a.id, a);
  return { NetworkInsightsAccessScopeAnalysis: { ...analysisOut(a, ctx), Status: 'running' } };
};

function analysisOut(a: AnalysisRecord, ctx: ServiceContext) {
  return {
    NetworkInsightsAccessScopeAnalysisId: a.id, NetworkInsightsAccessScopeId: a.scopeId, Status: 'succeeded', StartDate: new Date(a.createdMs),
    EndDate: new Date(a.createdMs), FindingsFound: a.findings.length > 0 ? 'true' : 'false', AnalyzedEniCount: a.analyzedEnis, Tags: a.tags,
    NetworkInsightsAccessScopeAnalysisArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `network-insights-access-scope-analysis/${a.id}` }),
  };
}

function analysisOf(s: Ec2State, id: unknown): AnalysisRecord {
  return found(analyses(s), id, (i) => new AwsError('InvalidNetworkInsightsAccessScopeAnalysisId.NotFound', `The NetworkInsightsAccessScopeAnalysis ID '${i}' does not exist`, 400));
}

export const describeNetworkInsightsAccessScopeAnalyses: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const scopeId = input['NetworkInsightsAccessScopeId'] as string | undefined;
  const page = describe({
    items: [...analyses(s).values()].filter((a) => scopeId === undefined || a.scopeId === scopeId), idOf: (a) => a.id, tagsOf: (a) => a.tags,
    notFound: (ids) => analysisOf(s, ids[0]) as never,
    fields: { 'network-insights-access-scope-analysis-id': (a) => a.id, status: () => 'succeeded', 'findings-found': (a) => String(a.findings.length > 0) },
    ids: input['NetworkInsightsAccessScopeAnalysisIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NetworkInsightsAccessScopeAnalyses: page.items.map((a) => analysisOut(a, ctx)), NextToken: page.nextToken };
};

export const getNetworkInsightsAccessScopeAnalysisFindings: Handler = (input, ctx) => {
  const a = analysisOf(ec2State(ctx), input['NetworkInsightsAccessScopeAnalysisId']);
  const page = describe({
    items: a.findings, idOf: (f) => f.FindingId, tagsOf: () => [], notFound: () => invalidParam('unexpected ids'), fields: {},
    maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [1, 100],
  });
  return {
    NetworkInsightsAccessScopeAnalysisId: a.id, AnalysisStatus: 'succeeded', NextToken: page.nextToken,
    AnalysisFindings: page.items.map((f) => ({ NetworkInsightsAccessScopeAnalysisId: a.id, NetworkInsightsAccessScopeId: a.scopeId, ...f })),
  };
};

export const deleteNetworkInsightsAccessScopeAnalysis: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = analysisOf(s, input['NetworkInsightsAccessScopeAnalysisId']);
  analyses(s).delete(a.id);
  return { NetworkInsightsAccessScopeAnalysisId: a.id };
};
