/**
 * The one fact Direct Connect tells EC2: what a Direct Connect gateway looks like now (its
 * uplinks to on-premises and its transit gateway associations). Declared here, beside the
 * topology types it carries, so that both services share it without importing each other.
 */
import type { BusEvent } from '../../core/event-bus.js';
import type { NetDxUplink } from './topology.js';

/** A Direct Connect gateway association with a transit gateway. */
export interface DxTgwAssociation {
  associationId: string;
  tgwId: string;
  /** The transit gateway's region (associations reach any region). */
  tgwRegion: string;
  allowedPrefixes: string[];
  state: 'associating' | 'associated' | 'disassociating' | 'disassociated';
}

/** Published by Direct Connect whenever a gateway, its VIFs, links or associations change. */
export interface DxGatewayChanged extends BusEvent {
  dxGatewayId: string;
  name: string;
  deleted: boolean;
  uplinks: NetDxUplink[];
  associations: DxTgwAssociation[];
}

declare module '../../core/event-bus.js' {
  interface BusTopics {
    'directconnect:gateway-changed': DxGatewayChanged;
  }
}
