/**
 * Tells EC2 (over the internal bus) what a Direct Connect gateway looks like now: the uplinks
 * to on-premises (each VIF with the connections under it, a LAG's minimum links, and the
 * networks advertised over it) and its transit gateway associations. Published after every
 * change and again when a connection comes up on the clock.
 */
import '../../engines/network/dx-events.js';
import { parseCidr } from '../../engines/network/cidr.js';
import type { NetDxUplink } from '../../engines/network/topology.js';
import type { Clock } from '../../core/clock.js';
import type { EventBus } from '../../core/event-bus.js';
import type { Stores } from '../../core/store.js';
import { AVAILABLE_AFTER_MS, global, ON_PREM_TAG, regional, regionsOf, type VifRecord } from './store.js';

export interface PublishDeps { stores: Stores; bus: EventBus; clock: Clock }

/** The on-premises networks a VIF's tag lists (space- or comma-separated CIDRs; others ignored). */
export function onPremCidrs(v: VifRecord): string[] {
  const raw = v.tags.find((t) => t.key === ON_PREM_TAG)?.value ?? '';
  return raw.split(/[\s,]+/).filter((c) => c !== '' && parseCidr(c) !== undefined);
}

function uplinksOf(d: PublishDeps, account: string, dxGatewayId: string): NetDxUplink[] {
  const now = d.clock.nowMs();
  const out: NetDxUplink[] = [];
  for (const region of regionsOf(d.stores, account)) {
    const r = regional(d.stores, account, region);
    for (const v of r.vifs.values()) {
      if (v.deleted || v.directConnectGatewayId !== dxGatewayId) continue;
      const lag = v.connectionId.startsWith('dxlag-') ? r.lags.get(v.connectionId) : undefined;
      const members = lag ? [...r.connections.values()].filter((c) => c.lagId === lag.id && !c.deleted) : [r.connections.get(v.connectionId)].filter((c) => c !== undefined && !c.deleted);
      // Provisioning (not faults: the engine reads those live) decides whether the link exists yet.
      const provisioned = members.some((c) => c !== undefined && now - c.createdMs >= AVAILABLE_AFTER_MS) && !(lag?.deleted ?? false);
      out.push({
        vifId: v.id, connectionIds: members.map((c) => c!.id), minimumLinks: lag?.minimumLinks ?? 1, lagId: lag?.id,
        available: provisioned, onPremCidrs: onPremCidrs(v),
      });
    }
  }
  return out;
}

/** Publishes the current view of one gateway. */
export function publishGateway(d: PublishDeps, account: string, dxGatewayId: string): void {
  const g = global(d.stores, account);
  const gw = g.gateways.get(dxGatewayId);
  if (gw === undefined) return;
  d.bus.publish('directconnect:gateway-changed', {
    account, region: 'global', dxGatewayId, name: gw.name, deleted: gw.deleted,
    uplinks: gw.deleted ? [] : uplinksOf(d, account, dxGatewayId),
    associations: [...g.associations.values()].filter((a) => a.dxGatewayId === dxGatewayId).map((a) => ({
      associationId: a.id, tgwId: a.gatewayId, tgwRegion: a.gatewayRegion, allowedPrefixes: a.allowedPrefixes, state: 'associated' as const,
    })),
  });
}

/** Publishes every gateway that a connection or LAG carries VIFs for. */
export function publishForLink(d: PublishDeps, account: string, region: string, linkId: string): void {
  const r = regional(d.stores, account, region);
  const lagId = r.connections.get(linkId)?.lagId;
  const gateways = new Set<string>();
  for (const v of r.vifs.values()) {
    if ((v.connectionId === linkId || v.connectionId === lagId) && v.directConnectGatewayId) gateways.add(v.directConnectGatewayId);
  }
  for (const id of gateways) publishGateway(d, account, id);
}

/** When a new connection becomes available, its gateways are republished (so EC2 sees the link up). */
export function publishWhenProvisioned(d: PublishDeps, account: string, region: string, linkId: string, createdMs: number): void {
  const wait = createdMs + AVAILABLE_AFTER_MS - d.clock.nowMs();
  d.clock.setTimer(() => publishForLink(d, account, region, linkId), Math.max(0, wait));
}
