/** Hosted zones: create (public or private with a VPC), read, list, delete, comments, VPC associations, changes. */
import { AwsError } from '../../core/errors.js';
import { storedName } from '../../engines/dns/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidInput, noSuchChange } from './errors.js';
import {
  bareId, changeInfo, dropIndex, getZone, nameServersFor, newChange, r53Id, saveZone, stateOf, type Route53State, type VpcRef, type ZoneRecord,
} from './store.js';

const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function validDomainName(name: string): boolean {
  const s = name.endsWith('.') ? name.slice(0, -1) : name;
  if (s.length === 0 || s.length > 253) return false;
  return s.split('.').every((l) => l.length > 0 && l.length <= 63);
}

export function zoneOut(z: ZoneRecord): Record<string, unknown> {
  return {
    Id: `/hostedzone/${z.Id}`, Name: z.Name, CallerReference: z.CallerReference,
    Config: { ...(z.Comment !== undefined ? { Comment: z.Comment } : {}), PrivateZone: z.PrivateZone },
    ResourceRecordSetCount: z.records.length,
  };
}

function checkVpc(vpc: Record<string, unknown> | undefined): VpcRef {
  const id = String(vpc?.['VPCId'] ?? '');
  if (!VPC_ID.test(id)) throw invalidVpc();
  return { VPCId: id, VPCRegion: String(vpc?.['VPCRegion'] ?? 'us-east-1') };
}

const invalidVpc = (): AwsError => new AwsError('InvalidVPCId', 'The VPC ID is invalid.', 400);

/** The VPC must exist in the caller's account, in its Region (asked of Drydock's EC2, as the caller). */
async function checkVpcExists(ctx: ServiceContext, vpc: VpcRef): Promise<void> {
  try {
    await ctx.call({ service: 'ec2', operation: 'DescribeVpcs', input: { VpcIds: [vpc.VPCId] }, region: vpc.VPCRegion, json: true });
  } catch (e) {
    if (/^InvalidVpcID/.test((e as { code?: string }).code ?? '')) throw invalidVpc();
    throw e;
  }
}

export const createHostedZone: Handler = async (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const ref = String(input['CallerReference']);
  if ([...state.zones.values()].some((z) => z.CallerReference === ref)) {
    throw new AwsError('HostedZoneAlreadyExists', 'A hosted zone has already been created with the specified caller reference.', 409);
  }
  const raw = String(input['Name']);
  if (!validDomainName(raw)) throw new AwsError('InvalidDomainName', `${raw} is not a valid domain name.`, 400);
  const config = input['HostedZoneConfig'] as Record<string, unknown> | undefined;
  const vpcIn = input['VPC'] as Record<string, unknown> | undefined;
  if (config?.['PrivateZone'] === true && !vpcIn) {
    throw invalidInput('When you\'re creating a private hosted zone (when you specify true for PrivateZone), you must also specify values for VPCId and VPCRegion.');
  }
  const vpc = vpcIn ? checkVpc(vpcIn) : undefined;
  if (vpc) await checkVpcExists(ctx, vpc);
  let nameServers: string[] | undefined;
  const dsId = input['DelegationSetId'] === undefined ? undefined : bareId(String(input['DelegationSetId']), 'delegationset');
  if (dsId !== undefined) {
    const ds = state.delegationSets.get(dsId);
    if (!ds) throw new AwsError('NoSuchDelegationSet', `Delegation set ${dsId} does not exist.`, 400);
    nameServers = ds.NameServers;
  }
  const id = r53Id('Z', 21);
  nameServers ??= nameServersFor(id);
  const name = storedName(raw);
  const zone: ZoneRecord = {
    Id: id, Name: name, CallerReference: ref, Comment: config?.['Comment'] as string | undefined, PrivateZone: vpc !== undefined,
    VPCs: vpc ? [vpc] : [], NameServers: nameServers, DelegationSetId: dsId, createdMs: ctx.clock.nowMs(), tags: {},
    records: [
      { Name: name, Type: 'NS', TTL: 172800, ResourceRecords: nameServers.map((n) => ({ Value: `${n}.` })) },
      { Name: name, Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: `${nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }] },
    ],
  };
  saveZone(state, zone);
  return {
    HostedZone: zoneOut(zone), ChangeInfo: newChange(state, ctx.clock.nowMs()),
    ...(vpc ? { VPC: vpc } : { DelegationSet: delegationSetOut(zone) }),
    Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${id}`,
  };
};

function delegationSetOut(z: ZoneRecord): Record<string, unknown> {
  return { ...(z.DelegationSetId ? { Id: `/delegationset/${z.DelegationSetId}` } : {}), NameServers: z.NameServers };
}

export const getHostedZone: Handler = (input, ctx) => {
  const z = getZone(stateOf(ctx.stores, ctx.account), input['Id']);
  return { HostedZone: zoneOut(z), ...(z.PrivateZone ? { VPCs: z.VPCs } : { DelegationSet: delegationSetOut(z) }) };
};

export const getHostedZoneCount: Handler = (_input, ctx) => ({ HostedZoneCount: stateOf(ctx.stores, ctx.account).zones.size });

function maxItems(v: unknown, dflt = 100): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw invalidInput(`1 validation error detected: Value '${String(v)}' at 'maxItems' failed to satisfy constraint: Member must be greater than or equal to 1`);
  return Math.min(n, dflt);
}

export const listHostedZones: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const max = maxItems(input['MaxItems']);
  let zones = [...state.zones.values()];
  if (input['HostedZoneType'] === 'PrivateHostedZone') zones = zones.filter((z) => z.PrivateZone);
  if (input['DelegationSetId'] !== undefined) zones = zones.filter((z) => z.DelegationSetId === bareId(String(input['DelegationSetId']), 'delegationset'));
  const marker = input['Marker'] as string | undefined;
  const start = marker === undefined ? 0 : Math.max(0, zones.findIndex((z) => z.Id === marker));
  const page = zones.slice(start, start + max);
  const next = zones[start + max];
  return {
    HostedZones: page.map(zoneOut), ...(marker !== undefined ? { Marker: marker } : {}), IsTruncated: next !== undefined,
    ...(next ? { NextMarker: next.Id } : {}), MaxItems: max,
  };
};

