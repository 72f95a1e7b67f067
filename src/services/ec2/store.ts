/**
 * EC2 networking state of one account × region, as plain data in store collections: one
 * collection per resource type, every record tagged. Records hold what the API returns and
 * what the network engine needs; derived views (a subnet's free addresses, a route table's
 * propagated routes) are computed when asked.
 */
import type { Collection } from '../../core/store.js';
import type { ServiceContext } from '../types.js';

export interface Tag { Key: string; Value: string }

interface Base { id: string; tags: Tag[]; createdMs: number }

export interface VpcRecord extends Base {
  cidrs: { associationId: string; cidr: string; state: string }[];
  isDefault: boolean;
  tenancy: string;
  dhcpOptionsId: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

export interface SubnetRecord extends Base {
  vpcId: string;
  cidr: string;
  az: string;
  azId: string;
  mapPublicIpOnLaunch: boolean;
  defaultForAz: boolean;
}

export type RouteTarget = 'local' | 'igw' | 'eigw' | 'nat' | 'tgw' | 'pcx' | 'vpce' | 'eni' | 'vgw';

export interface RouteRecord {
  destination?: string;
  prefixListId?: string;
  targetType: RouteTarget;
  targetId: string;
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
}

export interface RouteTableRecord extends Base {
  vpcId: string;
  main: boolean;
  mainAssociationId?: string;
  routes: RouteRecord[];
  associations: { id: string; subnetId?: string; gatewayId?: string }[];
}

export interface GatewayRecord extends Base {
  /** Internet (igw) and egress-only (eigw) gateways. */
  kind: 'igw' | 'eigw';
  vpcId?: string;
}

export interface NatGatewayRecord extends Base {
  subnetId: string;
  vpcId: string;
  connectivity: 'public' | 'private';
  allocationId?: string;
  eniId: string;
  state: 'pending' | 'available' | 'deleting' | 'deleted' | 'failed';
  /** When `pending` becomes `available` / `deleting` becomes `deleted`, on the clock. */
  dueMs: number;
}

export interface AddressRecord extends Base {
  allocationId: string;
  publicIp: string;
  associationId?: string;
  eniId?: string;
  privateIp?: string;
}

export interface EniRecord extends Base {
  subnetId: string;
  vpcId: string;
  az: string;
  privateIps: string[];
  groupIds: string[];
  description: string;
  interfaceType: string;
  requesterManaged: boolean;
  sourceDestCheck: boolean;
  mac: string;
  attachment?: { id: string; instanceId?: string; deviceIndex: number };
  /** A public address auto-assigned at launch (not an Elastic IP); it goes when the instance stops. */
  publicIp?: string;
}

export interface SgRuleRecord {
  ruleId: string;
  egress: boolean;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  prefixListId?: string;
  groupId?: string;
  description?: string;
}

export interface SecurityGroupRecord extends Base {
  name: string;
  description: string;
  vpcId: string;
  rules: SgRuleRecord[];
}

export interface AclEntryRecord {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  action: 'allow' | 'deny';
  cidr: string;
  fromPort?: number;
  toPort?: number;
}

export interface NetworkAclRecord extends Base {
  vpcId: string;
  isDefault: boolean;
  entries: AclEntryRecord[];
  associations: { id: string; subnetId: string }[];
}

/** The EC2 collections of one account × region. */
export interface Ec2State {
  account: string;
  region: string;
  vpcs: Collection<VpcRecord>;
  subnets: Collection<SubnetRecord>;
  routeTables: Collection<RouteTableRecord>;
  gateways: Collection<GatewayRecord>;
  natGateways: Collection<NatGatewayRecord>;
  addresses: Collection<AddressRecord>;
  enis: Collection<EniRecord>;
  securityGroups: Collection<SecurityGroupRecord>;
  networkAcls: Collection<NetworkAclRecord>;
  /** Further resource kinds (transit gateways, insights, …) by collection name. */
  extra<V>(name: string): Collection<V>;
}

/** The EC2 state of the caller's account and region. */
export function ec2State(ctx: Pick<ServiceContext, 'stores' | 'account' | 'region'>): Ec2State {
  return stateOf(ctx.stores, ctx.account, ctx.region);
}

/** The EC2 state of any account × region (peering and transit gateway peering cross them). */
export function stateOf(stores: ServiceContext['stores'], account: string, region: string): Ec2State {
  return stores.scope('ec2', account, region, (c) => ({
    account, region,
    vpcs: c.collection('vpcs'),
    subnets: c.collection('subnets'),
    routeTables: c.collection('routeTables'),
    gateways: c.collection('gateways'),
    natGateways: c.collection('natGateways'),
    addresses: c.collection('addresses'),
    enis: c.collection('enis'),
    securityGroups: c.collection('securityGroups'),
    networkAcls: c.collection('networkAcls'),
    extra: <V>(name: string) => c.collection<V>(name),
  }));
}
