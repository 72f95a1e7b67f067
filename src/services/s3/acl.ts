/**
 * ACLs as AWS still honours them, and Object Ownership: canned ACLs and grant headers on
 * uploads and buckets, Get/PutBucketAcl, Get/PutObjectAcl, and Put/Get/DeleteBucketOwnershipControls.
 * With `BucketOwnerEnforced` (the default since 2023) ACLs are disabled: only
 * `bucket-owner-full-control` is accepted and grants give no access. Public grants are refused
 * under BlockPublicAcls and ignored under IgnorePublicAcls.
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { objectKey, requireBucket, requireBucketData, str } from './common.js';
import { accessDenied, invalidArgument, invalidRequest, malformedAcl, malformedXml, noSuchConfiguration } from './errors.js';
import { emitObjectEvent } from './notifications.js';
import { canonicalId, s3Global, type BucketRecord, type Grant } from './store.js';
import { findVersion, reportedVersionId } from './versioning.js';

type In = Record<string, unknown>;

/** The grantee group of everyone, anonymous callers included. */
export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
/** The grantee group of every signed AWS caller. */
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const GROUPS = new Set([ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]);
const PERMISSIONS = new Set(['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP']);
const OWNERSHIP = new Set(['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced']);

const group = (uri: string, permission: string): Grant => ({ Grantee: { Type: 'Group', URI: uri }, Permission: permission });
const user = (id: string, permission: string): Grant => ({ Grantee: { Type: 'CanonicalUser', ID: id }, Permission: permission });

