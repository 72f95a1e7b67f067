/**
 * Buckets: CreateBucket (name rules, LocationConstraint rules, one global namespace),
 * DeleteBucket, HeadBucket, GetBucketLocation and ListBuckets.
 */
import { AwsError } from '../../core/errors.js';
import { partitionOf } from '../../core/ids.js';
import type { ServiceContext } from '../types.js';
import { ownershipHeader, requestedAcl } from './acl.js';
import { bucketUrl, requireBucket, str } from './common.js';
import { invalidArgument, invalidBucketName } from './errors.js';
import { flushStorage } from './metering.js';
import { bucketArn, bucketData, canonicalId, dropBucketData, s3Global, wholeSeconds, type BucketRecord } from './store.js';
import { compareKeys } from './bucket-data.js';

type In = Record<string, unknown>;

/** Regions a LocationConstraint may name (S3's commercial, China and GovCloud regions). */
export const REGIONS = new Set([
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1',
  'me-central-1', 'mx-central-1', 'sa-east-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1',
]);

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Whether `name` is a valid general purpose bucket name. */
export function validBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return false;
  return !RESERVED_PREFIXES.some((p) => name.startsWith(p)) && !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
}

function illegalConstraint(constraint: string | undefined): AwsError {
  return new AwsError('IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
}

/**
 * The region a CreateBucket lands in. The us-east-1 endpoint takes no constraint (us-east-1)
 * or any other valid region; every other endpoint needs its own region as the constraint
 * (`EU` being eu-west-1's old name).
 */
function bucketRegion(signedRegion: string, constraint: string | undefined): string {
  const c = constraint === '' ? undefined : constraint;
  const named = c === 'EU' ? 'eu-west-1' : c;
  if (signedRegion === 'us-east-1') {
    if (named === undefined) return 'us-east-1';
    if (named === 'us-east-1' || !REGIONS.has(named)) {
      throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { fields: { LocationConstraint: c } });
    }
    return named;
  }
  if (named !== signedRegion) throw illegalConstraint(c);
  return named;
}

/** CreateBucket: checks the name and LocationConstraint; new buckets block public access and disable ACLs. */
export function createBucket(input: In, ctx: ServiceContext): In {
  const name = str(input, 'Bucket') ?? '';
  if (!validBucketName(name)) throw invalidBucketName(name);
  const conf = input['CreateBucketConfiguration'] as In | undefined;
  const constraint = str(conf ?? {}, 'LocationConstraint');
  const region = bucketRegion(ctx.region, constraint);
  if (input['ObjectLockEnabledForBucket'] === true) {
    throw new AwsError('NotImplemented', 'drydock does not implement S3 Object Lock yet (x-amz-bucket-object-lock-enabled)', 501);
  }
  if (conf?.['Location'] !== undefined || conf?.['Bucket'] !== undefined) {
    throw new AwsError('NotImplemented', 'drydock does not implement directory buckets (CreateBucketConfiguration Location/Bucket) yet', 501);
  }
  const g = s3Global(ctx.stores);
  const existing = g.buckets.get(name);
  if (existing) {
    if (existing.account !== ctx.principal.account) {
      throw new AwsError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { fields: { BucketName: name } });
    }
    // us-east-1 answers a repeated create of one's own bucket there with success.
    if (existing.region === 'us-east-1' && region === 'us-east-1') return createOutput(ctx, existing);
    throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { fields: { BucketName: name } });
  }
  const bucket: BucketRecord = {
    name, account: ctx.principal.account, region, locationConstraint: region === 'us-east-1' ? undefined : constraint,
    createdMs: wholeSeconds(ctx.clock.nowMs()), ownership: ownershipHeader(str(input, 'ObjectOwnership')),
    acl: [{ Grantee: { Type: 'CanonicalUser', ID: canonicalId(ctx.principal.account) }, Permission: 'FULL_CONTROL' }],
    // New buckets block public access, as on AWS since April 2023.
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  };
  const acl = str(input, 'ACL');
  if (bucket.ownership === 'BucketOwnerEnforced' && acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') {
    throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
  }
  bucket.acl = requestedAcl(input, { ...bucket, ownership: undefined, publicAccessBlock: undefined }, ctx.principal.account) ?? bucket.acl;
  g.buckets.set(name, bucket);
  dropBucketData(ctx.stores, name);
  return createOutput(ctx, bucket);
}

