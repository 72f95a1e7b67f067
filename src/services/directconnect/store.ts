/**
 * Direct Connect state: connections, LAGs and virtual interfaces per account × region;
 * Direct Connect gateways and their associations per account (they are global). States that
 * move with time (a new connection being provisioned) are derived from the clock when read,
 * and a connection under an injected `dx-link-down` fault reads `down`.
 */
import { AwsError } from '../../core/errors.js';
import { randomHex } from '../../core/ids.js';
import type { FaultRegistry } from '../../core/faults.js';
import type { Collection, Stores } from '../../core/store.js';

export interface DxTag { key: string; value?: string }

export interface ConnectionRecord {
  id: string;
  name: string;
  location: string;
  bandwidth: string;
  lagId?: string;
  createdMs: number;
  deleted: boolean;
  tags: DxTag[];
  providerName?: string;
}

export interface LagRecord {
  id: string;
  name: string;
  location: string;
  bandwidth: string;
  minimumLinks: number;
  createdMs: number;
  deleted: boolean;
  tags: DxTag[];
}

export interface VifRecord {
  id: string;
  type: 'private' | 'transit';
  name: string;
  /** A connection (`dxcon-`) or a LAG (`dxlag-`). */
  connectionId: string;
  vlan: number;
  asn: number;
  mtu: number;
  amazonAddress: string;
  customerAddress: string;
  addressFamily: string;
  authKey: string;
  directConnectGatewayId?: string;
  virtualGatewayId?: string;
  region: string;
  deleted: boolean;
  tags: DxTag[];
}

export interface DxGatewayRecord {
  id: string;
  name: string;
  asn: number;
  deleted: boolean;
  tags: DxTag[];
}

export interface AssociationRecord {
  id: string;
  dxGatewayId: string;
  gatewayId: string;
  gatewayRegion: string;
  gatewayOwner: string;
  allowedPrefixes: string[];
  createdMs: number;
}

export interface DxRegional {
  connections: Collection<ConnectionRecord>;
  lags: Collection<LagRecord>;
  vifs: Collection<VifRecord>;
}

export interface DxGlobal {
  gateways: Collection<DxGatewayRecord>;
  associations: Collection<AssociationRecord>;
}

export function regional(stores: Stores, account: string, region: string): DxRegional {
  return stores.scope('directconnect', account, region, (c) => ({
    connections: c.collection('connections'), lags: c.collection('lags'), vifs: c.collection('vifs'),
  }));
}

/** Gateways are global: kept in the account's scope with region `global`. */
export function global(stores: Stores, account: string): DxGlobal {
  return stores.scope('directconnect', account, 'global', (c) => ({ gateways: c.collection('gateways'), associations: c.collection('associations') }));
}

/** Every region of the account with Direct Connect state (not the global scope). */
export function regionsOf(stores: Stores, account: string): string[] {
  return stores.accountsRegions('directconnect').filter((x) => x.account === account && x.region !== 'global').map((x) => x.region);
}

/** `dxcon-` and friends: eight lower-case alphanumerics, as AWS issues them. */
export function dxId(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const hex = randomHex(16);
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return `${prefix}-${out}`;
}

export function clientError(message: string): AwsError {
  return new AwsError('DirectConnectClientException', message, 400);
}

// A new dedicated connection is provisioned in steps AWS takes days for; Drydock takes minutes.
export const PENDING_AFTER_MS = 60_000;
export const AVAILABLE_AFTER_MS = 300_000;

/** A connection's state now: requested → pending → available on the clock; `down` under a fault. */
export function connectionState(c: ConnectionRecord, nowMs: number, faults: FaultRegistry): string {
  if (c.deleted) return 'deleted';
  const age = nowMs - c.createdMs;
  if (age < PENDING_AFTER_MS) return 'requested';
  if (age < AVAILABLE_AFTER_MS) return 'pending';
  return faults.linkDown(c.id) ? 'down' : 'available';
}

/** A LAG is down when fewer than its minimum links (at least one) are available. */
export function lagState(l: LagRecord, members: ConnectionRecord[], nowMs: number, faults: FaultRegistry): string {
  if (l.deleted) return 'deleted';
  const states = members.map((c) => connectionState(c, nowMs, faults));
  if (states.length > 0 && states.every((s) => s === 'requested')) return 'requested';
  if (states.some((s) => s === 'pending') && !states.some((s) => s === 'available')) return 'pending';
  const up = states.filter((s) => s === 'available').length;
  return up >= Math.max(1, l.minimumLinks) ? 'available' : 'down';
}

export const DEDICATED = ['1Gbps', '10Gbps', '100Gbps', '400Gbps'];

export const LOCATIONS: Record<string, { name: string; region: string }> = {
  EqDC2: { name: 'Equinix DC1 - DC6, DC10-11, Ashburn, VA', region: 'us-east-1' },
  CSVA1: { name: 'CoreSite VA1, Reston, VA', region: 'us-east-1' },
  EqSE2: { name: 'Equinix SE2, Seattle, WA', region: 'us-west-2' },
  EqLD5: { name: 'Equinix LD5, London, United Kingdom', region: 'eu-west-2' },
  EqFA5: { name: 'Equinix FR5, Frankfurt, Germany', region: 'eu-central-1' },
  TCSH: { name: 'Telehouse Docklands, London, United Kingdom', region: 'eu-west-2' },
  EIDC1: { name: 'Eircom Clonshaugh, Dublin, Ireland', region: 'eu-west-1' },
};

/** The tag whose value lists the on-premises networks behind a VIF (Drydock's model of BGP routes). */
export const ON_PREM_TAG = 'drydock:on-prem-cidrs';