/** The grants of a canned ACL, or undefined for a name S3 does not know. */
function cannedGrants(acl: string, owner: string, bucketOwner: string): Grant[] | undefined {
  const own = user(owner, 'FULL_CONTROL');
  switch (acl) {
    case 'private': return [own];
    case 'public-read': return [own, group(ALL_USERS, 'READ')];
    case 'public-read-write': return [own, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')];
    case 'authenticated-read': return [own, group(AUTHENTICATED_USERS, 'READ')];
    case 'aws-exec-read': return [own];
    case 'bucket-owner-read': return owner === bucketOwner ? [own] : [own, user(bucketOwner, 'READ')];
    case 'bucket-owner-full-control': return owner === bucketOwner ? [own] : [own, user(bucketOwner, 'FULL_CONTROL')];
    case 'log-delivery-write': return [own, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')];
    default: return undefined;
  }
}

const GRANT_HEADERS: [string, string, string][] = [
  ['GrantFullControl', 'x-amz-grant-full-control', 'FULL_CONTROL'], ['GrantRead', 'x-amz-grant-read', 'READ'],
  ['GrantReadACP', 'x-amz-grant-read-acp', 'READ_ACP'], ['GrantWrite', 'x-amz-grant-write', 'WRITE'],
  ['GrantWriteACP', 'x-amz-grant-write-acp', 'WRITE_ACP'],
];

/** Grants from `x-amz-grant-*` headers (`id="…", uri="…", emailAddress="…"`). */
function headerGrants(input: In): Grant[] {
  const out: Grant[] = [];
  for (const [member, header, permission] of GRANT_HEADERS) {
    const v = str(input, member);
    if (v === undefined) continue;
    for (const part of v.split(',')) {
      const m = /^\s*([A-Za-z]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
      if (!m) throw invalidArgument('Argument format not recognized', header, part.trim());
      const [, kind, value] = m as unknown as [string, string, string];
      if (kind === 'id') {
        if (!/^[0-9a-f]{64}$/.test(value)) throw invalidArgument('Invalid id', 'id', value);
        out.push(user(value, permission));
      } else if (kind === 'uri') {
        if (!GROUPS.has(value)) throw invalidArgument('Invalid group uri', 'uri', value);
        out.push(group(value, permission));
      } else if (kind === 'emailAddress') {
        throw new AwsError('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', 400, { fields: { EmailAddress: value } });
      } else {
        throw invalidArgument('Argument format not recognized', header, part.trim());
      }
    }
  }
  return out;
}

/** Whether grants open access to everyone or every AWS user. */
export function isPublic(grants: readonly Grant[]): boolean {
  return grants.some((g) => g.Grantee.URI === ALL_USERS || g.Grantee.URI === AUTHENTICATED_USERS);
}

/**
 * The ACL a write asks for (canned `x-amz-acl` or grant headers), checked against the
 * bucket's Object Ownership and Block Public Access; undefined when none is asked for.
 */
export function requestedAcl(input: In, bucket: BucketRecord, ownerAccount: string): Grant[] | undefined {
  const canned = str(input, 'ACL');
  const grants = headerGrants(input);
  if (canned !== undefined && grants.length) throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  let acl: Grant[] | undefined;
  if (canned !== undefined) {
    acl = cannedGrants(canned, canonicalId(ownerAccount), canonicalId(bucket.account));
    if (!acl) throw invalidArgument('', 'x-amz-acl', canned);
  } else if (grants.length) {
    acl = grants;
  }
  if (!acl) return undefined;
  if (bucket.ownership === 'BucketOwnerEnforced' && !(canned === 'bucket-owner-full-control' || canned === 'private')) {
    throw new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
  }
  if (bucket.publicAccessBlock?.BlockPublicAcls && isPublic(acl)) throw accessDenied();
  return acl;
}

/** Grants from an AccessControlPolicy body. */
function policyGrants(policy: In): Grant[] {
  const grants = policy['Grants'];
  const owner = policy['Owner'] as In | undefined;
  if (!Array.isArray(grants) || !owner || typeof owner['ID'] !== 'string') throw malformedAcl();
  return (grants as In[]).map((g) => {
    const grantee = g['Grantee'] as In | undefined;
    const permission = str(g, 'Permission');
    if (!grantee || !permission || !PERMISSIONS.has(permission)) throw malformedAcl();
    const type = str(grantee, 'Type');
    if (type === 'CanonicalUser') {
      const id = str(grantee, 'ID');
      if (id === undefined) throw malformedAcl();
      if (!/^[0-9a-f]{64}$/.test(id)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', id);
      return user(id, permission);
    }
    if (type === 'Group') {
      const uri = str(grantee, 'URI');
      if (uri === undefined) throw malformedAcl();
      if (!GROUPS.has(uri)) throw invalidArgument('Invalid group uri', 'Group/URI', uri);
      return group(uri, permission);
    }
    throw malformedAcl();
  });
}

/** The ACL of a PutBucketAcl / PutObjectAcl request: canned, grant headers or a body. */
function aclToPut(input: In, bucket: BucketRecord, ownerAccount: string): Grant[] {
  const body = input['AccessControlPolicy'] as In | undefined;
  const hasHeaders = str(input, 'ACL') !== undefined || GRANT_HEADERS.some(([m]) => str(input, m) !== undefined);
  if (body && hasHeaders) throw new AwsError('UnexpectedContent', 'This request does not support content', 400);
  if (body) {
    if (bucket.ownership === 'BucketOwnerEnforced') throw new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
    const acl = policyGrants(body);
    if (bucket.publicAccessBlock?.BlockPublicAcls && isPublic(acl)) throw accessDenied();
    return acl;
  }
  const acl = requestedAcl(input, bucket, ownerAccount);
  if (!acl) throw new AwsError('MissingSecurityHeader', 'Your request was missing a required header', 400, { fields: { MissingHeaderName: 'x-amz-acl' } });
  return acl;
}

function policyOutput(owner: string, grants: readonly Grant[]): In {
  return { Owner: { ID: canonicalId(owner) }, Grants: grants };
}

/** GetBucketAcl: the owner and the bucket's grants. */
export function getBucketAcl(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  return policyOutput(bucket.account, bucket.acl);
}

/** PutBucketAcl: a canned ACL, grant headers or an AccessControlPolicy body. */
export function putBucketAcl(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  bucket.acl = aclToPut(input, bucket, bucket.account);
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetObjectAcl: the owner and grants of an object version. */
export function getObjectAcl(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const { version } = findVersion(bucket, data, objectKey(input), str(input, 'VersionId'), 'acl', 'GET');
  return policyOutput(version.owner, version.acl ?? [user(canonicalId(version.owner), 'FULL_CONTROL')]);
}

/** PutObjectAcl: replaces an object version's grants (refused on delete markers). */
export function putObjectAcl(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  const { entry, version } = findVersion(bucket, data, key, str(input, 'VersionId'), 'tagging', 'PUT');
  version.acl = aclToPut(input, bucket, version.owner);
  data.put(key, entry);
  emitObjectEvent(ctx, bucket, { name: 'ObjectAcl:Put', key, etag: version.etag, versionId: version.versionId });
  return { VersionId: reportedVersionId(bucket, version) };
}

/** The ownership rule of an `x-amz-object-ownership` header at bucket creation. */
export function ownershipHeader(value: string | undefined): string {
  if (value === undefined) return 'BucketOwnerEnforced';
  if (!OWNERSHIP.has(value)) throw invalidArgument(`Invalid x-amz-object-ownership header: ${value}`, 'x-amz-object-ownership');
  return value;
}

/** PutBucketOwnershipControls: one Object Ownership rule; BucketOwnerEnforced needs an owner-only ACL. */
export function putBucketOwnershipControls(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const rules = (input['OwnershipControls'] as In | undefined)?.['Rules'];
  if (!Array.isArray(rules) || rules.length !== 1) throw malformedXml();
  const value = str(rules[0] as In, 'ObjectOwnership');
  if (!value || !OWNERSHIP.has(value)) throw malformedXml();
  if (value === 'BucketOwnerEnforced' && bucket.acl.some((g) => g.Grantee.ID !== canonicalId(bucket.account))) {
    throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
  }
  bucket.ownership = value;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetBucketOwnershipControls: OwnershipControlsNotFoundError once deleted. */
export function getBucketOwnershipControls(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (!bucket.ownership) throw noSuchConfiguration('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', bucket.name);
  return { OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] } };
}

/** DeleteBucketOwnershipControls: the bucket then behaves as ObjectWriter. */
export function deleteBucketOwnershipControls(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.ownership;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}
