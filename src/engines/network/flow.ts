/**
 * What flow logs would see of one flow: for every network interface the packet crossed, whether
 * it was accepted there, and REJECT at the interface whose security group or network ACL dropped
 * it. Flow logs capture at ENIs only, so hops through route tables or gateways leave no record
 * (a NAT gateway is seen at its own interface).
 */
import type { NetIndex } from './index-topology.js';
import type { Explanation, Hop, ReachResult } from './path.js';

export interface FlowObservation {
  eniId: string;
  action: 'ACCEPT' | 'REJECT';
  /** `egress` at the interface that sent the packet, `ingress` where it arrived or passed through. */
  direction: 'ingress' | 'egress';
}

/** The ENIs a traced flow's request touched and the verdict at each, in path order. */
export function observeFlow(ix: NetIndex, result: ReachResult): FlowObservation[] {
  return observe(ix, result.forward, result.blockedOn === 'forward' ? result.explanations[0] : undefined);
}

/**
 * The reply's observations: flow logs record each direction of a connection as its own flow.
 * Empty when the request never arrived; REJECT where a stateless network ACL drops the reply.
 */
export function observeReply(ix: NetIndex, result: ReachResult): FlowObservation[] {
  if (result.blockedOn === 'forward' || result.returnPath.length === 0) return [];
  return observe(ix, result.returnPath, result.blockedOn === 'return' ? result.explanations[0] : undefined);
}

function observe(ix: NetIndex, hops: Hop[], block: Explanation | undefined): FlowObservation[] {
  const out: FlowObservation[] = [];
  const add = (eniId: string | undefined, action: FlowObservation['action']) => {
    if (eniId === undefined || !ix.enis.has(eniId)) return;
    const prev = out.find((o) => o.eniId === eniId);
    if (prev !== undefined) {
      if (action === 'REJECT') prev.action = 'REJECT';
      return;
    }
    out.push({ eniId, action, direction: out.length === 0 ? 'egress' : 'ingress' });
  };
  for (const h of hops) {
    if (h.type === 'network-interface') add(h.componentId, 'ACCEPT');
    if (h.type === 'nat-gateway') add(ix.gateways.get(h.componentId)?.eniId, 'ACCEPT');
  }
  if (block?.networkInterfaceId !== undefined) add(block.networkInterfaceId, 'REJECT');
  return out;
}
