/**
 * Bucket policies and Block Public Access: Put/Get/DeleteBucketPolicy (validated by the IAM
 * engine as a resource policy, then by S3's own rules), GetBucketPolicyStatus, and
 * Put/Get/DeletePublicAccessBlock. A public policy is refused under BlockPublicPolicy, and its
 * public statements give no access under RestrictPublicBuckets.
 */
import { MalformedPolicyError, parsePolicy } from '../../engines/iam-policy/index.js';
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { requireBucket } from './common.js';
import { malformedPolicy, noSuchConfiguration } from './errors.js';
import { bucketArn, s3Global, type BucketRecord, type PublicAccessBlock } from './store.js';

type In = Record<string, unknown>;
type Statement = Record<string, unknown>;

const MAX_POLICY_BYTES = 20 * 1024;

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statements(doc: unknown): Statement[] {
  return asList((doc as In | undefined)?.['Statement']).filter((s): s is Statement => !!s && typeof s === 'object');
}

function globMatches(glob: string, s: string): boolean {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(s);
}

/** Whether a resource pattern (with `*` and `?`) can name the bucket or an object in it. */
function namesBucket(resource: string, bucket: string): boolean {
  if (resource === '*') return true;
  const m = /^arn:[^:]+:s3:::(.+)$/s.exec(resource);
  if (!m) return false;
  const pattern = m[1]!;
  const slash = pattern.indexOf('/');
  if (slash >= 0) return globMatches(pattern.slice(0, slash), bucket);
  if (globMatches(pattern, bucket)) return true;
  const star = pattern.indexOf('*');
  return star >= 0 && `${bucket}/`.startsWith(pattern.slice(0, star));
}

/** S3's checks beyond the IAM grammar: S3 actions only, resources in this bucket. */
function checkS3Rules(doc: unknown, bucket: string): void {
  for (const st of statements(doc)) {
    for (const a of [...asList(st['Action']), ...asList(st['NotAction'])]) {
      if (typeof a !== 'string' || (a !== '*' && !/^s3:/i.test(a))) throw malformedPolicy('Policy has invalid action');
    }
    for (const r of [...asList(st['Resource']), ...asList(st['NotResource'])]) {
      if (typeof r !== 'string' || !namesBucket(r, bucket)) throw malformedPolicy('Policy has invalid resource');
    }
  }
}

// Condition keys that tie a statement to known callers, so a wildcard principal is not public.
const RESTRICTING_KEYS = [
  'aws:sourceip', 'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceaccount', 'aws:sourceowner',
  'aws:principalorgid', 'aws:principalaccount', 'aws:principalarn', 'aws:userid', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:principalorgpaths', 's3:dataaccesspointaccount', 's3:dataaccesspointarn',
];

function wildcardPrincipal(st: Statement): boolean {
  const p = st['Principal'];
  if (p === '*') return true;
  if (!p || typeof p !== 'object') return false;
  return asList((p as In)['AWS']).includes('*');
}

function restricted(st: Statement): boolean {
  const cond = st['Condition'] as Record<string, Record<string, unknown>> | undefined;
  for (const block of Object.values(cond ?? {})) {
    for (const [key, value] of Object.entries(block ?? {})) {
      if (!RESTRICTING_KEYS.includes(key.toLowerCase())) continue;
      const values = asList(value).map(String);
      if (key.toLowerCase() === 'aws:sourceip' && values.some((v) => /\/0$/.test(v))) continue;
      if (values.length && values.every((v) => !v.includes('*'))) return true;
    }
  }
  return false;
}

/** Whether an Allow statement grants access to everyone (AWS's definition of "public"). */
export function isPublicStatement(st: Statement): boolean {
  return st['Effect'] === 'Allow' && wildcardPrincipal(st) && !restricted(st);
}

/** Whether a policy document (JSON text) is public. */
export function isPublicPolicy(text: string): boolean {
  try {
    return statements(JSON.parse(text)).some(isPublicStatement);
  } catch {
    return false;
  }
}

/** PutBucketPolicy: validated as a resource policy, refused when public under BlockPublicPolicy. */
export function putBucketPolicy(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const text = typeof input['Policy'] === 'string' ? input['Policy'] : '';
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw malformedPolicy('Policy exceeds the maximum allowed document size.');
  let doc: unknown;
  try {
    doc = parsePolicy(text, { kind: 'resource', id: `${bucketArn(bucket)}/policy` }).document;
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw malformedPolicy(e.message);
    throw e;
  }
  checkS3Rules(doc, bucket.name);
  if (bucket.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(text)) {
    throw new AwsError('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "${bucketArn(bucket)}" because public policies are blocked by the BlockPublicPolicy block public access setting.`, 403);
  }
  bucket.policy = text;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

function noPolicy(bucket: BucketRecord): AwsError {
  return noSuchConfiguration('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket.name);
}

/** GetBucketPolicy: the policy text as put. */
export function getBucketPolicy(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (bucket.policy === undefined) throw noPolicy(bucket);
  return { Policy: bucket.policy };
}

/** DeleteBucketPolicy: idempotent. */
export function deleteBucketPolicy(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.policy;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetBucketPolicyStatus: whether the policy is public in AWS's sense. */
export function getBucketPolicyStatus(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (bucket.policy === undefined) throw noPolicy(bucket);
  return { PolicyStatus: { IsPublic: isPublicPolicy(bucket.policy) } };
}

const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** PutPublicAccessBlock: the four switches; absent ones are false. */
export function putPublicAccessBlock(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const conf = (input['PublicAccessBlockConfiguration'] ?? {}) as In;
  const pab = Object.fromEntries(PAB_KEYS.map((k) => [k, conf[k] === true])) as unknown as PublicAccessBlock;
  bucket.publicAccessBlock = pab;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetPublicAccessBlock: NoSuchPublicAccessBlockConfiguration once deleted. */
export function getPublicAccessBlock(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (!bucket.publicAccessBlock) {
    throw noSuchConfiguration('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', bucket.name);
  }
  return { PublicAccessBlockConfiguration: { ...bucket.publicAccessBlock } };
}

/** DeletePublicAccessBlock: lifts all four blocks. */
export function deletePublicAccessBlock(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.publicAccessBlock;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}
