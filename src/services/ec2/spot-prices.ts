/**
 * Spot prices on the clock, and DescribeSpotPriceHistory.
 *
 * Where the numbers come from: each type's us-east-1 Linux on-demand price (AWS's public EC2
 * pricing page, see instance-types.ts) times a per-family Spot discount in the range AWS's
 * Spot Instance Advisor shows for these families (60–70 % off), moved by at most ±5 % per
 * zone and hour by a hash of (zone, type, hour) so prices differ between zones, change on the
 * hour, and are the same for every run. Windows adds the on-demand Windows licence share
 * ($0.046 per vCPU-hour, which Spot does not discount). These are plausible, not live, prices.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import { describe } from './describe.js';
import { invalidParam } from './errors.js';
import { dryRun } from './instances-common.js';
import { INSTANCE_TYPES, instanceTypeInfo } from './instance-types.js';
import { zonesOf } from './regions.js';

const DISCOUNT: Record<string, number> = { t3: 0.32, t4g: 0.3, m5: 0.38, m7g: 0.35, c6i: 0.36, r6i: 0.33, m1: 0.4 };
const HOUR = 3_600_000;
export const PRODUCTS = ['Linux/UNIX', 'Windows'] as const;

/** The Spot price (USD per hour) of a type in a zone during the hour that contains `ms`. */
export function spotPrice(type: string, az: string, ms: number, product: string = 'Linux/UNIX'): number {
  const t = instanceTypeInfo(type);
  if (t === undefined) return 0;
  const hour = Math.floor(ms / HOUR);
  const h = createHash('sha256').update(`${az}/${type}/${hour}`).digest().readUInt16BE(0) / 0xffff;
  const linux = t.onDemandUsd * (DISCOUNT[type.split('.')[0]!] ?? 0.4) * (0.95 + 0.1 * h);
  const price = product.startsWith('Windows') ? linux + 0.046 * t.vcpus : linux;
  return Math.round(price * 10_000) / 10_000;
}

export const priceText = (n: number) => n.toFixed(6);

/** A launch's MaxPrice against the current price: AWS refuses a launch that could not run now. */
export function checkSpotPrice(maxPrice: unknown, type: string, az: string, nowMs: number): void {
  if (maxPrice === undefined) return;
  const max = Number(maxPrice);
  if (!Number.isFinite(max) || max <= 0) throw invalidParam(`Value (${String(maxPrice)}) for parameter price is invalid.`);
  const now = spotPrice(type, az, nowMs);
  if (max < now) {
    throw new AwsError('SpotMaxPriceTooLow', `Your Spot request price of ${String(maxPrice)} is lower than the minimum required Spot request fulfillment price of ${now}.`, 400);
  }
}

interface PriceRow { type: string; az: string; product: string; price: number; at: number }

export const describeSpotPriceHistory: Handler = (input, ctx) => {
  dryRun(input);
  const now = ctx.clock.nowMs();
  const types = Array.isArray(input['InstanceTypes']) && (input['InstanceTypes'] as string[]).length ? (input['InstanceTypes'] as string[]) : INSTANCE_TYPES.map((t) => t.name);
  const products = Array.isArray(input['ProductDescriptions']) && (input['ProductDescriptions'] as string[]).length ? (input['ProductDescriptions'] as string[]) : [...PRODUCTS];
  const zones = zonesOf(ctx.region).filter((z) => input['AvailabilityZone'] === undefined || z.name === input['AvailabilityZone']);
  const end = Math.min(input['EndTime'] instanceof Date ? input['EndTime'].getTime() : now, now);
  // Without StartTime AWS answers the price in force now; with one, every hourly change since.
  const start = input['StartTime'] instanceof Date ? input['StartTime'].getTime() : end;
  if (start > end) throw invalidParam('The start time must be before the end time.');
  const first = Math.max(Math.floor(start / HOUR), Math.floor(end / HOUR) - 24 * 90);
  const rows: PriceRow[] = [];
  // Newest first, bounded so a wide window over every type stays a quick answer.
  for (let hour = Math.floor(end / HOUR); hour >= first && rows.length < 20_000; hour--) {
    for (const type of types) {
      if (instanceTypeInfo(type) === undefined) continue;
      for (const z of zones) for (const product of products) rows.push({ type, az: z.name, product, price: spotPrice(type, z.name, hour * HOUR, product), at: hour * HOUR });
    }
  }
  const page = describe({
    items: rows, idOf: () => '', tagsOf: () => [], notFound: () => invalidParam('unexpected ids'),
    fields: {
      'instance-type': (r) => r.type, 'availability-zone': (r) => r.az, 'product-description': (r) => r.product,
      'spot-price': (r) => priceText(r.price), timestamp: (r) => new Date(r.at).toISOString(),
    },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [5, 1000],
  });
  return {
    SpotPriceHistory: page.items.map((r) => ({
      AvailabilityZone: r.az, AvailabilityZoneId: zonesOf(ctx.region).find((z) => z.name === r.az)?.id, InstanceType: r.type,
      ProductDescription: r.product, SpotPrice: priceText(r.price), Timestamp: new Date(r.at),
    })),
    NextToken: page.nextToken ?? '',
  };
};
