/**
 * Direct Connect → EC2: when a Direct Connect gateway is associated with a transit gateway,
 * AWS gives that transit gateway a `direct-connect-gateway` attachment. Direct Connect says
 * what its gateways look like on the bus; EC2 keeps the attachments and a copy of the
 * gateway's uplinks (for the network engine) in each region that has an association.
 */
import { awsId } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import type { DxGatewayChanged } from '../../engines/network/dx-events.js';
import { dxGateways } from './snapshot.js';
import { stateOf } from './store.js';
import { retireAttachment } from './transit-gateways.js';
import { applyDefaults, attachments, tgws } from './tgw-store.js';

/** Applies one Direct Connect gateway change to every region of its account. */
export function applyDxChange(stores: Stores, e: DxGatewayChanged, nowMs: number): void {
  const live = e.deleted ? [] : e.associations.filter((a) => a.state === 'associated' || a.state === 'associating');
  const regions = new Set([...stores.accountsRegions('ec2').filter((x) => x.account === e.account).map((x) => x.region), ...live.map((a) => a.tgwRegion)]);
  for (const region of regions) {
    const s = stateOf(stores, e.account, region);
    const here = live.filter((a) => a.tgwRegion === region);
    if (here.length > 0) {
      dxGateways(s).set(e.dxGatewayId, {
        id: e.dxGatewayId, name: e.name, uplinks: e.uplinks,
        associations: here.map((a) => ({ tgwId: a.tgwId, allowedPrefixes: a.allowedPrefixes })),
      });
    } else if (dxGateways(s).has(e.dxGatewayId)) {
      dxGateways(s).delete(e.dxGatewayId);
    }
    const wanted = new Set(here.map((a) => a.tgwId));
    for (const att of attachments(s).values()) {
      if (att.type === 'direct-connect-gateway' && att.resourceId === e.dxGatewayId && att.state !== 'deleted' && !wanted.has(att.tgwId)) {
        retireAttachment(s, att);
      }
    }
    for (const tgwId of wanted) {
      const tgw = tgws(s).get(tgwId);
      if (tgw === undefined || tgw.state === 'deleted') continue;
      const exists = [...attachments(s).values()].some((a) => a.type === 'direct-connect-gateway' && a.resourceId === e.dxGatewayId && a.tgwId === tgwId && a.state !== 'deleted');
      if (exists) continue;
      const att = {
        id: awsId('tgw-attach'), tags: [], createdMs: nowMs, tgwId, type: 'direct-connect-gateway' as const, resourceId: e.dxGatewayId,
        resourceOwner: e.account, subnetIds: [], eniIds: [], state: 'available' as const, propagations: [],
      };
      applyDefaults(s, tgw, att);
      attachments(s).set(att.id, att);
    }
  }
}
