/**
 * S3 state. Bucket names are global, so the bucket records live in one app-wide index; a
 * bucket's objects, bytes and multipart uploads live in the owner's account × region scope,
 * in collections named after the bucket. Object metadata and object bytes are kept apart, so
 * a change of tags or a new version does not rewrite earlier bodies in a data directory.
 *
 * Small bodies are Buffers held in memory (and in the data directory when one is used); large
 * ones are files in the blob folder (`blobs.ts`) and the store keeps a reference.
 */
import { createHash } from 'node:crypto';
import { randomBytes } from '../../core/random.js';
import type { Meter } from '../../core/meter.js';
import type { Collection, Collections, Stores } from '../../core/store.js';
import { BucketData } from './bucket-data.js';
import { removeBlob } from './blobs.js';
import type { ChecksumAlgorithm } from '../../protocols/checksums.js';

/** An ACL grant as S3 models it. */
export interface Grant {
  Grantee: { Type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail'; ID?: string; URI?: string; EmailAddress?: string; DisplayName?: string };
  Permission: string;
}

/** The four Block Public Access switches. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** A bucket as stored in the global index. Configurations are kept in the model's own shapes. */
export interface BucketRecord {
  name: string;
  account: string;
  region: string;
  /** The LocationConstraint as given (`EU` stays `EU`); absent for us-east-1. */
  locationConstraint?: string;
  createdMs: number;
  versioning?: 'Enabled' | 'Suspended';
  mfaDelete?: 'Enabled' | 'Disabled';
  objectLockEnabled?: boolean;
  policy?: string;
  /** Absent: no configuration (GetPublicAccessBlock answers NoSuchPublicAccessBlockConfiguration). */
  publicAccessBlock?: PublicAccessBlock;
  /** Absent: no ownership controls (OwnershipControlsNotFoundError). */
  ownership?: string;
  /** The bucket's ACL grants (the owner's FULL_CONTROL included). */
  acl: Grant[];
  tags?: [string, string][];
  cors?: Record<string, unknown>[];
  lifecycle?: Record<string, unknown>[];
  transitionDefaultMinimumObjectSize?: string;
  notification?: Record<string, unknown>;
  /** The bucket's default encryption rules; absent means SSE-S3 (AWS's default since 2023). */
  encryption?: Record<string, unknown>[];
  requestPayer?: string;
}

/** Checksum of an object or part: the algorithm, whether whole-object or composite, and its value. */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  type: 'FULL_OBJECT' | 'COMPOSITE';
  /** Base64; computed lazily for the default CRC64NVME S3 adds to uploads that name none. */
  value?: string;
}

/** Server-side encryption of an object. */
export interface SseInfo {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** Base64 JSON, as sent in x-amz-server-side-encryption-context. */
  context?: string;
  /** SSE-KMS: the object's data key as KMS encrypted it (base64); the stored bytes are sealed with it. */
  dataKey?: string;
}

/** The content headers an object keeps (Content-Type, Cache-Control, …), from its write or its upload. */
export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  websiteRedirectLocation?: string;
}

/** The content headers of a version or an upload, alone (to carry them to another record). */
export function contentHeadersOf(h: ContentHeaders): ContentHeaders {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, websiteRedirectLocation } = h;
  return { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, websiteRedirectLocation };
}

/** One version of an object, or a delete marker. */
export interface ObjectVersion extends ContentHeaders {
  /** `null` (the string) for objects written while versioning was never enabled or suspended. */
  versionId: string;
  deleteMarker?: true;
  /** Whole seconds: S3 reports Last-Modified to the second. */
  lastModifiedMs: number;
  owner: string;
  /** Key of the bytes in the bucket's data collection; absent for delete markers. */
  dataId?: string;
  /** Quoted, as the ETag header carries it. */
  etag: string;
  size: number;
  storageClass: string;
  metadata: Record<string, string>;
  checksum?: StoredChecksum;
  /** Multipart objects: each part's size and checksum, for `partNumber` reads and GetObjectAttributes. */
  parts?: { size: number; checksum?: string }[];
  sse: SseInfo;
  tags: [string, string][];
  /** ACL grants; absent means the owner's FULL_CONTROL only. */
  acl?: Grant[];
}

