/**
 * VPC endpoints on a path: an endpoint policy decides whether the request the packet carries
 * may pass (the policy evaluator is handed in, so the engine stays free of IAM), and an
 * interface endpoint's ENI hands the packet on to its service — an AWS service or a
 * PrivateLink endpoint service, without any route between the two VPCs.
 */
import type { NetInterfaceEndpoint } from './topology.js';
import type { Arrival, Walker } from './walk.js';

/** Blocks when the walk carries a request and the endpoint's policy does not allow it. */
export function checkEndpointPolicy(w: Walker, endpointId: string, policy: string | undefined): void {
  const { request, endpointPolicy } = w.opts;
  // No policy is AWS's default full-access policy; no request means "any traffic", as in Reachability Analyzer.
  if (request === undefined || endpointPolicy === undefined || policy === undefined) return;
  const verdict = endpointPolicy(policy, request);
  if (!verdict.allowed) {
    w.block('VPC_ENDPOINT_POLICY_RESTRICTION', endpointId, 'vpc-endpoint',
      `the policy of VPC endpoint \`${endpointId}\` does not allow \`${request.action}\` on \`${request.resource}\`: ${verdict.reason}`, { request });
  }
}

/** From an interface endpoint's ENI to the service behind it. */
export function throughInterfaceEndpoint(w: Walker, ep: NetInterfaceEndpoint): Arrival {
  w.hop({ componentId: ep.id, type: 'vpc-endpoint', vpcId: ep.vpcId, note: ep.serviceName });
  if (ep.state !== 'available') {
    w.block('BAD_STATE', ep.id, 'vpc-endpoint', `VPC endpoint \`${ep.id}\` is \`${ep.state}\`, not available`, { vpcId: ep.vpcId, state: ep.state });
  }
  checkEndpointPolicy(w, ep.id, ep.policy);
  if (ep.serviceId === undefined) return { kind: 'service', endpointId: ep.id };
  const svc = w.ix.endpointServices.get(ep.serviceId);
  if (svc === undefined || !svc.available) {
    w.block('BAD_STATE', ep.serviceId, 'vpc-endpoint-service', `endpoint service \`${ep.serviceName}\` is not available`, { state: 'deleted' });
  }
  w.hop({ componentId: svc.id, type: 'vpc-endpoint-service', note: `${svc.serviceName} (account ${svc.account}) → ${svc.loadBalancerArns.join(', ')}` });
  return { kind: 'endpoint-service', serviceId: svc.id, endpointId: ep.id };
}
