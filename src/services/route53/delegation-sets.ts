/** Reusable delegation sets: one set of four name servers that several hosted zones share. */
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import { bareId, markerPage, nameServersFor, r53Id, stateOf, type DelegationSetRecord } from './store.js';

const out = (d: DelegationSetRecord) => ({ Id: `/delegationset/${d.Id}`, CallerReference: d.CallerReference, NameServers: d.NameServers });

export const createDelegationSet: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const ref = String(input['CallerReference']);
  if ([...state.delegationSets.values()].some((d) => d.CallerReference === ref)) {
    throw new AwsError('DelegationSetAlreadyCreated', 'A delegation set with the same owner and caller reference combination has already been created.', 400);
  }
  let nameServers: string[] | undefined;
  if (input['HostedZoneId'] !== undefined) {
    const zone = state.zones.get(bareId(String(input['HostedZoneId']), 'hostedzone'));
    if (!zone) throw new AwsError('HostedZoneNotFound', 'The specified HostedZone can\'t be found.', 400);
    if (zone.PrivateZone) throw new AwsError('DelegationSetNotAvailable', 'Private hosted zones have no delegation set to reuse.', 400);
    nameServers = zone.NameServers;
  }
  const id = r53Id('N', 20);
  const d: DelegationSetRecord = { Id: id, CallerReference: ref, NameServers: nameServers ?? nameServersFor(id) };
  state.delegationSets.set(id, d);
  return { DelegationSet: out(d), Location: `https://route53.amazonaws.com/2013-04-01/delegationset/${id}` };
};

function getSet(input: Record<string, unknown>, ctx: Parameters<Handler>[1]): DelegationSetRecord {
  const id = bareId(String(input['Id']), 'delegationset');
  const d = stateOf(ctx.stores, ctx.account).delegationSets.get(id);
  if (!d) throw new AwsError('NoSuchDelegationSet', `A reusable delegation set with the specified ID does not exist: ${id}`, 400);
  return d;
}

export const getDelegationSet: Handler = (input, ctx) => ({ DelegationSet: out(getSet(input, ctx)) });

export const listDelegationSets: Handler = (input, ctx) => {
  const p = markerPage([...stateOf(ctx.stores, ctx.account).delegationSets.values()], (d) => d.Id, input);
  return { DelegationSets: p.page.map(out), Marker: p.marker ?? '', IsTruncated: p.next !== undefined, ...(p.next ? { NextMarker: p.next.Id } : {}), MaxItems: p.max };
};

export const deleteDelegationSet: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const d = getSet(input, ctx);
  if ([...state.zones.values()].some((z) => z.DelegationSetId === d.Id)) {
    throw new AwsError('DelegationSetInUse', 'The specified delegation contains associated hosted zones which must be deleted before the reusable delegation set can be deleted.', 400);
  }
  state.delegationSets.delete(d.Id);
  return {};
};
