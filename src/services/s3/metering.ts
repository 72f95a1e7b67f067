/**
 * What S3 bills: requests (Tier 1 for PUT, COPY, POST and LIST; Tier 2 for GET and the rest;
 * DELETE and aborts free) and storage in GB-months per storage class, integrated over clock
 * time from every change of a bucket's bytes and handed to the meter every clock hour.
 */
import type { Meter } from '../../core/meter.js';
import type { Stores } from '../../core/store.js';
import { bucketData, s3Global, type BucketRecord } from './store.js';
import type { BucketData } from './bucket-data.js';

/** The request tier of an operation, or undefined when S3 does not charge for it. */
export function requestTier(operation: string): 'Requests-Tier1' | 'Requests-Tier2' | undefined {
  if (operation === 'DeleteObjects') return 'Requests-Tier1';
  if (/^(Delete|Abort)/.test(operation)) return undefined;
  if (/^(Put|Create|Copy|Complete|Upload|List|Restore|Post|Rename)/.test(operation)) return 'Requests-Tier1';
  return 'Requests-Tier2';
}

const STORAGE: Record<string, [usageType: string, operation: string]> = {
  STANDARD: ['TimedStorage-ByteHrs', 'StandardStorage'],
  STANDARD_IA: ['TimedStorage-SIA-ByteHrs', 'StandardIAStorage'],
  ONEZONE_IA: ['TimedStorage-ZIA-ByteHrs', 'OneZoneIAStorage'],
  INTELLIGENT_TIERING: ['TimedStorage-INT-FA-ByteHrs', 'IntelligentTieringFAStorage'],
  GLACIER: ['TimedStorage-GlacierByteHrs', 'GlacierStorage'],
  DEEP_ARCHIVE: ['TimedStorage-GDA-ByteHrs', 'DeepArchiveStorage'],
  GLACIER_IR: ['TimedStorage-GIR-ByteHrs', 'GlacierInstantRetrievalStorage'],
  REDUCED_REDUNDANCY: ['TimedStorage-RRS-ByteHrs', 'ReducedRedundancyStorage'],
};

/** Hours in the calendar month of `ms`, which AWS divides byte-hours by to get GB-months. */
function hoursInMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate() * 24;
}

/** Hands the storage accrued by one bucket to the meter, in GB-months. */
export function flushStorage(meter: Meter, bucket: BucketRecord, data: BucketData, nowMs: number): void {
  data.integrate(nowMs);
  for (const [storageClass, byteMs] of data.accrued) {
    if (byteMs <= 0) continue;
    const [usageType, operation] = STORAGE[storageClass] ?? STORAGE['STANDARD']!;
    const quantity = byteMs / 3_600_000 / 1024 ** 3 / hoursInMonth(nowMs);
    meter.record({ account: bucket.account, region: bucket.region, service: 's3', usageType, operation, resourceId: bucket.name, quantity, unit: 'GB-Mo' });
  }
  data.accrued.clear();
}

/** Flushes the storage of every bucket. */
export function flushAllStorage(stores: Stores, meter: Meter, nowMs: number): void {
  for (const bucket of s3Global(stores).buckets.values()) flushStorage(meter, bucket, bucketData(stores, bucket), nowMs);
}