/** Route 53 orders zones by name with the labels reversed (`com.example.`), then by id. */
const reversed = (n: string): string => n.split('.').reverse().join('.');

export const listHostedZonesByName: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const max = maxItems(input['MaxItems']);
  const zones = [...state.zones.values()].sort((a, b) => reversed(a.Name).localeCompare(reversed(b.Name)) || a.Id.localeCompare(b.Id));
  const dns = input['DNSName'] === undefined ? undefined : storedName(String(input['DNSName']));
  const zid = input['HostedZoneId'] === undefined ? undefined : bareId(String(input['HostedZoneId']), 'hostedzone');
  if (zid !== undefined && dns === undefined) throw invalidInput('The input is not valid: HostedZoneId requires DNSName.');
  let start = dns === undefined ? 0 : zones.findIndex((z) => reversed(z.Name) >= reversed(dns) && (zid === undefined || z.Name !== dns || z.Id >= zid));
  if (start < 0) start = zones.length;
  const page = zones.slice(start, start + max);
  const next = zones[start + max];
  return {
    HostedZones: page.map(zoneOut), ...(dns ? { DNSName: dns } : {}), ...(zid ? { HostedZoneId: zid } : {}), IsTruncated: next !== undefined,
    ...(next ? { NextDNSName: next.Name, NextHostedZoneId: next.Id } : {}), MaxItems: max,
  };
};

export const listHostedZonesByVPC: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const vpc = checkVpc(input);
  const max = maxItems(input['MaxItems']);
  const all = [...state.zones.values()].filter((z) => z.VPCs.some((v) => v.VPCId === vpc.VPCId));
  const start = input['NextToken'] === undefined ? 0 : Number(input['NextToken']) || 0;
  const page = all.slice(start, start + max);
  return {
    HostedZoneSummaries: page.map((z) => ({ HostedZoneId: z.Id, Name: z.Name, Owner: { OwningAccount: ctx.account } })),
    MaxItems: max, ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
  };
};

export const deleteHostedZone: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const z = getZone(state, input['Id']);
  if (z.records.some((r) => !(r.Name === z.Name && (r.Type === 'NS' || r.Type === 'SOA')))) {
    throw new AwsError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets  and so cannot be deleted.', 400);
  }
  state.zones.delete(z.Id);
  dropIndex(state);
  return { ChangeInfo: newChange(state, ctx.clock.nowMs()) };
};

export const updateHostedZoneComment: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const z = getZone(state, input['Id']);
  z.Comment = input['Comment'] as string | undefined;
  saveZone(state, z);
  return { HostedZone: zoneOut(z) };
};

