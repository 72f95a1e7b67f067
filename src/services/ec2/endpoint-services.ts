/**
 * PrivateLink, the provider's side: endpoint service configurations in front of Network (or
 * Gateway) Load Balancers, who may connect (allowed principals), and the connections consumers'
 * interface endpoints make, which the provider accepts or rejects. Drydock has no Elastic Load
 * Balancing, so load balancer ARNs are checked for form, region and account only.
 */
import { AwsError } from '../../core/errors.js';
import { awsId, randomHex } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { found, invalidParam, missingParam } from './errors.js';
import { endpointServices, newServiceName, type AllowedPrincipal, type EndpointServiceRecord } from './endpoint-services-store.js';
import { notifyConnection } from './endpoint-services-notify.js';
import { connectionOf, endpoints, type EndpointRecord } from './endpoints.js';
import { ec2State, stateOf, type Ec2State } from './store.js';
import { tagsFor } from './tags.js';

const notFound = (id: string) => new AwsError('InvalidVpcEndpointServiceId.NotFound', `The Vpc Endpoint Service Id '${id}' does not exist`, 400);

function serviceOf(s: Ec2State, id: unknown): EndpointServiceRecord {
  return found(endpointServices(s), id, notFound, (svc) => svc.state !== 'Deleted');
}

/** Load balancer ARNs of the caller's account and region, of the kind (`net` or `gwy`) asked for. */
function lbArns(v: unknown, kind: 'net' | 'gwy', ctx: ServiceContext): string[] {
  const list = Array.isArray(v) ? (v as string[]) : [];
  const re = new RegExp(`^arn:aws[a-z-]*:elasticloadbalancing:${ctx.region}:${ctx.account}:loadbalancer/${kind}/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`);
  for (const a of list) if (!re.test(a)) throw new AwsError('InvalidParameter', `The load balancer ARN '${a}' is not a valid ${kind === 'net' ? 'Network' : 'Gateway'} Load Balancer ARN of this account and Region.`, 400);
  return list;
}

