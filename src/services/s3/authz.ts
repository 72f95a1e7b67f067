/**
 * What the gateway's authorizer reads from S3, through the ports core declares: the policy of
 * a bucket or object ARN (the bucket policy, less its public statements under
 * RestrictPublicBuckets, plus statements equivalent to the ACL grants S3 still honours),
 * bucket tags, and the resources and IAM actions of each call (CopyObject also reads its
 * source; versioned calls need the `…Version` actions).
 */
import type { ResourcePolicyInfo, ResourceRef } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { ALL_USERS, AUTHENTICATED_USERS } from './acl.js';
import { isPublicStatement } from './policy.js';
import { accountOfCanonicalId, bucketArn, bucketData, canonicalId, s3Global, type BucketRecord, type Grant } from './store.js';

type In = Record<string, unknown>;

const BUCKET_ACTIONS: Record<string, string[]> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  WRITE: ['s3:PutObject', 's3:DeleteObject'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
};
const OBJECT_ACTIONS: Record<string, string[]> = {
  READ: ['s3:GetObject', 's3:GetObjectVersion'],
  READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
};

function principalOf(g: Grant, owner: string, ignorePublic: boolean): unknown {
  const t = g.Grantee;
  if (t.URI === ALL_USERS) return ignorePublic ? undefined : '*';
  if (t.URI === AUTHENTICATED_USERS) return ignorePublic ? undefined : { AWS: '*' };
  if (t.URI?.endsWith('/LogDelivery')) return { Service: 'logging.s3.amazonaws.com' };
  if (t.ID === undefined || t.ID === canonicalId(owner)) return undefined;
  const account = accountOfCanonicalId(t.ID);
  return account ? { AWS: `arn:aws:iam::${account}:root` } : undefined;
}

/** Policy statements equivalent to ACL grants on `resource`. */
function aclStatements(grants: readonly Grant[], owner: string, resource: string, objectLevel: boolean, ignorePublic: boolean): In[] {
  const out: In[] = [];
  for (const g of grants) {
    const principal = principalOf(g, owner, ignorePublic);
    if (principal === undefined) continue;
    const table = objectLevel ? OBJECT_ACTIONS : BUCKET_ACTIONS;
    const actions = g.Permission === 'FULL_CONTROL' ? Object.values(table).flat() : table[g.Permission] ?? [];
    if (!actions.length) continue;
    const writesObjects = !objectLevel && (g.Permission === 'WRITE' || g.Permission === 'FULL_CONTROL');
    out.push({ Effect: 'Allow', Principal: principal, Action: actions, Resource: writesObjects ? [resource, `${resource}/*`] : resource });
  }
  return out;
}

const ARN = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/s;

/** The resource policy of an S3 ARN, for the authorizer. */
export function s3PolicyLookup(stores: Stores): (arn: string) => ResourcePolicyInfo | undefined {
  return (arn) => {
    const m = ARN.exec(arn);
    if (!m) return undefined;
    const bucket = s3Global(stores).buckets.get(m[1]!);
    if (!bucket) return undefined;
    const extra = aclGrantStatements(stores, bucket, m[2]);
    let document = bucket.policy;
    const restrict = bucket.publicAccessBlock?.RestrictPublicBuckets === true;
    if (document === undefined && !extra.length) return undefined;
    if (extra.length || restrict) {
      const doc = document ? JSON.parse(document) as In : { Version: '2012-10-17', Statement: [] };
      const own = (Array.isArray(doc['Statement']) ? doc['Statement'] : doc['Statement'] ? [doc['Statement']] : []) as In[];
      const kept = restrict ? own.filter((s) => !isPublicStatement(s)) : own;
      if (!kept.length && !extra.length) return undefined;
      if (extra.length || kept.length !== own.length) document = JSON.stringify({ ...doc, Statement: [...kept, ...extra] });
    }
    return { document: document!, account: bucket.account, kind: 'resource', id: `${bucketArn(bucket)}/policy` };
  };
}

