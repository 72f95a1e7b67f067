/**
 * VPC endpoints and AWS-managed prefix lists. A gateway endpoint (S3, DynamoDB) adds a route
 * to the service's prefix list in each chosen route table, so traffic to the service leaves
 * through the endpoint instead of a NAT gateway; an interface endpoint puts an ENI in each
 * chosen subnet. The prefix lists carry published address ranges of the service (the
 * us-east-1 ranges stand in for every region).
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { MalformedPolicyError, parsePolicy } from '../../engines/iam-policy/index.js';
import { arn, awsId, randomHex } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { notifyConnection } from './endpoint-services-notify.js';
import { endpointServices, findService, mayUse } from './endpoint-services-store.js';
import { invalidParam } from './errors.js';
import { groupsFor, newEni } from './enis.js';
import { routeTableOf } from './route-tables.js';
import { ec2State, stateOf, type Ec2State, type Tag } from './store.js';
import { subnetOf } from './subnets.js';
import { tagsFor } from './tags.js';
import { vpcOf } from './vpcs.js';

const RANGES: Record<string, string[]> = {
  s3: ['3.5.0.0/19', '16.182.0.0/16', '18.34.0.0/19', '52.216.0.0/15', '54.231.0.0/16'],
  dynamodb: ['3.218.180.0/22', '3.218.184.0/22', '52.94.0.0/22', '52.119.224.0/20'],
};
// The ids AWS uses in us-east-1; elsewhere a stable id derived from region and service.
const USE1_IDS: Record<string, string> = { s3: 'pl-63a5400a', dynamodb: 'pl-02cd2c6b' };
const INTERFACE_SERVICES = ['s3', 'dynamodb', 'sqs', 'sns', 'kms', 'sts', 'execute-api', 'lambda', 'logs', 'events', 'ec2', 'ssm', 'secretsmanager', 'states'];

export interface PrefixListInfo { id: string; name: string; cidrs: string[] }

/** The AWS-managed prefix lists of a region (S3 and DynamoDB). */
export function awsPrefixLists(region: string): PrefixListInfo[] {
  return Object.entries(RANGES).map(([svc, cidrs]) => ({
    id: region === 'us-east-1' ? USE1_IDS[svc]! : `pl-${createHash('sha256').update(`${region}/${svc}`).digest('hex').slice(0, 8)}`,
    name: `com.amazonaws.${region}.${svc}`, cidrs,
  }));
}

export interface EndpointRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  vpcId: string;
  serviceName: string;
  type: 'Gateway' | 'Interface' | 'GatewayLoadBalancer';
  /** A PrivateLink service: its id and the account that provides it. */
  serviceId?: string;
  serviceOwner?: string;
  prefixListId?: string;
  routeTableIds: string[];
  subnetIds: string[];
  eniIds: string[];
  groupIds: string[];
  policy: string;
  privateDns: boolean;
  /** `pendingAcceptance` until a PrivateLink provider accepts the connection; `rejected` if it refuses. */
  state: 'available' | 'pendingAcceptance' | 'rejected' | 'deleted';
  dnsSuffix: string;
}

export const endpoints = (s: Ec2State) => s.extra<EndpointRecord>('endpoints');
const FULL_ACCESS = JSON.stringify({ Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }] });

