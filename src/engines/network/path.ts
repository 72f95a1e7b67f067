/**
 * What a traced path is made of, in Reachability Analyzer's vocabulary: hops (path
 * components) and, when the packet cannot go on, explanations naming the blocking component,
 * AWS's explanation code and a sentence saying why.
 */

/** Kinds of component a path passes through. */
export type ComponentType =
  | 'network-interface' | 'security-group' | 'network-acl' | 'route-table' | 'subnet' | 'vpc'
  | 'internet-gateway' | 'egress-only-internet-gateway' | 'nat-gateway' | 'vpc-endpoint' | 'vpc-endpoint-service' | 'vpc-peering-connection'
  | 'transit-gateway' | 'transit-gateway-attachment' | 'transit-gateway-route-table'
  | 'direct-connect-gateway' | 'direct-connect-virtual-interface' | 'on-premises' | 'internet' | 'region';

export interface AclRuleInfo {
  cidr: string;
  egress: boolean;
  protocol: string;
  ruleAction: string;
  ruleNumber: number;
  portRange?: { from: number; to: number };
}

export interface SgRuleInfo {
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  protocol: string;
  cidr?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  portRange?: { from: number; to: number };
}

export interface RouteInfo {
  destinationCidr: string;
  destinationPrefixListId?: string;
  targetType: string;
  targetId: string;
  state: string;
}

export interface TgwRouteInfo {
  destinationCidr: string;
  attachmentId?: string;
  routeOrigin: 'static' | 'propagated';
  state: string;
  resourceId?: string;
  resourceType?: string;
}

/** One step of a path. */
export interface Hop {
  componentId: string;
  type: ComponentType;
  vpcId?: string;
  subnetId?: string;
  transitGatewayId?: string;
  aclRule?: AclRuleInfo;
  securityGroupRule?: SgRuleInfo;
  routeTableRoute?: RouteInfo;
  tgwRoute?: TgwRouteInfo;
  /** Address translation or anything else worth saying about this step. */
  note?: string;
}

/** Why a path stops. `code` is Reachability Analyzer's explanation code. */
export interface Explanation {
  code: string;
  componentId: string;
  type: ComponentType;
  direction?: 'ingress' | 'egress';
  vpcId?: string;
  subnetId?: string;
  routeTableRoute?: RouteInfo;
  tgwRoute?: TgwRouteInfo;
  transitGatewayId?: string;
  /** For BAD_STATE: the state that stops it (`pending`, `down`, `outage`, …). */
  state?: string;
  /** The packet's destination (or source) address the component could not handle. */
  address?: string;
  /** The network interface where the packet was dropped (a security group or network ACL decision). */
  networkInterfaceId?: string;
  /** For VPC_ENDPOINT_POLICY_RESTRICTION: the request the endpoint policy refused. */
  request?: ServiceRequest;
  reason: string;
}

/** An API request carried to an AWS service (checked against VPC endpoint policies). */
export interface ServiceRequest {
  /** `s3:GetObject`. */
  action: string;
  /** `arn:aws:s3:::bucket/key`, or `*`. */
  resource: string;
}

/** Decides whether an endpoint policy lets a request through (the IAM engine, given by the caller). */
export type EndpointPolicyCheck = (policy: string, request: ServiceRequest) => { allowed: boolean; reason: string };

/** The answer to one reachability question. */
export interface ReachResult {
  reachable: boolean;
  /** Hops from source towards the destination (as far as the packet got when blocked). */
  forward: Hop[];
  /** Hops of the reply, when the forward path arrived. */
  returnPath: Hop[];
  explanations: Explanation[];
  /** Which way was blocked. */
  blockedOn?: 'forward' | 'return';
  /** The addresses the request packet carried when it left the source. */
  addresses?: { source: string; destination: string };
}
