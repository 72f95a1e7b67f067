/** CIDR collections for IP-based routing: create, change locations and blocks (versioned), list, delete. */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { parseCidr } from '../../engines/dns/index.js';
import type { Handler } from '../types.js';
import { stateOf, type CidrCollectionRecord, type Route53State } from './store.js';

const noSuch = (): AwsError => new AwsError('NoSuchCidrCollectionException', 'The CIDR collection you specified, doesn\'t exist.', 404);

function getCollection(state: Route53State, id: unknown): CidrCollectionRecord {
  const c = state.cidrCollections.get(String(id));
  if (!c) throw noSuch();
  return c;
}

const summary = (c: CidrCollectionRecord) => ({ Arn: `arn:aws:route53:::cidrcollection/${c.Id}`, Id: c.Id, Name: c.Name, Version: c.Version });

export const createCidrCollection: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const name = String(input['Name']);
  const ref = String(input['CallerReference']);
  const prior = [...state.cidrCollections.values()].find((c) => c.Name === name);
  if (prior) throw new AwsError('CidrCollectionAlreadyExistsException', `A CIDR collection with the name ${name} already exists.`, 400);
  const c: CidrCollectionRecord = { Id: randomUUID(), Name: name, CallerReference: ref, Version: 1, locations: {} };
  state.cidrCollections.set(c.Id, c);
  return { Collection: summary(c), Location: `https://route53.amazonaws.com/2013-04-01/cidrcollection/${c.Id}` };
};

export const changeCidrCollection: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const c = getCollection(state, input['Id']);
  if (input['CollectionVersion'] !== undefined && Number(input['CollectionVersion']) !== c.Version) {
    throw new AwsError('CidrCollectionVersionMismatchException', 'The CIDR collection version you provided, doesn\'t match the one in the ListCidrCollections operation.', 409);
  }
  const locations = structuredClone(c.locations);
  for (const ch of (input['Changes'] as { LocationName: string; Action: string; CidrList: string[] }[]) ?? []) {
    for (const cidr of ch.CidrList ?? []) {
      if (!parseCidr(cidr)) throw new AwsError('InvalidInput', `Invalid request: ${cidr} is not a valid CIDR block.`, 400);
    }
    const blocks = new Set(locations[ch.LocationName] ?? []);
    if (ch.Action === 'PUT') for (const b of ch.CidrList) blocks.add(b);
    else {
      if (!locations[ch.LocationName]) throw new AwsError('NoSuchCidrLocationException', 'The CIDR collection location doesn\'t match any location in your account.', 404);
      for (const b of ch.CidrList) blocks.delete(b);
    }
    if (blocks.size) locations[ch.LocationName] = [...blocks]; else delete locations[ch.LocationName];
  }
  c.locations = locations;
  c.Version++;
  state.cidrCollections.set(c.Id, c);
  return { Id: c.Id };
};

export const listCidrCollections: Handler = (_input, ctx) => ({ CidrCollections: [...stateOf(ctx.stores, ctx.account).cidrCollections.values()].map(summary) });

export const listCidrLocations: Handler = (input, ctx) => {
  const c = getCollection(stateOf(ctx.stores, ctx.account), input['CollectionId']);
  return { CidrLocations: Object.keys(c.locations).map((LocationName) => ({ LocationName })) };
};

export const listCidrBlocks: Handler = (input, ctx) => {
  const c = getCollection(stateOf(ctx.stores, ctx.account), input['CollectionId']);
  const only = input['LocationName'] as string | undefined;
  return { CidrBlocks: Object.entries(c.locations).filter(([l]) => only === undefined || l === only).flatMap(([LocationName, cidrs]) => cidrs.map((CidrBlock) => ({ CidrBlock, LocationName }))) };
};

export const deleteCidrCollection: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const c = getCollection(state, input['Id']);
  if (Object.keys(c.locations).length) throw new AwsError('CidrCollectionInUseException', 'This CIDR collection is in use, and isn\'t empty.', 400);
  state.cidrCollections.delete(c.Id);
  return {};
};