const noService = (name: string) => new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`, 400);

/** An AWS service of the caller's region, or a PrivateLink service the caller may use (others' are invisible). */
function serviceOf(ctx: ServiceContext, name: string): { aws?: string; custom?: ReturnType<typeof findService> } {
  if (name.startsWith(`com.amazonaws.vpce.${ctx.region}.vpce-svc-`)) {
    const found = findService(ctx.stores, ctx.region, name);
    if (found === undefined || !mayUse(found.service, found.account, ctx.account, ctx.principal.arn)) throw noService(name);
    return { custom: found };
  }
  const prefix = `com.amazonaws.${ctx.region}.`;
  const svc = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  if (!INTERFACE_SERVICES.includes(svc)) throw noService(name);
  return { aws: svc };
}

/** An endpoint policy checked by the IAM engine as AWS checks it (a resource policy). */
function checkPolicy(doc: string): string {
  try {
    parsePolicy(doc, { kind: 'resource', id: 'vpc-endpoint-policy' });
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw new AwsError('InvalidPolicyDocument', `The Policy Document is not valid. ${e.detail}`, 400);
    const at = /position (\d+)/.exec((e as Error).message);
    throw new AwsError('InvalidPolicyDocument', `The Policy Document is not valid. Syntax error${at ? ` at position ${at[1]}` : ''}`, 400);
  }
  return doc;
}

function addRoutes(s: Ec2State, e: EndpointRecord, tables: string[]): void {
  for (const id of tables) {
    const rt = routeTableOf(s, id);
    if (rt.vpcId !== e.vpcId) throw invalidParam(`Route table ${id} does not belong to ${e.vpcId}`);
    if (rt.routes.some((r) => r.prefixListId === e.prefixListId)) throw new AwsError('RouteAlreadyExists', `route table ${id} already has a route with destination-prefix-list-id ${e.prefixListId}`, 400);
    rt.routes.push({ prefixListId: e.prefixListId, targetType: 'vpce', targetId: e.id, origin: 'CreateRoute' });
    s.routeTables.set(rt.id, rt);
  }
}

function removeRoutes(s: Ec2State, e: EndpointRecord, tables: string[]): void {
  for (const id of tables) {
    const rt = s.routeTables.get(id);
    if (rt === undefined) continue;
    rt.routes = rt.routes.filter((r) => r.targetId !== e.id);
    s.routeTables.set(rt.id, rt);
  }
}

function endpointOut(e: EndpointRecord, ctx: ServiceContext) {
  const svc = e.serviceName.split('.').pop();
  return {
    VpcEndpointId: e.id, VpcEndpointType: e.type, VpcId: e.vpcId, ServiceName: e.serviceName, State: e.state, PolicyDocument: e.policy,
    RouteTableIds: e.routeTableIds, SubnetIds: e.subnetIds, NetworkInterfaceIds: e.eniIds, PrivateDnsEnabled: e.privateDns,
    RequesterManaged: false, CreationTimestamp: new Date(e.createdMs), Tags: e.tags, OwnerId: ctx.account, IpAddressType: 'ipv4',
    Groups: e.groupIds.map((g) => ({ GroupId: g, GroupName: ec2State(ctx).securityGroups.get(g)?.name })),
    DnsEntries: e.type === 'Interface' ? [{ DnsName: `${e.id}-${e.dnsSuffix}.${svc}.${ctx.region}.vpce.amazonaws.com`, HostedZoneId: 'Z7HUB22UULQXV' }] : [],
    DnsOptions: { DnsRecordIpType: 'ipv4' },
  };
}

export const createVpcEndpoint: Handler = async (input, ctx) => {
  const s = ec2State(ctx);
  const vpc = vpcOf(s, input['VpcId']);
  const serviceName = String(input['ServiceName'] ?? '');
  const { custom } = serviceOf(ctx, serviceName);
  const type = ((input['VpcEndpointType'] as string | undefined) ?? 'Gateway') as EndpointRecord['type'];
  if (!['Gateway', 'Interface', 'GatewayLoadBalancer'].includes(type)) throw invalidParam(`Value (${type}) for parameter VpcEndpointType is invalid.`);
  const pl = awsPrefixLists(ctx.region).find((p) => p.name === serviceName);
  const offered = custom === undefined ? (pl ? ['Gateway', 'Interface'] : ['Interface']) : [custom.service.gwlbArns.length > 0 ? 'GatewayLoadBalancer' : 'Interface'];
  if (!offered.includes(type)) throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${serviceName}' does not support the ${type} endpoint type`, 400);
  if (type === 'Gateway' && input['SubnetIds'] !== undefined) throw new AwsError('InvalidParameter', 'Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.', 400);
  if (type !== 'Gateway' && input['RouteTableIds'] !== undefined) throw new AwsError('InvalidParameter', 'Route table IDs are only supported for Gateway type VPC Endpoint.', 400);
  if (custom !== undefined && input['PolicyDocument'] !== undefined) throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${serviceName}' does not support VPC endpoint policies.`, 400);
  const policy = input['PolicyDocument'] === undefined ? FULL_ACCESS : checkPolicy(String(input['PolicyDocument']));
  const e: EndpointRecord = {
    id: awsId('vpce'), tags: tagsFor(input, 'vpc-endpoint'), createdMs: ctx.clock.nowMs(), vpcId: vpc.id, serviceName, type,
    prefixListId: type === 'Gateway' ? pl!.id : undefined, routeTableIds: [], subnetIds: [], eniIds: [], groupIds: [], policy,
    privateDns: type === 'Interface' && input['PrivateDnsEnabled'] !== false && (custom === undefined || custom.service.privateDnsName !== undefined),
    state: custom?.service.acceptanceRequired && custom.account !== ctx.account ? 'pendingAcceptance' : 'available', dnsSuffix: randomHex(8),
    serviceId: custom?.service.id, serviceOwner: custom?.account,
  };
  if (type === 'Gateway') {
    e.routeTableIds = Array.isArray(input['RouteTableIds']) ? (input['RouteTableIds'] as string[]) : [];
    addRoutes(s, e, e.routeTableIds);
  } else {
    const subnets = (Array.isArray(input['SubnetIds']) ? (input['SubnetIds'] as string[]) : []).map((id) => subnetOf(s, id));
    if (new Set(subnets.map((x) => x.az)).size < subnets.length) throw new AwsError('DuplicateSubnetsInSameZone', 'Found another VPC endpoint subnet in the availability zone', 400);
    e.groupIds = groupsFor(s, vpc.id, input['SecurityGroupIds']);
    e.subnetIds = subnets.map((x) => x.id);
    e.eniIds = subnets.map((x) => newEni(s, x, { groups: e.groupIds, description: `VPC Endpoint Interface ${e.id}`, type: 'vpc_endpoint', managed: true, now: e.createdMs }).id);
  }
  endpoints(s).set(e.id, e);
  if (custom !== undefined) await notifyConnection(ctx, 'Connect', connectionOf(e, ctx.account));
  return { VpcEndpoint: { ...endpointOut(e, ctx), State: e.state === 'available' && type !== 'Gateway' ? 'pending' : e.state }, ClientToken: input['ClientToken'] };
};

