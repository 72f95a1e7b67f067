/** DescribeRegions and DescribeAvailabilityZones: the regions Drydock serves and their zones. */
import type { Handler } from '../types.js';
import { describe } from './describe.js';
import { invalidParam } from './errors.js';

const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];

// us-east-1's zone letters map to these zone ids in the account AWS recorded; other regions map in order.
const USE1_IDS = ['use1-az6', 'use1-az1', 'use1-az2', 'use1-az4', 'use1-az3', 'use1-az5'];

const DIRS: Record<string, string> = {
  northeast: 'ne', southeast: 'se', northwest: 'nw', southwest: 'sw', central: 'c', north: 'n', south: 's', east: 'e', west: 'w',
};

export interface Zone { name: string; id: string }

/** The availability zones of `region` (us-east-1 has six, others three). */
export function zonesOf(region: string): Zone[] {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  const [area = '', dir = '', n = ''] = region.split('-');
  const short = `${area}${DIRS[dir] ?? dir[0] ?? ''}${n}`;
  return [...letters].map((l, i) => ({
    name: `${region}${l}`,
    id: region === 'us-east-1' ? USE1_IDS[i]! : `${short}-az${i + 1}`,
  }));
}

export const describeAvailabilityZones: Handler = (input, ctx) => {
  const zones = zonesOf(ctx.region);
  const names = Array.isArray(input['ZoneNames']) ? (input['ZoneNames'] as string[]) : [];
  const ids = Array.isArray(input['ZoneIds']) ? (input['ZoneIds'] as string[]) : [];
  for (const n of names) if (!zones.some((z) => z.name === n)) throw invalidParam(`The zone '${n}' does not exist.`);
  for (const n of ids) if (!zones.some((z) => z.id === n)) throw invalidParam(`The zone id '${n}' does not exist.`);
  const picked = zones.filter((z) => (names.length === 0 && ids.length === 0) || names.includes(z.name) || ids.includes(z.id));
  const page = describe({
    items: picked, idOf: (z) => z.name, tagsOf: () => [], notFound: () => invalidParam('unexpected'),
    fields: {
      'zone-name': (z) => z.name, 'zone-id': (z) => z.id, 'region-name': () => ctx.region, state: () => 'available',
      'zone-type': () => 'availability-zone', 'group-name': () => `${ctx.region}-zg-1`, 'opt-in-status': () => 'opt-in-not-required',
    },
    filters: input['Filters'],
  });
  return {
    AvailabilityZones: page.items.map((z) => ({
      State: 'available', OptInStatus: 'opt-in-not-required', Messages: [], RegionName: ctx.region, ZoneName: z.name,
      ZoneId: z.id, GroupName: `${ctx.region}-zg-1`, NetworkBorderGroup: ctx.region, ZoneType: 'availability-zone',
    })),
  };
};

export const describeRegions: Handler = (input) => {
  const names = Array.isArray(input['RegionNames']) ? (input['RegionNames'] as string[]) : [];
  for (const n of names) if (!REGIONS.includes(n)) throw invalidParam(`Invalid region names: [${n}]`);
  const page = describe({
    items: names.length > 0 ? names : REGIONS, idOf: (r) => r, tagsOf: () => [], notFound: () => invalidParam('unexpected'),
    fields: { 'region-name': (r) => r, endpoint: (r) => `ec2.${r}.amazonaws.com`, 'opt-in-status': () => 'opt-in-not-required' },
    filters: input['Filters'],
  });
  return { Regions: page.items.map((r) => ({ RegionName: r, Endpoint: `ec2.${r}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })) };
};
