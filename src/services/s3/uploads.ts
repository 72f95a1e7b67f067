/**
 * Listing multipart uploads in progress (ListMultipartUploads) and their parts (ListParts).
 */
import type { ServiceContext } from '../types.js';
import { requireBucketData, str } from './common.js';
import { invalidArgument } from './errors.js';
import { urlEncoder, maxCount, walk } from './listing.js';
import { partChecksumOutput, requireUpload } from './multipart.js';
import { canonicalId, type UploadRecord } from './store.js';
import { compareKeys } from './bucket-data.js';

type In = Record<string, unknown>;

function initiator(u: UploadRecord): In {
  const id = u.initiatorArn || canonicalId(u.owner);
  return { ID: id, DisplayName: u.initiatorArn ? u.initiatorArn.split('/').pop() : u.owner };
}

/** ListParts: the parts of an upload in progress, by part number. */
export function listParts(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const upload = requireUpload(data, input);
  const markerText = str(input, 'PartNumberMarker');
  const marker = markerText === undefined || markerText === '' ? 0 : Number(markerText);
  if (!Number.isInteger(marker) || marker < 0) throw invalidArgument('Part number marker must be an integer', 'part-number-marker', markerText);
  const max = maxCount(input, 'MaxParts', 'max-parts');
  const all = Object.values(upload.parts).sort((a, b) => a.partNumber - b.partNumber).filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  return {
    Bucket: bucket.name, Key: upload.key, UploadId: upload.uploadId,
    PartNumberMarker: String(marker), NextPartNumberMarker: String(page.at(-1)?.partNumber ?? 0), MaxParts: max, IsTruncated: truncated,
    Parts: page.map((p) => ({
      PartNumber: p.partNumber, LastModified: new Date(p.lastModifiedMs), ETag: p.etag, Size: p.size,
      ...partChecksumOutput(upload.checksumAlgorithm, p.checksum),
    })),
    Initiator: initiator(upload), Owner: { ID: canonicalId(upload.owner) }, StorageClass: upload.storageClass,
    ChecksumAlgorithm: upload.checksumAlgorithm, ChecksumType: upload.checksumType,
  };
}

/** ListMultipartUploads: uploads in progress by key and initiation time. */
export function listMultipartUploads(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const encode = urlEncoder(input);
  const prefix = str(input, 'Prefix') ?? '';
  const delimiter = str(input, 'Delimiter') || undefined;
  const keyMarker = str(input, 'KeyMarker') ?? '';
  const uploadIdMarker = str(input, 'UploadIdMarker') ?? '';
  const max = maxCount(input, 'MaxUploads', 'max-uploads');
  const byKey = new Map<string, UploadRecord[]>();
  for (const u of data.uploads.values()) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
  for (const list of byKey.values()) list.sort((a, b) => a.initiatedMs - b.initiatedMs || compareKeys(a.uploadId, b.uploadId));
  if (uploadIdMarker && keyMarker && !byKey.get(keyMarker)?.some((u) => u.uploadId === uploadIdMarker)) {
    throw invalidArgument('Invalid uploadId marker', 'upload-id-marker', uploadIdMarker);
  }
  const keys = [...byKey.keys()].sort(compareKeys);
  const resumeInKey = uploadIdMarker && keyMarker ? keyMarker : undefined;
  const { items } = walk(keys, { prefix, delimiter, after: resumeInKey ? undefined : keyMarker || undefined, max: Number.MAX_SAFE_INTEGER });
  const uploads: In[] = [];
  const prefixes: In[] = [];
  let truncated = false;
  let next: { key: string; uploadId?: string } | undefined;
  outer: for (const it of items) {
    if ('prefix' in it) {
      if (resumeInKey !== undefined && compareKeys(it.prefix, resumeInKey) <= 0) continue;
      if (uploads.length + prefixes.length === max) { truncated = true; break; }
      prefixes.push({ Prefix: encode(it.prefix) });
      next = { key: it.prefix };
      continue;
    }
    if (resumeInKey !== undefined && compareKeys(it.key, resumeInKey) < 0) continue;
    let list = byKey.get(it.key)!;
    if (it.key === resumeInKey) list = list.slice(list.findIndex((u) => u.uploadId === uploadIdMarker) + 1);
    for (const u of list) {
      if (uploads.length + prefixes.length === max) { truncated = true; break outer; }
      uploads.push({
        UploadId: u.uploadId, Key: encode(u.key), Initiated: new Date(u.initiatedMs), StorageClass: u.storageClass,
        Owner: { ID: canonicalId(u.owner) }, Initiator: initiator(u), ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType,
      });
      next = { key: u.key, uploadId: u.uploadId };
    }
  }
  return {
    Bucket: bucket.name, KeyMarker: encode(keyMarker), UploadIdMarker: uploadIdMarker, Prefix: encode(prefix), Delimiter: encode(delimiter),
    MaxUploads: max, EncodingType: input['EncodingType'], IsTruncated: truncated,
    NextKeyMarker: truncated ? encode(next?.key) : undefined, NextUploadIdMarker: truncated ? next?.uploadId : undefined,
    Uploads: uploads.length ? uploads : undefined, CommonPrefixes: prefixes.length ? prefixes : undefined,
  };
}
