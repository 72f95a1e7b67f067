/**
 * The network as plain data: what the engine reads. A provider builds one snapshot from its
 * stores (VPCs, route tables, transit gateways, Direct Connect) and hands it over; the engine
 * never looks anything up elsewhere, so the same snapshot always gives the same answer.
 */

/** Where a VPC route sends traffic. `local` delivers inside the VPC. */
export type RouteTargetType = 'local' | 'igw' | 'eigw' | 'nat' | 'tgw' | 'pcx' | 'vpce' | 'eni' | 'vgw';

export interface VpcRoute {
  /** IPv4 CIDR; routes to a prefix list are expanded by the provider into one route per entry. */
  destination: string;
  prefixListId?: string;
  targetType: RouteTargetType;
  targetId: string;
  /** `blackhole` when the target is gone (a deleted NAT gateway, a detached gateway). */
  state: 'active' | 'blackhole';
}

export interface NetVpc {
  id: string;
  account: string;
  region: string;
  cidrs: string[];
}

export interface NetSubnet {
  id: string;
  vpcId: string;
  cidr: string;
  az: string;
}

export interface NetRouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  subnetIds: string[];
  /** Gateways with an edge association (ingress routing). */
  gatewayIds: string[];
  routes: VpcRoute[];
}

/** A security group rule: traffic matching protocol/ports from (ingress) or to (egress) a peer. */
export interface NetSgRule {
  /** `-1` (all), `tcp`/`6`, `udp`/`17`, `icmp`/`1`, or another protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  groupIds: string[];
  prefixListIds: string[];
}

export interface NetSecurityGroup {
  id: string;
  vpcId: string;
  ingress: NetSgRule[];
  egress: NetSgRule[];
}

export interface NetAclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  action: 'allow' | 'deny';
  cidr: string;
  fromPort?: number;
  toPort?: number;
}

export interface NetNetworkAcl {
  id: string;
  vpcId: string;
  subnetIds: string[];
  entries: NetAclEntry[];
}

export interface NetEni {
  id: string;
  subnetId: string;
  vpcId: string;
  privateIps: string[];
  publicIp?: string;
  groupIds: string[];
  instanceId?: string;
  /** `nat_gateway`, `vpc_endpoint`, `transit_gateway`, `interface`… */
  interfaceType: string;
}

export interface NetGateway {
  id: string;
  /** `igw`, `eigw`, `nat`, `vpce` (gateway endpoint) or `vgw`. */
  type: 'igw' | 'eigw' | 'nat' | 'vpce' | 'vgw';
  vpcId?: string;
  /** NAT gateways: where they sit and their interface. */
  subnetId?: string;
  eniId?: string;
  /** Gateway endpoints: the service's prefix list (its CIDRs are in `prefixLists`). */
  prefixListId?: string;
  serviceName?: string;
  /** Gateway endpoints: the endpoint policy (JSON); absent means full access. */
  policy?: string;
  available: boolean;
}

/**
 * An interface endpoint: ENIs in the consumer's subnets that hand traffic to an AWS service or
 * to a PrivateLink endpoint service (possibly another account's).
 */
export interface NetInterfaceEndpoint {
  id: string;
  vpcId: string;
  serviceName: string;
  eniIds: string[];
  /** `available`, or the connection's state (`pendingAcceptance`, `rejected`, …). */
  state: string;
  /** Private DNS: the service's public name resolves to the endpoint's ENIs. */
  privateDns: boolean;
  /** The endpoint policy (JSON); absent means full access. */
  policy?: string;
  /** For a PrivateLink service: its id (`vpce-svc-…`). */
  serviceId?: string;
}

/** A PrivateLink endpoint service: a provider's load balancers offered to other VPCs. */
export interface NetEndpointService {
  id: string;
  serviceName: string;
  account: string;
  region: string;
  loadBalancerArns: string[];
  available: boolean;
}

export interface NetPeering {
  id: string;
  requesterVpcId: string;
  accepterVpcId: string;
  active: boolean;
}

export interface NetTgw {
  id: string;
  account: string;
  region: string;
}

export type TgwAttachmentType = 'vpc' | 'peering' | 'direct-connect-gateway';

export interface NetTgwAttachment {
  id: string;
  tgwId: string;
  type: TgwAttachmentType;
  /** VPC id, peer TGW id or Direct Connect gateway id. */
  resourceId: string;
  subnetIds: string[];
  /** The TGW route table it is associated with (its traffic is routed by that table). */
  routeTableId?: string;
  /** Route tables its routes propagate into. */
  propagatesTo: string[];
  /** Peering: the attachment on the other side. */
  peerAttachmentId?: string;
  available: boolean;
}

export interface NetTgwRoute {
  destination: string;
  attachmentId?: string;
  state: 'active' | 'blackhole';
}

export interface NetTgwRouteTable {
  id: string;
  tgwId: string;
  /** Static and blackhole routes; propagated ones are derived from the attachments. */
  staticRoutes: NetTgwRoute[];
}

/** One way on-premises traffic reaches a Direct Connect gateway: a VIF over a connection or LAG. */
export interface NetDxUplink {
  vifId: string;
  /** The physical links; the uplink is up while at least `minimumLinks` of them are up. */
  connectionIds: string[];
  minimumLinks: number;
  /** `lag-…` when the VIF rides a LAG. */
  lagId?: string;
  /** Provider-side states that are not faults (a deleted VIF, a connection still ordering). */
  available: boolean;
  /** The on-premises networks advertised over this VIF. */
  onPremCidrs: string[];
}

export interface NetDxGateway {
  id: string;
  uplinks: NetDxUplink[];
  /** Per associated TGW: the prefixes advertised to on-premises (allowed prefixes). */
  associations: { tgwId: string; allowedPrefixes: string[] }[];
}

export interface NetPrefixList {
  id: string;
  name: string;
  cidrs: string[];
}

/** Faults as data: which regions are out and which Direct Connect connections are down. */
export interface NetFaults {
  regionsDown: string[];
  linksDown: string[];
}

export interface Topology {
  vpcs: NetVpc[];
  subnets: NetSubnet[];
  routeTables: NetRouteTable[];
  securityGroups: NetSecurityGroup[];
  networkAcls: NetNetworkAcl[];
  enis: NetEni[];
  gateways: NetGateway[];
  peerings: NetPeering[];
  tgws: NetTgw[];
  tgwAttachments: NetTgwAttachment[];
  tgwRouteTables: NetTgwRouteTable[];
  dxGateways: NetDxGateway[];
  prefixLists: NetPrefixList[];
  faults: NetFaults;
  interfaceEndpoints?: NetInterfaceEndpoint[];
  endpointServices?: NetEndpointService[];
}

/** An empty topology, for callers that fill parts of it. */
export function emptyTopology(): Topology {
  return {
    vpcs: [], subnets: [], routeTables: [], securityGroups: [], networkAcls: [], enis: [], gateways: [], peerings: [],
    tgws: [], tgwAttachments: [], tgwRouteTables: [], dxGateways: [], prefixLists: [], faults: { regionsDown: [], linksDown: [] },
    interfaceEndpoints: [], endpointServices: [],
  };
}