function aclGrantStatements(stores: Stores, bucket: BucketRecord, key: string | undefined): In[] {
  if (bucket.ownership === 'BucketOwnerEnforced') return [];
  const ignorePublic = bucket.publicAccessBlock?.IgnorePublicAcls === true;
  const arn = bucketArn(bucket);
  const out = aclStatements(bucket.acl, bucket.account, arn, false, ignorePublic);
  if (key !== undefined) {
    const v = bucketData(stores, bucket).objects.get(key)?.versions[0];
    if (v?.acl) out.push(...aclStatements(v.acl, v.owner, `${arn}/${key}`, true, ignorePublic));
  }
  return out;
}

/** Bucket tags for `aws:ResourceTag/*` on a bucket ARN. */
export function s3TagLookup(stores: Stores): (arn: string) => Record<string, string> | undefined {
  return (arn) => {
    const m = ARN.exec(arn);
    if (!m || m[2] !== undefined) return undefined;
    const tags = s3Global(stores).buckets.get(m[1]!)?.tags;
    return tags ? Object.fromEntries(tags) : undefined;
  };
}

/** The `…Version…` IAM action a call needs when it names a version. */
const VERSIONED: Record<string, string> = {
  GetObject: 's3:GetObjectVersion', HeadObject: 's3:GetObjectVersion', DeleteObject: 's3:DeleteObjectVersion',
  GetObjectTagging: 's3:GetObjectVersionTagging', PutObjectTagging: 's3:PutObjectVersionTagging',
  DeleteObjectTagging: 's3:DeleteObjectVersionTagging', GetObjectAcl: 's3:GetObjectVersionAcl', PutObjectAcl: 's3:PutObjectVersionAcl',
  GetObjectAttributes: 's3:GetObjectVersionAttributes',
};

function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** The copy source of CopyObject / UploadPartCopy as an ARN and the action reading it needs. */
function sourceRef(copySource: string): ResourceRef | undefined {
  const q = copySource.indexOf('?');
  const path = (q < 0 ? copySource : copySource.slice(0, q)).replace(/^\//, '');
  const versioned = q >= 0 && new URLSearchParams(copySource.slice(q + 1)).has('versionId');
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('/') ? { arn: `arn:aws:s3:::${decoded}`, action: versioned ? 's3:GetObjectVersion' : 's3:GetObject' } : undefined;
  } catch {
    return undefined;
  }
}

/** Resources and actions of an S3 call, for the authorizer. */
export function s3Resources(operation: string, input: In): ResourceRef[] {
  const bucket = typeof input['Bucket'] === 'string' ? input['Bucket'] : undefined;
  const key = typeof input['Key'] === 'string' ? input['Key'] : undefined;
  if (!bucket) return [];
  if (operation === 'CopyObject' || operation === 'UploadPartCopy') {
    const src = typeof input['CopySource'] === 'string' ? sourceRef(input['CopySource']) : undefined;
    return [{ arn: objectArn(bucket, key ?? '') }, ...(src ? [src] : [])];
  }
  if (operation === 'DeleteObjects') {
    const objects = ((input['Delete'] as In | undefined)?.['Objects'] as In[] | undefined) ?? [];
    const refs = objects.filter((o) => typeof o['Key'] === 'string').map((o) => ({
      arn: objectArn(bucket, o['Key'] as string), action: o['VersionId'] !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
    }));
    return refs.length ? refs : [{ arn: `arn:aws:s3:::${bucket}` }];
  }
  if (key !== undefined && key !== '') {
    const action = input['VersionId'] !== undefined ? VERSIONED[operation] : operation === 'GetObjectAttributes' ? 's3:GetObjectAttributes' : undefined;
    return [{ arn: objectArn(bucket, key), action }];
  }
  return [{ arn: `arn:aws:s3:::${bucket}` }];
}