function checkDnsName(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const name = String(v);
  if (!/^(?=.{1,253}$)([a-z0-9*]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(name)) throw invalidParam(`The private DNS name '${name}' is not a valid domain name.`);
  return name.toLowerCase();
}

export const createVpcEndpointServiceConfiguration: Handler = (input, ctx) => {
  const nlb = lbArns(input['NetworkLoadBalancerArns'], 'net', ctx);
  const gwlb = lbArns(input['GatewayLoadBalancerArns'], 'gwy', ctx);
  if ((nlb.length > 0) === (gwlb.length > 0)) throw new AwsError('InvalidParameter', 'Specify either NetworkLoadBalancerArns or GatewayLoadBalancerArns, not both.', 400);
  const privateDnsName = checkDnsName(input['PrivateDnsName']);
  if (gwlb.length > 0 && privateDnsName !== undefined) throw new AwsError('InvalidParameter', 'A private DNS name is not supported for Gateway Load Balancer endpoint services.', 400);
  const { id, name } = newServiceName(ctx.region);
  const svc: EndpointServiceRecord = {
    id, serviceName: name, tags: tagsFor(input, 'vpc-endpoint-service'), createdMs: ctx.clock.nowMs(), acceptanceRequired: input['AcceptanceRequired'] === true,
    privateDnsName, dnsVerificationValue: `vpce:${randomHex(20)}`, nlbArns: nlb, gwlbArns: gwlb, state: 'Available', allowed: [],
  };
  endpointServices(ec2State(ctx)).set(svc.id, svc);
  return { ServiceConfiguration: configOut(svc, ctx), ClientToken: input['ClientToken'] };
};

function configOut(svc: EndpointServiceRecord, ctx: ServiceContext) {
  return {
    ServiceType: [{ ServiceType: svc.gwlbArns.length > 0 ? 'GatewayLoadBalancer' : 'Interface' }], ServiceId: svc.id, ServiceName: svc.serviceName,
    ServiceState: svc.state, AvailabilityZones: [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`], AcceptanceRequired: svc.acceptanceRequired,
    ManagesVpcEndpoints: false, NetworkLoadBalancerArns: svc.nlbArns, GatewayLoadBalancerArns: svc.gwlbArns, SupportedIpAddressTypes: ['ipv4'],
    BaseEndpointDnsNames: [`${svc.id}.${ctx.region}.vpce.amazonaws.com`], PrivateDnsName: svc.privateDnsName, Tags: svc.tags,
    ...(svc.privateDnsName ? {
      PrivateDnsNameConfiguration: { State: 'pendingVerification', Type: 'TXT', Value: svc.dnsVerificationValue, Name: `_${svc.dnsVerificationValue.slice(5, 25)}` },
    } : {}),
    PayerResponsibility: 'ServiceOwner', SupportedRegions: [{ Region: ctx.region, ServiceState: 'Available' }], RemoteAccessEnabled: false,
  };
}

export const describeVpcEndpointServiceConfigurations: Handler = (input, ctx) => {
  const page = describe({
    items: [...endpointServices(ec2State(ctx)).values()].filter((x) => x.state !== 'Deleted'), idOf: (x) => x.id, tagsOf: (x) => x.tags,
    notFound: (ids) => notFound(ids[0]!),
    fields: { 'service-name': (x) => x.serviceName, 'service-id': (x) => x.id, 'service-state': (x) => x.state, 'supported-ip-address-types': () => 'ipv4' },
    ids: input['ServiceIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { ServiceConfigurations: page.items.map((x) => configOut(x, ctx)), NextToken: page.nextToken };
};

export const modifyVpcEndpointServiceConfiguration: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const svc = serviceOf(s, input['ServiceId']);
  if (input['AcceptanceRequired'] !== undefined) svc.acceptanceRequired = input['AcceptanceRequired'] === true;
  if (input['PrivateDnsName'] !== undefined) svc.privateDnsName = checkDnsName(input['PrivateDnsName']);
  if (input['RemovePrivateDnsName'] === true) svc.privateDnsName = undefined;
  svc.nlbArns = [...svc.nlbArns.filter((a) => !lbArns(input['RemoveNetworkLoadBalancerArns'], 'net', ctx).includes(a)), ...lbArns(input['AddNetworkLoadBalancerArns'], 'net', ctx)];
  svc.gwlbArns = [...svc.gwlbArns.filter((a) => !lbArns(input['RemoveGatewayLoadBalancerArns'], 'gwy', ctx).includes(a)), ...lbArns(input['AddGatewayLoadBalancerArns'], 'gwy', ctx)];
  if (svc.nlbArns.length + svc.gwlbArns.length === 0) throw new AwsError('InvalidParameter', 'An endpoint service must keep at least one load balancer.', 400);
  endpointServices(s).set(svc.id, svc);
  return { Return: true };
};

/** Every consumer endpoint (in any account of the region) connected to a service. */
function connections(ctx: ServiceContext, serviceId: string): { account: string; s: Ec2State; e: EndpointRecord }[] {
  const out: { account: string; s: Ec2State; e: EndpointRecord }[] = [];
  for (const x of ctx.stores.accountsRegions('ec2')) {
    if (x.region !== ctx.region) continue;
    const s = stateOf(ctx.stores, x.account, x.region);
    for (const e of endpoints(s).values()) if (e.serviceId === serviceId && e.state !== 'deleted') out.push({ account: x.account, s, e });
  }
  return out;
}

export const deleteVpcEndpointServiceConfigurations: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const ids = Array.isArray(input['ServiceIds']) ? (input['ServiceIds'] as string[]) : [];
  if (ids.length === 0) throw missingParam('ServiceIds');
  const unsuccessful: unknown[] = [];
  for (const id of ids) {
    const svc = endpointServices(s).get(id);
    const fail = (code: string, message: string) => unsuccessful.push({ ResourceId: id, Error: { Code: code, Message: message } });
    if (svc === undefined || svc.state === 'Deleted') fail('InvalidVpcEndpointServiceId.NotFound', `The Vpc Endpoint Service Id '${id}' does not exist`);
    else if (connections(ctx, id).some((c) => c.e.state === 'available' || c.e.state === 'pendingAcceptance')) {
      fail('ExistingVpcEndpointConnections', `Service ${id} has existing active VPC Endpoint connections!`);
    } else {
      svc.state = 'Deleted';
      endpointServices(s).set(id, svc);
    }
  }
  return { Unsuccessful: unsuccessful };
};

/** `arn:aws:iam::<account>:root`, a user or role ARN, or `*`. */
function principalType(p: string): AllowedPrincipal['type'] {
  if (p === '*') return 'All';
  const m = /^arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)$/.exec(p);
  if (m === null) throw new AwsError('InvalidPrincipal', `Invalid principal ${p}`, 400);
  return m[1] === 'root' ? 'Account' : m[1]!.startsWith('user/') ? 'User' : 'Role';
}

export const modifyVpcEndpointServicePermissions: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const svc = serviceOf(s, input['ServiceId']);
  const add = Array.isArray(input['AddAllowedPrincipals']) ? (input['AddAllowedPrincipals'] as string[]) : [];
  const remove = Array.isArray(input['RemoveAllowedPrincipals']) ? (input['RemoveAllowedPrincipals'] as string[]) : [];
  const added: AllowedPrincipal[] = [];
  for (const p of add) {
    const type = principalType(p);
    if (svc.allowed.some((a) => a.principal === p)) continue;
    const a: AllowedPrincipal = { permissionId: awsId('vpce-svc-perm'), principal: p, type };
    svc.allowed.push(a);
    added.push(a);
  }
  for (const p of remove) principalType(p);
  svc.allowed = svc.allowed.filter((a) => !remove.includes(a.principal));
  endpointServices(s).set(svc.id, svc);
  return {
    AddedPrincipals: added.map((a) => ({ PrincipalType: a.type, Principal: a.principal, ServicePermissionId: a.permissionId, ServiceId: svc.id })),
    ReturnValue: true,
  };
};

export const describeVpcEndpointServicePermissions: Handler = (input, ctx) => {
  const svc = serviceOf(ec2State(ctx), input['ServiceId']);
  const page = describe({
    items: svc.allowed, idOf: (a) => a.permissionId, tagsOf: () => [], notFound: (ids) => invalidParam(`unexpected ids ${ids.join(', ')}`),
    fields: { principal: (a) => a.principal, 'principal-type': (a) => a.type },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return {
    AllowedPrincipals: page.items.map((a) => ({ PrincipalType: a.type, Principal: a.principal, ServicePermissionId: a.permissionId, ServiceId: svc.id, Tags: [] })),
    NextToken: page.nextToken,
  };
};

async function decide(input: Record<string, unknown>, ctx: ServiceContext, to: 'available' | 'rejected') {
  const svc = serviceOf(ec2State(ctx), input['ServiceId']);
  const ids = Array.isArray(input['VpcEndpointIds']) ? (input['VpcEndpointIds'] as string[]) : [];
  if (ids.length === 0) throw missingParam('VpcEndpointIds');
  const all = connections(ctx, svc.id);
  const unsuccessful: unknown[] = [];
  for (const id of ids) {
    const c = all.find((x) => x.e.id === id);
    if (c === undefined) {
      unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The Vpc Endpoint Id '${id}' does not exist` } });
    } else if (c.e.state !== 'pendingAcceptance' && !(to === 'rejected' && c.e.state === 'available')) {
      unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidState', Message: `Endpoint ${id} is in state ${c.e.state}` } });
    } else {
      c.e.state = to;
      endpoints(c.s).set(c.e.id, c.e);
      await notifyConnection(ctx, to === 'available' ? 'Accept' : 'Reject', connectionOf(c.e, c.account));
    }
  }
  return { Unsuccessful: unsuccessful };
}