export const describeVpcEndpoints: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: [...endpoints(s).values()].filter((e) => e.state !== 'deleted'), idOf: (e) => e.id, tagsOf: (e) => e.tags,
    notFound: (ids) => new AwsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${ids[0]}' does not exist`, 400),
    fields: {
      'vpc-endpoint-id': (e) => e.id, 'vpc-id': (e) => e.vpcId, 'service-name': (e) => e.serviceName, 'vpc-endpoint-type': (e) => e.type,
      'vpc-endpoint-state': (e) => e.state,
    },
    ids: input['VpcEndpointIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { VpcEndpoints: page.items.map((e) => endpointOut(e, ctx)), NextToken: page.nextToken };
};

export const modifyVpcEndpoint: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const e = endpoints(s).get(String(input['VpcEndpointId']));
  if (e === undefined || e.state === 'deleted') throw new AwsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${String(input['VpcEndpointId'])}' does not exist`, 400);
  const add = Array.isArray(input['AddRouteTableIds']) ? (input['AddRouteTableIds'] as string[]) : [];
  const remove = Array.isArray(input['RemoveRouteTableIds']) ? (input['RemoveRouteTableIds'] as string[]) : [];
  if ((add.length > 0 || remove.length > 0) && e.type !== 'Gateway') throw invalidParam('Route tables can only be modified for Gateway endpoints');
  addRoutes(s, e, add);
  removeRoutes(s, e, remove);
  e.routeTableIds = [...e.routeTableIds.filter((id) => !remove.includes(id)), ...add];
  if (input['PolicyDocument'] !== undefined) {
    if (e.serviceId !== undefined) throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${e.serviceName}' does not support VPC endpoint policies.`, 400);
    e.policy = checkPolicy(String(input['PolicyDocument']));
  }
  if (input['ResetPolicy'] === true) e.policy = FULL_ACCESS;
  endpoints(s).set(e.id, e);
  return { Return: true };
};

/** What a connection notification says about a PrivateLink endpoint. */
export function connectionOf(e: EndpointRecord, consumer: string) {
  return { serviceId: e.serviceId!, provider: e.serviceOwner!, endpointId: e.id, consumer, endpointState: e.state };
}