export const getChange: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const id = bareId(String(input['Id']), 'change');
  const c = state.changes.get(id);
  if (!c) throw noSuchChange(id);
  return { ChangeInfo: changeInfo(c, ctx.clock.nowMs()) };
};

/** The zone for a VPC association: the caller's own, or another account's that authorized this VPC. */
function zoneForAssociation(ctx: ServiceContext, id: unknown, vpc: VpcRef): { state: Route53State; zone: ZoneRecord } {
  const own = stateOf(ctx.stores, ctx.account);
  const zid = bareId(String(id), 'hostedzone');
  if (own.zones.has(zid)) return { state: own, zone: own.zones.get(zid)! };
  for (const { account } of ctx.stores.accountsRegions('route53')) {
    const s = stateOf(ctx.stores, account);
    const z = s.zones.get(zid) as (ZoneRecord & { authorized?: VpcRef[] }) | undefined;
    if (!z) continue;
    if (z.authorized?.some((v) => v.VPCId === vpc.VPCId)) return { state: s, zone: z };
    throw new AwsError('NotAuthorizedException', 'The VPC has not been authorized to associate with your hosted zone.', 401);
  }
  return { state: own, zone: getZone(own, id) };
}

export const associateVpc: Handler = async (input, ctx) => {
  const vpc = checkVpc(input['VPC'] as Record<string, unknown>);
  await checkVpcExists(ctx, vpc);
  const { state, zone } = zoneForAssociation(ctx, input['HostedZoneId'], vpc);
  if (!zone.PrivateZone) throw new AwsError('PublicZoneVPCAssociation', 'Public hosted zones cannot be associated with VPCs.', 400);
  if (zone.VPCs.some((v) => v.VPCId === vpc.VPCId)) {
    throw new AwsError('ConflictingDomainExists', `The VPC ${vpc.VPCId} in ${vpc.VPCRegion} region has already been associated with the hosted zone ${zone.Id} with the same domain name.`, 400);
  }
  zone.VPCs.push(vpc);
  saveZone(state, zone);
  return { ChangeInfo: newChange(state, ctx.clock.nowMs(), input['Comment'] as string | undefined) };
};

export const disassociateVpc: Handler = (input, ctx) => {
  const vpc = checkVpc(input['VPC'] as Record<string, unknown>);
  const { state, zone } = zoneForAssociation(ctx, input['HostedZoneId'], vpc);
  if (!zone.VPCs.some((v) => v.VPCId === vpc.VPCId)) throw new AwsError('VPCAssociationNotFound', 'The specified VPC and hosted zone are not currently associated.', 404);
  if (zone.VPCs.length === 1) {
    throw new AwsError('LastVPCAssociation', 'The VPC that you\'re trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone. Amazon Route 53 doesn\'t support disassociating the last VPC from a hosted zone.', 400);
  }
  zone.VPCs = zone.VPCs.filter((v) => v.VPCId !== vpc.VPCId);
  saveZone(state, zone);
  return { ChangeInfo: newChange(state, ctx.clock.nowMs(), input['Comment'] as string | undefined) };
};

/** Cross-account association: the zone's owner authorizes another account's VPC. */
export const createVpcAuthorization: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const zone = getZone(state, input['HostedZoneId']) as ZoneRecord & { authorized?: VpcRef[] };
  const vpc = checkVpc(input['VPC'] as Record<string, unknown>);
  zone.authorized = [...(zone.authorized ?? []).filter((v) => v.VPCId !== vpc.VPCId), vpc];
  saveZone(state, zone);
  return { HostedZoneId: zone.Id, VPC: vpc };
};

export const deleteVpcAuthorization: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const zone = getZone(state, input['HostedZoneId']) as ZoneRecord & { authorized?: VpcRef[] };
  const vpc = checkVpc(input['VPC'] as Record<string, unknown>);
  if (!zone.authorized?.some((v) => v.VPCId === vpc.VPCId)) {
    throw new AwsError('VPCAssociationAuthorizationNotFound', `The VPC ${vpc.VPCId} has not been authorized to associate with your hosted zone.`, 404);
  }
  zone.authorized = zone.authorized.filter((v) => v.VPCId !== vpc.VPCId);
  saveZone(state, zone);
  return {};
};

export const listVpcAuthorizations: Handler = (input, ctx) => {
  const zone = getZone(stateOf(ctx.stores, ctx.account), input['HostedZoneId']) as ZoneRecord & { authorized?: VpcRef[] };
  return { HostedZoneId: zone.Id, VPCs: zone.authorized ?? [] };
};