export const acceptVpcEndpointConnections: Handler = (input, ctx) => decide(input, ctx, 'available');
export const rejectVpcEndpointConnections: Handler = (input, ctx) => decide(input, ctx, 'rejected');

export const describeVpcEndpointConnections: Handler = (input, ctx) => {
  const mine = [...endpointServices(ec2State(ctx)).values()].filter((x) => x.state !== 'Deleted');
  const rows = mine.flatMap((svc) => connections(ctx, svc.id).map((c) => ({ ...c, svc })));
  const page = describe({
    items: rows, idOf: (r) => r.e.id, tagsOf: (r) => r.e.tags, notFound: (ids) => invalidParam(`unexpected ids ${ids.join(', ')}`),
    fields: {
      'service-id': (r) => r.svc.id, 'vpc-endpoint-owner': (r) => r.account, 'vpc-endpoint-id': (r) => r.e.id,
      'vpc-endpoint-state': (r) => r.e.state, 'ip-address-type': () => 'ipv4',
    },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return {
    VpcEndpointConnections: page.items.map((r) => ({
      ServiceId: r.svc.id, VpcEndpointId: r.e.id, VpcEndpointOwner: r.account, VpcEndpointState: r.e.state, CreationTimestamp: new Date(r.e.createdMs),
      NetworkLoadBalancerArns: r.svc.nlbArns, GatewayLoadBalancerArns: r.svc.gwlbArns, IpAddressType: 'ipv4', VpcEndpointRegion: ctx.region,
      VpcEndpointConnectionId: `vpce-con-${r.e.id.slice(5)}`,
      DnsEntries: [{ DnsName: `${r.e.id}-${r.e.dnsSuffix}.${r.svc.id}.${ctx.region}.vpce.amazonaws.com`, HostedZoneId: 'Z7HUB22UULQXV' }],
    })),
    NextToken: page.nextToken,
  };
};