export const deleteVpcEndpoints: Handler = async (input, ctx) => {
  const s = ec2State(ctx);
  const unsuccessful: unknown[] = [];
  for (const id of Array.isArray(input['VpcEndpointIds']) ? (input['VpcEndpointIds'] as string[]) : []) {
    const e = endpoints(s).get(id);
    if (e === undefined || e.state === 'deleted') {
      unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The Vpc Endpoint Id '${id}' does not exist` } });
      continue;
    }
    removeRoutes(s, e, e.routeTableIds);
    for (const eni of e.eniIds) s.enis.delete(eni);
    e.state = 'deleted';
    endpoints(s).set(e.id, e);
    if (e.serviceId !== undefined) await notifyConnection(ctx, 'Delete', connectionOf(e, ctx.account));
  }
  return { Unsuccessful: unsuccessful };
};

/** AWS's services of the region, then the PrivateLink services the caller may use (its own and those that allow it). */
export const describeVpcEndpointServices: Handler = (input, ctx) => {
  const zones = [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`];
  const details = INTERFACE_SERVICES.map((svc) => {
    const n = `com.amazonaws.${ctx.region}.${svc}`;
    return {
      ServiceName: n, ServiceType: [{ ServiceType: 'Interface' }, ...(RANGES[svc] ? [{ ServiceType: 'Gateway' }] : [])],
      AvailabilityZones: zones, Owner: 'amazon', BaseEndpointDnsNames: [`${svc}.${ctx.region}.vpce.amazonaws.com`],
      VpcEndpointPolicySupported: true, AcceptanceRequired: false, ManagesVpcEndpoints: false, PrivateDnsName: `${svc}.${ctx.region}.amazonaws.com`,
    } as Record<string, unknown>;
  });
  for (const x of ctx.stores.accountsRegions('ec2').filter((r) => r.region === ctx.region)) {
    for (const svc of endpointServices(stateOf(ctx.stores, x.account, ctx.region)).values()) {
      if (svc.state === 'Deleted' || !mayUse(svc, x.account, ctx.account, ctx.principal.arn)) continue;
      details.push({
        ServiceName: svc.serviceName, ServiceId: svc.id, ServiceType: [{ ServiceType: svc.gwlbArns.length > 0 ? 'GatewayLoadBalancer' : 'Interface' }],
        AvailabilityZones: zones, Owner: x.account, BaseEndpointDnsNames: [`${svc.id}.${ctx.region}.vpce.amazonaws.com`], PrivateDnsName: svc.privateDnsName,
        VpcEndpointPolicySupported: false, AcceptanceRequired: svc.acceptanceRequired, ManagesVpcEndpoints: false, Tags: x.account === ctx.account ? svc.tags : [],
        ...(svc.privateDnsName ? { PrivateDnsNameVerificationState: 'verified' } : {}),
      });
    }
  }
  const wanted = Array.isArray(input['ServiceNames']) ? (input['ServiceNames'] as string[]) : undefined;
  const unknown = wanted?.find((n) => !details.some((d) => d['ServiceName'] === n));
  if (unknown !== undefined) throw noService(unknown);
  const page = describe({
    items: details.filter((d) => wanted === undefined || wanted.includes(String(d['ServiceName']))), idOf: (d) => String(d['ServiceName']), tagsOf: (d) => (d['Tags'] as Tag[] | undefined) ?? [],
    notFound: (ids) => noService(ids[0]!),
    fields: { 'service-name': (d) => String(d['ServiceName']), 'service-type': (d) => (d['ServiceType'] as { ServiceType: string }[]).map((t) => t.ServiceType), owner: (d) => String(d['Owner']) },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [1, 1000],
  });
  return { ServiceNames: page.items.map((d) => d['ServiceName']), ServiceDetails: page.items, NextToken: page.nextToken };
};

export const describePrefixLists: Handler = (input, ctx) => {
  const page = describe({
    items: awsPrefixLists(ctx.region), idOf: (p) => p.id, tagsOf: () => [],
    notFound: (ids) => new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${ids[0]}' does not exist`, 400),
    fields: { 'prefix-list-id': (p) => p.id, 'prefix-list-name': (p) => p.name },
    ids: input['PrefixListIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { PrefixLists: page.items.map((p) => ({ PrefixListId: p.id, PrefixListName: p.name, Cidrs: p.cidrs })), NextToken: page.nextToken };
};

export const describeManagedPrefixLists: Handler = (input, ctx) => {
  const page = describe({
    items: awsPrefixLists(ctx.region), idOf: (p) => p.id, tagsOf: () => [],
    notFound: (ids) => new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${ids[0]}' does not exist`, 400),
    fields: { 'prefix-list-id': (p) => p.id, 'prefix-list-name': (p) => p.name, 'owner-id': () => 'AWS' },
    ids: input['PrefixListIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [1, 100],
  });
  return {
    PrefixLists: page.items.map((p) => ({
      PrefixListId: p.id, PrefixListName: p.name, AddressFamily: 'IPv4', State: 'create-complete', MaxEntries: p.cidrs.length, Version: 1, OwnerId: 'AWS', Tags: [],
      PrefixListArn: arn({ service: 'ec2', region: ctx.region, account: 'aws', resource: `prefix-list/${p.id}` }),
    })),
    NextToken: page.nextToken,
  };
};

export const getManagedPrefixListEntries: Handler = (input, ctx) => {
  const p = awsPrefixLists(ctx.region).find((x) => x.id === input['PrefixListId']);
  if (p === undefined) throw new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${String(input['PrefixListId'])}' does not exist`, 400);
  return { Entries: p.cidrs.map((Cidr) => ({ Cidr })) };
};
