/**
 * PrivateLink endpoint services as plain data, and the lookups that cross accounts: a consumer
 * names a service by its ServiceName, which lives in the provider's account, and may use it
 * only when the provider's allowed principals name it.
 */
import { randomHex } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import type { NetEndpointService, NetInterfaceEndpoint } from '../../engines/network/topology.js';
import { stateOf, type Ec2State, type Tag } from './store.js';

export interface AllowedPrincipal { permissionId: string; principal: string; type: 'All' | 'Account' | 'User' | 'Role' }

export interface EndpointServiceRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  serviceName: string;
  acceptanceRequired: boolean;
  privateDnsName?: string;
  /** TXT record value the provider proves the private DNS name's domain with. */
  dnsVerificationValue: string;
  nlbArns: string[];
  gwlbArns: string[];
  state: 'Available' | 'Deleted';
  allowed: AllowedPrincipal[];
}

export const endpointServices = (s: Ec2State) => s.extra<EndpointServiceRecord>('endpointServices');

/** `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`. */
export function newServiceName(region: string): { id: string; name: string } {
  const id = `vpce-svc-${randomHex(17)}`;
  return { id, name: `com.amazonaws.vpce.${region}.${id}` };
}

/** A live service of `region` by id or ServiceName, in whichever account provides it. */
export function findService(stores: Stores, region: string, idOrName: string): { account: string; service: EndpointServiceRecord } | undefined {
  const id = idOrName.slice(idOrName.lastIndexOf('.') + 1);
  for (const x of stores.accountsRegions('ec2')) {
    if (x.region !== region) continue;
    const svc = endpointServices(stateOf(stores, x.account, region)).get(id);
    if (svc !== undefined && svc.state !== 'Deleted') return { account: x.account, service: svc };
  }
  return undefined;
}

/** Whether `principalArn` of `account` may see and connect to a service `owner` provides. */
export function mayUse(svc: EndpointServiceRecord, owner: string, account: string, principalArn: string): boolean {
  if (account === owner) return true;
  return svc.allowed.some((a) => a.principal === '*' || a.principal === `arn:aws:iam::${account}:root` || a.principal === principalArn);
}

/** The services a topology's interface endpoints connect to (possibly other accounts'), as the engine sees them. */
export function servicesBehind(stores: Stores, endpoints: NetInterfaceEndpoint[], regionOfVpc: (vpcId: string) => string | undefined): NetEndpointService[] {
  const out = new Map<string, NetEndpointService>();
  for (const ep of endpoints) {
    const region = regionOfVpc(ep.vpcId);
    if (ep.serviceId === undefined || region === undefined || out.has(ep.serviceId)) continue;
    const found = findService(stores, region, ep.serviceId);
    if (found === undefined) continue;
    const svc = found.service;
    out.set(svc.id, { id: svc.id, serviceName: svc.serviceName, account: found.account, region, loadBalancerArns: [...svc.nlbArns, ...svc.gwlbArns], available: true });
  }
  return [...out.values()];
}
