/**
 * The engine's hops and explanations in Reachability Analyzer's output shapes
 * (`PathComponent`, `Explanation`), shared by path analyses and access scope findings.
 */
import { arn } from '../../core/ids.js';
import type { ComponentType, Explanation, Hop, RouteInfo } from '../../engines/network/path.js';
import { ACCEPTER_SUFFIX } from './snapshot.js';

// Component type → the resource type in its ARN (EC2 unless noted).
const ARN_TYPES: Partial<Record<ComponentType, string>> = {
  'network-interface': 'network-interface', 'security-group': 'security-group', 'network-acl': 'network-acl',
  'route-table': 'route-table', subnet: 'subnet', vpc: 'vpc', 'internet-gateway': 'internet-gateway',
  'egress-only-internet-gateway': 'egress-only-internet-gateway', 'nat-gateway': 'natgateway', 'vpc-endpoint': 'vpc-endpoint',
  'vpc-peering-connection': 'vpc-peering-connection', 'transit-gateway': 'transit-gateway',
  'transit-gateway-attachment': 'transit-gateway-attachment', 'transit-gateway-route-table': 'transit-gateway-route-table',
};

export interface Where { account: string; region: string }

export function component(id: string, type: ComponentType, w: Where) {
  const clean = id.replace(ACCEPTER_SUFFIX, '');
  const t = ARN_TYPES[type];
  if (t !== undefined) return { Id: clean, Arn: arn({ service: 'ec2', region: w.region, account: w.account, resource: `${t}/${clean}` }) };
  if (type === 'direct-connect-gateway') return { Id: clean, Arn: arn({ service: 'directconnect', account: w.account, resource: `dx-gateway/${clean}` }) };
  if (type === 'direct-connect-virtual-interface') return { Id: clean, Arn: arn({ service: 'directconnect', region: w.region, account: w.account, resource: `dxvif/${clean}` }) };
  return { Id: clean, Name: type };
}

function routeOut(r: RouteInfo) {
  const target: Record<string, string> = {
    local: 'GatewayId', igw: 'GatewayId', vpce: 'GatewayId', vgw: 'GatewayId', nat: 'NatGatewayId', tgw: 'TransitGatewayId',
    pcx: 'VpcPeeringConnectionId', eni: 'NetworkInterfaceId', eigw: 'EgressOnlyInternetGatewayId',
  };
  return {
    DestinationCidr: r.destinationCidr, DestinationPrefixListId: r.destinationPrefixListId, [target[r.targetType] ?? 'GatewayId']: r.targetId,
    Origin: r.targetType === 'local' ? 'CreateRouteTable' : 'CreateRoute', State: r.state,
  };
}

const ports = (p?: { from: number; to: number }) => (p ? { PortRange: { From: p.from, To: p.to } } : {});

function tgwRouteOut(r: NonNullable<Hop['tgwRoute']>) {
  return {
    DestinationCidr: r.destinationCidr, State: r.state, RouteOrigin: r.routeOrigin,
    AttachmentId: r.attachmentId?.replace(ACCEPTER_SUFFIX, ''), ResourceId: r.resourceId, ResourceType: r.resourceType,
  };
}

/** A hop as a `PathComponent`. */
export function pathComponent(h: Hop, i: number, w: Where) {
  return {
    SequenceNumber: i + 1,
    Component: component(h.componentId, h.type, w),
    ...(h.vpcId ? { Vpc: component(h.vpcId, 'vpc', w) } : {}),
    ...(h.subnetId ? { Subnet: component(h.subnetId, 'subnet', w) } : {}),
    ...(h.transitGatewayId ? { TransitGateway: component(h.transitGatewayId, 'transit-gateway', w) } : {}),
    ...(h.aclRule ? {
      AclRule: { Cidr: h.aclRule.cidr, Egress: h.aclRule.egress, Protocol: h.aclRule.protocol, RuleAction: h.aclRule.ruleAction, RuleNumber: h.aclRule.ruleNumber, ...ports(h.aclRule.portRange) },
    } : {}),
    ...(h.securityGroupRule ? {
      SecurityGroupRule: {
        Cidr: h.securityGroupRule.cidr, Direction: h.securityGroupRule.direction, SecurityGroupId: h.securityGroupRule.securityGroupId,
        PrefixListId: h.securityGroupRule.prefixListId, Protocol: h.securityGroupRule.protocol, ...ports(h.securityGroupRule.portRange),
      },
    } : {}),
    ...(h.routeTableRoute ? { RouteTableRoute: routeOut(h.routeTableRoute) } : {}),
    ...(h.tgwRoute ? { TransitGatewayRouteTableRoute: tgwRouteOut(h.tgwRoute) } : {}),
  };
}

/** An engine explanation as an `Explanation`. */
export function explanationOut(e: Explanation, w: Where) {
  const c = component(e.componentId, e.type, w);
  const byType: Partial<Record<ComponentType, string>> = {
    'security-group': 'SecurityGroup', 'network-acl': 'Acl', 'route-table': 'RouteTable', 'internet-gateway': 'InternetGateway',
    'nat-gateway': 'NatGateway', 'transit-gateway-route-table': 'TransitGatewayRouteTable', 'transit-gateway-attachment': 'TransitGatewayAttachment',
    'transit-gateway': 'TransitGateway', 'vpc-peering-connection': 'VpcPeeringConnection', 'vpc-endpoint': 'VpcEndpoint',
    'network-interface': 'NetworkInterface', subnet: 'Subnet', vpc: 'Vpc',
  };
  const named = byType[e.type];
  return {
    ExplanationCode: e.code, Component: c, ...(named ? { [named]: c } : {}),
    ...(e.direction ? { Direction: e.direction } : {}),
    ...(e.state ? { State: e.state } : {}),
    ...(e.vpcId ? { Vpc: component(e.vpcId, 'vpc', w) } : {}),
    ...(e.subnetId ? { Subnet: component(e.subnetId, 'subnet', w) } : {}),
    ...(e.transitGatewayId ? { TransitGateway: component(e.transitGatewayId, 'transit-gateway', w) } : {}),
    ...(e.routeTableRoute ? { RouteTableRoute: routeOut(e.routeTableRoute) } : {}),
    ...(e.tgwRoute ? { TransitGatewayRouteTableRoute: tgwRouteOut(e.tgwRoute) } : {}),
    ...(e.address ? { Address: e.address, Addresses: [e.address] } : {}),
  };
}