function createOutput(ctx: ServiceContext, bucket: BucketRecord): In {
  return {
    Location: bucket.region === 'us-east-1' ? `/${bucket.name}` : bucketUrl(ctx, bucket.name),
    BucketArn: bucketArn(bucket, partitionOf(bucket.region)),
  };
}

/** DeleteBucket: only an empty bucket (no versions, no delete markers); bills its storage up to now. */
export function deleteBucket(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const data = bucketData(ctx.stores, bucket);
  if (data.objects.size > 0) {
    const versioned = bucket.versioning !== undefined;
    throw new AwsError('BucketNotEmpty', versioned
      ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.'
      : 'The bucket you tried to delete is not empty', 409, { fields: { BucketName: bucket.name } });
  }
  flushStorage(ctx.meter, bucket, data, ctx.clock.nowMs());
  data.clear();
  s3Global(ctx.stores).buckets.delete(bucket.name);
  dropBucketData(ctx.stores, bucket.name);
  return {};
}

/** HeadBucket: answers with the bucket's region (x-amz-bucket-region) and ARN. */
export function headBucket(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  return { BucketRegion: bucket.region, BucketArn: bucketArn(bucket, partitionOf(bucket.region)), AccessPointAlias: false };
}

/** GetBucketLocation: no constraint for us-east-1, else the constraint given at creation. */
export function getBucketLocation(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : bucket.locationConstraint ?? bucket.region };
}

const TOKEN_MARK = 'ddb:';

/** ListBuckets: the caller's own buckets, by name, with prefix, region filter and pages. */
export function listBuckets(input: In, ctx: ServiceContext): In {
  const prefix = str(input, 'Prefix');
  const region = str(input, 'BucketRegion');
  if (region !== undefined && !REGIONS.has(region)) {
    throw new AwsError('InvalidArgument', `Argument value ${region} is not a valid AWS Region`, 400, { fields: { ArgumentName: 'bucket-region' } });
  }
  const maxRaw = input['MaxBuckets'];
  const max = maxRaw === undefined ? undefined : Number(maxRaw);
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10000)) {
    throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', String(maxRaw));
  }
  const token = str(input, 'ContinuationToken');
  let after: string | undefined;
  if (token) {
    const text = Buffer.from(token, 'base64').toString('utf8');
    if (!text.startsWith(TOKEN_MARK)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token');
    after = text.slice(TOKEN_MARK.length);
  }
  const mine = [...s3Global(ctx.stores).buckets.values()]
    .filter((b) => b.account === ctx.principal.account)
    .filter((b) => prefix === undefined || b.name.startsWith(prefix))
    .filter((b) => region === undefined || b.region === region)
    .filter((b) => after === undefined || compareKeys(b.name, after) > 0)
    .sort((a, b) => compareKeys(a.name, b.name));
  const page = max === undefined ? mine : mine.slice(0, max);
  const truncated = page.length < mine.length;
  return {
    Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdMs), BucketRegion: b.region, BucketArn: bucketArn(b, partitionOf(b.region)) })),
    Owner: { ID: canonicalId(ctx.principal.account) },
    Prefix: prefix,
    ContinuationToken: truncated ? Buffer.from(TOKEN_MARK + page.at(-1)!.name, 'utf8').toString('base64') : undefined,
  };
}

/** GetBucketRequestPayment / PutBucketRequestPayment: who pays for requests. */
export function getBucketRequestPayment(input: In, ctx: ServiceContext): In {
  return { Payer: requireBucket(ctx, input).requestPayer ?? 'BucketOwner' };
}

/** PutBucketRequestPayment: BucketOwner or Requester. */
export function putBucketRequestPayment(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const payer = str((input['RequestPaymentConfiguration'] ?? {}) as In, 'Payer');
  if (payer !== 'Requester' && payer !== 'BucketOwner') {
    throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  bucket.requestPayer = payer;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}
