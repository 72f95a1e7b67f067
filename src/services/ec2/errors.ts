/** EC2's errors, with the codes and message forms EC2 uses (all HTTP 400). */
import { AwsError } from '../../core/errors.js';

/** `InvalidVpcID.NotFound`-style: "The vpc ID 'vpc-…' does not exist". */
export function notFound(code: string, noun: string, id: string): AwsError {
  return new AwsError(code, `The ${noun} ID '${id}' does not exist`, 400);
}

export const vpcNotFound = (id: string) => notFound('InvalidVpcID.NotFound', 'vpc', id);
export const subnetNotFound = (id: string) => notFound('InvalidSubnetID.NotFound', 'subnet', id);
export const routeTableNotFound = (id: string) => notFound('InvalidRouteTableID.NotFound', 'routeTable', id);
export const igwNotFound = (id: string) => notFound('InvalidInternetGatewayID.NotFound', 'internetGateway', id);
export const eigwNotFound = (id: string) => notFound('InvalidGatewayID.NotFound', 'gateway', id);
export const aclNotFound = (id: string) => notFound('InvalidNetworkAclID.NotFound', 'network acl', id);
export const eniNotFound = (id: string) => notFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface', id);
export const allocationNotFound = (id: string) => new AwsError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`, 400);
export const natNotFound = (id: string) => new AwsError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`, 400);
export const groupNotFound = (id: string) => new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);

/**
 * The record an id names, or the not-found error for it. An id that is not a string names
 * nothing; `live` turns away records kept after deletion (state `deleted`).
 */
export function found<V>(c: { get(id: string): V | undefined }, id: unknown, missing: (id: string) => AwsError, live?: (v: V) => boolean): V {
  const v = typeof id === 'string' ? c.get(id) : undefined;
  if (v === undefined || (live !== undefined && !live(v))) throw missing(String(id));
  return v;
}

export function invalidParam(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, 400);
}

export function missingParam(name: string): AwsError {
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
}

export function dependency(noun: string, id: string): AwsError {
  return new AwsError('DependencyViolation', `The ${noun} '${id}' has dependencies and cannot be deleted.`, 400);
}

/** Transit gateway family: "Transit Gateway tgw-… was deleted or does not exist." */
export function tgwNotFound(code: string, noun: string, id: string): AwsError {
  return new AwsError(code, `${noun} ${id} was deleted or does not exist.`, 400);
}