/** All versions of one key, newest first. */
export interface ObjectEntry {
  versions: ObjectVersion[];
}

/** A part of a multipart upload; its bytes are in the bucket's `parts` collection. */
export interface PartRecord {
  partNumber: number;
  etag: string;
  size: number;
  lastModifiedMs: number;
  checksum?: string;
}

/** A multipart upload in progress. */
export interface UploadRecord extends ContentHeaders {
  uploadId: string;
  key: string;
  initiatedMs: number;
  owner: string;
  initiatorArn: string;
  storageClass: string;
  metadata: Record<string, string>;
  tags: [string, string][];
  acl?: Grant[];
  sse: SseInfo;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  /** Identity of the key's current version when the upload began, for conditional completes. */
  startedOver?: string;
  parts: Record<string, PartRecord>;
}

/** Application-wide S3 state: the bucket index and the per-bucket runtime. */
export interface S3Global {
  buckets: Collection<BucketRecord>;
  /** Per bucket, rebuilt on first use; not persisted. */
  runtime: Map<string, BucketData>;
  /** The app's meter, as seen by the last request (the hourly storage flush has no request). */
  meter?: Meter;
}

/** The account × region scope that holds the objects of the buckets created there. */
interface S3Regional {
  collections: Collections;
}

/** The global S3 state of an app. */
export function s3Global(stores: Stores): S3Global {
  return stores.global('s3', (c) => ({ buckets: c.collection<BucketRecord>('buckets'), runtime: new Map() }));
}

function regional(stores: Stores, account: string, region: string): S3Regional {
  return stores.scope('s3', account, region, (c) => ({ collections: c }));
}

/** The objects of `bucket`, loading its collections on first use. */
export function bucketData(stores: Stores, bucket: BucketRecord): BucketData {
  const g = s3Global(stores);
  let d = g.runtime.get(bucket.name);
  if (!d) {
    d = new BucketData(regional(stores, bucket.account, bucket.region).collections, bucket.name, (ref) => removeBlob(stores, ref));
    g.runtime.set(bucket.name, d);
  }
  return d;
}

/** Forgets the runtime of a deleted bucket, so a bucket of the same name elsewhere starts clean. */
export function dropBucketData(stores: Stores, name: string): void {
  s3Global(stores).runtime.delete(name);
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** A random id over S3's version-id alphabet (32 characters, like AWS's), from pooled random bytes. */
export function randomId(length = 32): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[bytes[i]! & 63];
  return out;
}

const canonical = new Map<string, string>();
const accountsByCanonical = new Map<string, string>();

/** The 64-hex canonical user id of an account (stable, derived from the account id). */
export function canonicalId(account: string): string {
  let id = canonical.get(account);
  if (!id) {
    id = createHash('sha256').update(`drydock-s3-canonical-user:${account}`).digest('hex');
    canonical.set(account, id);
    accountsByCanonical.set(id, account);
  }
  return id;
}

/** The account of a canonical user id, for accounts whose id was worked out in this process. */
export function accountOfCanonicalId(id: string): string | undefined {
  return accountsByCanonical.get(id);
}

/** `arn:aws:s3:::bucket` (other partitions by region). */
export function bucketArn(bucket: BucketRecord | string, partition = 'aws'): string {
  return `arn:${partition}:s3:::${typeof bucket === 'string' ? bucket : bucket.name}`;
}

/** The latest version of a key, if any (possibly a delete marker). */
export function latestOf(entry: ObjectEntry | undefined): ObjectVersion | undefined {
  return entry?.versions[0];
}

/** S3 reports times to the second. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
