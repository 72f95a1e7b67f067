/**
 * The realistic policy set the IAM benchmarks share (moved here from the draft
 * `test/engines/iam-policy/decisions.bench.ts`), and the cases `iam-engine.ts` decides.
 *
 * Four managed-policy-sized identity documents (a ViewOnly-style catalogue of Describe/List/Get
 * actions over 64 services, a PowerUser NotAction policy, an ABAC policy with policy variables,
 * IP ranges, tag keys and an MFA deny, a data-access policy with per-team ARNs, `s3:prefix`,
 * `dynamodb:LeadingKeys` and a date window), AdministratorAccess, a permissions boundary, two
 * SCP levels (FullAWSAccess at the root; FullAWSAccess plus region, leave-organization and
 * security-service guardrails on the Prod OU), a same-account bucket policy (TLS deny,
 * organization-wide read) and a cross-account one.
 *
 * Three callers: a developer role session (`Dev/alice`, tagged Project=alpha, with the
 * boundary), a platform IAM user with long-term keys (`ops/bob`), and the organization's
 * access role (exempt from the region guardrail). Each case states the decision AWS's
 * published evaluation logic gives and why, so a disagreement between the engines can be
 * checked against it.
 */
import type { AuthzRequest, ContextValue, Policy, RequestPrincipal } from '../src/engines/iam-policy/index.js';
import { parsePolicy } from '../src/engines/iam-policy/index.js';

export const ACCOUNT = '111111111111';
export const PARTNER = '222222222222';
export const ORG_ID = 'o-a1b2c3d4e5';
export const ORG_PATH = `${ORG_ID}/r-ab12/ou-ab12-prod0001/`;
export const NOW = new Date('2026-03-01T12:00:00Z');
const V = '2012-10-17';

const SERVICES = [
  'acm', 'apigateway', 'application-autoscaling', 'athena', 'autoscaling', 'backup', 'batch', 'cloudformation', 'cloudfront',
  'cloudtrail', 'cloudwatch', 'codebuild', 'codecommit', 'codedeploy', 'codepipeline', 'cognito-idp', 'config', 'dax',
  'directconnect', 'dms', 'ds', 'dynamodb', 'ec2', 'ecr', 'ecs', 'eks', 'elasticache', 'elasticbeanstalk', 'elasticfilesystem',
  'elasticloadbalancing', 'elasticmapreduce', 'es', 'events', 'firehose', 'glacier', 'glue', 'guardduty', 'iam', 'inspector',
  'iot', 'kafka', 'kinesis', 'kms', 'lambda', 'logs', 'organizations', 'rds', 'redshift', 'route53', 'route53resolver', 's3',
  'sagemaker', 'secretsmanager', 'securityhub', 'ses', 'sns', 'sqs', 'ssm', 'states', 'sts', 'tag', 'waf', 'wafv2', 'xray',
];
/**
 * Services whose Get* reads data rather than configuration: the catalogue gives them only
 * Describe* and List*, and S3 only the bucket-level reads named below, as ViewOnlyAccess does.
 */
const DATA_SERVICES = new Set(['dynamodb', 'secretsmanager', 'ssm', 'kms', 'sqs', 'kinesis', 'glacier', 'firehose']);

export const viewOnly = {
  Version: V,
  Statement: [
    {
      Sid: 'ViewOnly',
      Effect: 'Allow',
      Action: SERVICES.filter((s) => s !== 's3').flatMap((s) => (DATA_SERVICES.has(s) ? [`${s}:Describe*`, `${s}:List*`] : [`${s}:Describe*`, `${s}:Get*`, `${s}:List*`])),
      Resource: '*',
    },
    { Sid: 'BucketsAndLocations', Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:GetBucketLocation', 's3:GetBucketTagging'], Resource: '*' },
  ],
};

export const powerUser = {
  Version: V,
  Statement: [
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions'],
      Resource: '*',
    },
  ],
};

export const admin = { Version: V, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const ABAC_SERVICES = ['ec2', 'rds', 'lambda', 'dynamodb', 'sqs', 'sns', 'secretsmanager', 'states'];
export const abac = {
  Version: V,
  Statement: [
    ...ABAC_SERVICES.map((s) => ({
      Sid: `Abac${s}`,
      Effect: 'Allow',
      Action: [`${s}:Start*`, `${s}:Stop*`, `${s}:Update*`, `${s}:Delete*`, `${s}:Put*`, `${s}:Invoke*`, `${s}:Send*`, `${s}:Terminate*`],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:ResourceTag/Project': '${aws:PrincipalTag/Project}' },
        IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'] },
        Bool: { 'aws:SecureTransport': 'true' },
      },
    })),
    {
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateVolume', 'rds:CreateDBInstance', 'lambda:CreateFunction', 'sqs:CreateQueue'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:RequestTag/Project': '${aws:PrincipalTag/Project}' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['Project', 'Owner', 'CostCenter'] },
      },
    },
    {
      Sid: 'NoDestructionWithoutMfa',
      Effect: 'Deny',
      Action: ['ec2:TerminateInstances', 'rds:DeleteDBInstance', 'rds:DeleteDBCluster', 'dynamodb:DeleteTable', 'lambda:DeleteFunction'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
};

export const TEAMS = 16;
const teams = Array.from({ length: TEAMS }, (_, i) => i);
export const data = {
  Version: V,
  Statement: [
    {
      Sid: 'TeamObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging'],
      Resource: teams.flatMap((i) => [`arn:aws:s3:::team-${i}-data/\${aws:PrincipalTag/Project}/*`, `arn:aws:s3:::team-${i}-data/shared/*`]),
    },
    {
      Sid: 'TeamListing',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: teams.map((i) => `arn:aws:s3:::team-${i}-data`),
      Condition: { StringLike: { 's3:prefix': ['', 'shared/*', '${aws:PrincipalTag/Project}/*'] } },
    },
    {
      Sid: 'TeamItems',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
      Resource: teams.flatMap((i) => [`arn:aws:dynamodb:*:${ACCOUNT}:table/team-${i}-*`, `arn:aws:dynamodb:*:${ACCOUNT}:table/team-${i}-*/index/*`]),
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/Project}'] } },
    },
    {
      Sid: 'PartnerExports',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::partner-exports/*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
    },
  ],
};

export const boundary = {
  Version: V,
  Statement: [
    { Sid: 'Cap', Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'lambda:*', 'logs:*', 'ec2:*', 'sqs:*', 'sns:*', 'states:*', 'rds:*', 'cloudwatch:*'], Resource: '*' },
    { Sid: 'NoBoundaryEdits', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'], Resource: '*' },
  ],
};

export const fullAwsAccess = admin;
export const guardrails = {
  Version: V,
  Statement: [
    {
      Sid: 'DenyOutsideRegions',
      Effect: 'Deny',
      NotAction: ['iam:*', 'organizations:*', 'route53:*', 'cloudfront:*', 'sts:*', 'support:*', 'budgets:*', 'waf:*', 'globalaccelerator:*'],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-2'] },
        ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' },
      },
    },
    { Sid: 'DenyLeaveOrg', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    {
      Sid: 'DenyVolumesWithoutCostCenter',
      Effect: 'Deny',
      Action: ['ec2:CreateVolume', 'rds:CreateDBCluster'],
      Resource: '*',
      Condition: { Null: { 'aws:RequestTag/CostCenter': 'true' } },
    },
    {
      Sid: 'DenySecurityOff',
      Effect: 'Deny',
      Action: ['guardduty:DeleteDetector', 'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'config:StopConfigurationRecorder', 'securityhub:DisableSecurityHub'],
      Resource: '*',
    },
  ],
};

export const teamBucketPolicy = {
  Version: V,
  Statement: [
    {
      Sid: 'TLSOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::team-3-data', 'arn:aws:s3:::team-3-data/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'OrgRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::team-3-data/*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
    },
  ],
};

export const partnerBucketPolicy = {
  Version: V,
  Statement: [
    {
      Sid: 'DevReads',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Dev` },
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::partner-exports', 'arn:aws:s3:::partner-exports/*'],
    },
  ],
};

/** A caller: who it is, and the policies that apply to it. */
export interface Profile {
  principal: RequestPrincipal;
  identity: Record<string, object>;
  boundary?: Record<string, object>;
  /** Keys AWS sets from the credentials (iam-simulate takes every key explicitly; Drydock derives these). */
  principalKeys: Record<string, string>;
  /** Keys of the credentials that Drydock's gateway passes as request context. */
  credentialKeys: Record<string, string>;
}

export const PROFILES: Record<'dev' | 'ops' | 'orgAdmin', Profile> = {
  dev: {
    principal: {
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`, account: ACCOUNT, type: 'assumed-role',
      userId: 'AROAEXAMPLEDEV0000001:alice', tags: { Project: 'alpha', Team: 'web' }, orgId: ORG_ID, orgPaths: [ORG_PATH],
    },
    identity: { ViewOnly: viewOnly, Abac: abac, Data: data },
    boundary: { DevBoundary: boundary },
    principalKeys: {
      'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/Dev`, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalOrgID': ORG_ID,
      'aws:PrincipalTag/Project': 'alpha', 'aws:PrincipalTag/Team': 'web', 'aws:PrincipalType': 'AssumedRole',
      'aws:userid': 'AROAEXAMPLEDEV0000001:alice',
    },
    credentialKeys: { 'aws:MultiFactorAuthPresent': 'false' },
  },
  ops: {
    principal: {
      arn: `arn:aws:iam::${ACCOUNT}:user/ops/bob`, account: ACCOUNT, type: 'user',
      userId: 'AIDAEXAMPLEOPS0000001', tags: { Team: 'platform' }, orgId: ORG_ID, orgPaths: [ORG_PATH],
    },
    identity: { ViewOnly: viewOnly, PowerUser: powerUser },
    principalKeys: {
      'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/ops/bob`, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalOrgID': ORG_ID,
      'aws:PrincipalTag/Team': 'platform', 'aws:PrincipalType': 'User', 'aws:userid': 'AIDAEXAMPLEOPS0000001', 'aws:username': 'bob',
    },
    credentialKeys: {},
  },
  orgAdmin: {
    principal: {
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/ops`, account: ACCOUNT, type: 'assumed-role',
      userId: 'AROAEXAMPLEORG0000001:ops', orgId: ORG_ID, orgPaths: [ORG_PATH],
    },
    identity: { AdministratorAccess: admin },
    principalKeys: {
      'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`, 'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalOrgID': ORG_ID, 'aws:PrincipalType': 'AssumedRole', 'aws:userid': 'AROAEXAMPLEORG0000001:ops',
    },
    credentialKeys: { 'aws:MultiFactorAuthPresent': 'false' },
  },
};

export const SCPS: { level: string; policies: Record<string, object> }[] = [
  { level: 'r-ab12', policies: { FullAWSAccess: fullAwsAccess } },
  { level: 'ou-ab12-prod0001', policies: { FullAWSAccess: fullAwsAccess, Guardrails: guardrails } },
];

const secretPolicy = (principal: string): object => ({
  Version: V,
  Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});
const keyPolicy = (principal: string): object => ({
  Version: V,
  Statement: [{ Sid: 'KeyAccess', Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }],
});

export const SECRET = (name: string): string => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-AbCdEf`;
export const KEY = (id: string): string => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
const DEFAULT_KEY = '0b1c2d3e-0000-4000-8000-000000000001';
const ADMIN_ONLY_KEY = '0b1c2d3e-0000-4000-8000-000000000002';

/**
 * Resource-based policies, by bucket name or by resource ARN. `key` policies (KMS) must allow
 * the request themselves; naming the account delegates to its identity policies.
 */
export const RESOURCE_POLICIES: Record<string, { policy: object; account: string; kind: 'resource' | 'key' }> = {
  'team-3-data': { policy: teamBucketPolicy, account: ACCOUNT, kind: 'resource' },
  'partner-exports': { policy: partnerBucketPolicy, account: PARTNER, kind: 'resource' },
  [SECRET('by-role')]: { policy: secretPolicy(`arn:aws:iam::${ACCOUNT}:role/Dev`), account: ACCOUNT, kind: 'resource' },
  [SECRET('by-session')]: { policy: secretPolicy(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`), account: ACCOUNT, kind: 'resource' },
  [SECRET('by-account')]: { policy: secretPolicy(`arn:aws:iam::${ACCOUNT}:root`), account: ACCOUNT, kind: 'resource' },
  [KEY(DEFAULT_KEY)]: { policy: keyPolicy(`arn:aws:iam::${ACCOUNT}:root`), account: ACCOUNT, kind: 'key' },
  [KEY(ADMIN_ONLY_KEY)]: { policy: keyPolicy(`arn:aws:iam::${ACCOUNT}:role/KeyAdmin`), account: ACCOUNT, kind: 'key' },
};

export type Outcome = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface Case {
  profile: keyof typeof PROFILES;
  action: string;
  resource: string;
  region?: string;
  /** Request keys beyond region, source IP and TLS (resource and request tags, service keys). */
  extra?: Record<string, string | string[]>;
  sourceIp?: string;
  secureTransport?: boolean;
  /** What AWS's published evaluation logic decides, and why. */
  expect: Outcome;
  why: string;
}

const A = ACCOUNT;
export const CASES: Case[] = [
  // The developer role session (Dev/alice, Project=alpha, boundary DevBoundary).
  { profile: 'dev', action: 's3:GetObject', resource: 'arn:aws:s3:::team-3-data/alpha/report.csv', expect: 'Allow', why: 'Data policy, ${aws:PrincipalTag/Project} in the ARN' },
  { profile: 'dev', action: 's3:GetObject', resource: 'arn:aws:s3:::team-3-data/alpha/report.csv', secureTransport: false, expect: 'ExplicitDeny', why: 'bucket policy denies without TLS' },
  { profile: 'dev', action: 's3:GetObject', resource: 'arn:aws:s3:::team-3-data/beta/plan.csv', expect: 'Allow', why: 'same-account bucket policy alone (Principal *, aws:PrincipalOrgID)' },
  { profile: 'dev', action: 's3:PutObject', resource: 'arn:aws:s3:::team-3-data/beta/plan.csv', expect: 'ImplicitDeny', why: 'no identity statement for beta/, bucket grants only reads' },
  { profile: 'dev', action: 's3:PutObject', resource: 'arn:aws:s3:::team-7-data/alpha/out.parquet', expect: 'Allow', why: 'Data policy, no bucket policy' },
  { profile: 'dev', action: 's3:ListBucket', resource: 'arn:aws:s3:::team-7-data', extra: { 's3:prefix': 'alpha/2026/' }, expect: 'Allow', why: 's3:prefix StringLike ${aws:PrincipalTag/Project}/*' },
  { profile: 'dev', action: 's3:ListBucket', resource: 'arn:aws:s3:::team-7-data', extra: { 's3:prefix': 'beta/' }, expect: 'ImplicitDeny', why: 's3:prefix outside the allowed prefixes' },
  { profile: 'dev', action: 'dynamodb:Query', resource: `arn:aws:dynamodb:us-east-1:${A}:table/team-11-orders`, extra: { 'dynamodb:LeadingKeys': ['alpha'] }, expect: 'Allow', why: 'ForAllValues LeadingKeys ⊆ {alpha}' },
  { profile: 'dev', action: 'dynamodb:Query', resource: `arn:aws:dynamodb:us-east-1:${A}:table/team-11-orders`, extra: { 'dynamodb:LeadingKeys': ['alpha', 'beta'] }, expect: 'ImplicitDeny', why: 'ForAllValues fails on beta' },
  { profile: 'dev', action: 'ec2:StartInstances', resource: `arn:aws:ec2:us-east-1:${A}:instance/i-0a1b2c3d4e5f60001`, extra: { 'aws:ResourceTag/Project': 'alpha' }, expect: 'Allow', why: 'ABAC: ResourceTag = PrincipalTag, IP in 10/8, TLS' },
  { profile: 'dev', action: 'ec2:StartInstances', resource: `arn:aws:ec2:us-east-1:${A}:instance/i-0a1b2c3d4e5f60002`, extra: { 'aws:ResourceTag/Project': 'beta' }, expect: 'ImplicitDeny', why: 'ABAC: tag mismatch' },
  { profile: 'dev', action: 'ec2:StartInstances', resource: `arn:aws:ec2:us-east-1:${A}:instance/i-0a1b2c3d4e5f60001`, extra: { 'aws:ResourceTag/Project': 'alpha' }, sourceIp: '203.0.113.9', expect: 'ImplicitDeny', why: 'ABAC: source IP outside the ranges' },
  { profile: 'dev', action: 'ec2:StartInstances', resource: `arn:aws:ec2:us-east-1:${A}:instance/i-0a1b2c3d4e5f60003`, extra: { 'aws:ResourceTag/Project': 'alpha' }, sourceIp: '2001:db8:1::7', expect: 'Allow', why: 'ABAC: IPv6 source in 2001:db8::/32' },
  { profile: 'dev', action: 'ec2:TerminateInstances', resource: `arn:aws:ec2:us-east-1:${A}:instance/i-0a1b2c3d4e5f60001`, extra: { 'aws:ResourceTag/Project': 'alpha' }, expect: 'ExplicitDeny', why: 'BoolIfExists MFA false deny' },
  { profile: 'dev', action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:eu-central-1:${A}:function:ingest`, region: 'eu-central-1', extra: { 'aws:ResourceTag/Project': 'alpha' }, expect: 'ExplicitDeny', why: 'SCP region guardrail' },
  { profile: 'dev', action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:eu-west-2:${A}:function:ingest`, region: 'eu-west-2', extra: { 'aws:ResourceTag/Project': 'alpha' }, expect: 'Allow', why: 'allowed region, ABAC' },
  { profile: 'dev', action: 'rds:CreateDBInstance', resource: `arn:aws:rds:us-east-1:${A}:db:alpha-reports`, extra: { 'aws:RequestTag/Project': 'alpha', 'aws:TagKeys': ['Project', 'Owner'] }, expect: 'Allow', why: 'RequestTag = PrincipalTag, TagKeys ⊆ allowed' },
  { profile: 'dev', action: 'rds:CreateDBInstance', resource: `arn:aws:rds:us-east-1:${A}:db:alpha-reports`, extra: { 'aws:RequestTag/Project': 'alpha', 'aws:TagKeys': ['Project', 'Secret'] }, expect: 'ImplicitDeny', why: 'ForAllValues TagKeys fails' },
  { profile: 'dev', action: 'iam:PutRolePermissionsBoundary', resource: `arn:aws:iam::${A}:role/Dev`, expect: 'ExplicitDeny', why: 'boundary Deny statement' },
  { profile: 'dev', action: 'iam:GetRole', resource: `arn:aws:iam::${A}:role/Dev`, expect: 'ImplicitDeny', why: 'identity allows iam:Get*, boundary does not' },
  { profile: 'dev', action: 'ec2:DescribeInstances', resource: '*', expect: 'Allow', why: 'catalogue ec2:Describe*' },
  { profile: 'dev', action: 's3:GetObject', resource: 'arn:aws:s3:::partner-exports/2026/02/ledger.csv', expect: 'Allow', why: 'cross-account: partner bucket names role/Dev, identity allows (DateLessThan)' },
  { profile: 'dev', action: 's3:ListBucket', resource: 'arn:aws:s3:::partner-exports', extra: { 's3:prefix': '2026/' }, expect: 'ImplicitDeny', why: 'cross-account: bucket allows, identity does not' },
  { profile: 'dev', action: 'organizations:LeaveOrganization', resource: '*', expect: 'ExplicitDeny', why: 'SCP DenyLeaveOrg' },
  // The platform user (ops/bob, long-term keys, ViewOnly + PowerUser, no boundary).
  { profile: 'ops', action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${A}:orders`, expect: 'Allow', why: 'PowerUser NotAction' },
  { profile: 'ops', action: 'iam:CreateUser', resource: `arn:aws:iam::${A}:user/eve`, expect: 'ImplicitDeny', why: 'PowerUser excludes iam:*' },
  { profile: 'ops', action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`, expect: 'Allow', why: 'PowerUser second statement' },
  { profile: 'ops', action: 'cloudtrail:StopLogging', resource: `arn:aws:cloudtrail:us-east-1:${A}:trail/org-trail`, expect: 'ExplicitDeny', why: 'SCP DenySecurityOff' },
  { profile: 'ops', action: 'kms:Decrypt', resource: `arn:aws:kms:eu-central-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, region: 'eu-central-1', expect: 'ExplicitDeny', why: 'SCP region guardrail' },
  { profile: 'ops', action: 's3:DeleteObject', resource: 'arn:aws:s3:::team-3-data/tmp/x', secureTransport: false, expect: 'ExplicitDeny', why: 'bucket policy TLS deny' },
  { profile: 'ops', action: 'organizations:ListAccounts', resource: '*', expect: 'Allow', why: 'catalogue organizations:List*' },
  { profile: 'ops', action: 'account:PutAlternateContact', resource: `arn:aws:account::${A}:account`, expect: 'ImplicitDeny', why: 'PowerUser excludes account:*' },
  { profile: 'ops', action: 'ec2:CreateVolume', resource: `arn:aws:ec2:us-east-1:${A}:volume/vol-0a1b2c3d4e5f60001`, extra: { 'aws:RequestTag/Owner': 'bob', 'aws:TagKeys': ['Owner'] }, expect: 'ExplicitDeny', why: 'SCP Null aws:RequestTag/CostCenter' },
  { profile: 'ops', action: 'ec2:CreateVolume', resource: `arn:aws:ec2:us-east-1:${A}:volume/vol-0a1b2c3d4e5f60002`, extra: { 'aws:RequestTag/CostCenter': 'cc-42', 'aws:TagKeys': ['CostCenter'] }, expect: 'Allow', why: 'tag present, PowerUser' },
  { profile: 'ops', action: 'kms:Decrypt', resource: KEY(DEFAULT_KEY), expect: 'Allow', why: 'key policy names the account: identity policy (PowerUser) decides' },
  { profile: 'ops', action: 'kms:Decrypt', resource: KEY(ADMIN_ONLY_KEY), expect: 'ImplicitDeny', why: 'key policy must allow; it names only role/KeyAdmin' },
  // Same-account resource policies and the boundary: naming the session grants alone, naming
  // the role is capped by the boundary, naming the account delegates to identity policies.
  { profile: 'dev', action: 'secretsmanager:GetSecretValue', resource: SECRET('by-session'), expect: 'Allow', why: 'resource policy names the role session: boundary does not cap' },
  { profile: 'dev', action: 'secretsmanager:GetSecretValue', resource: SECRET('by-role'), expect: 'ImplicitDeny', why: 'resource policy names the role: boundary (no secretsmanager) caps' },
  { profile: 'dev', action: 'secretsmanager:GetSecretValue', resource: SECRET('by-account'), expect: 'ImplicitDeny', why: 'resource policy names the account: identity policies must allow' },
  // The organization's access role: exempt from the region guardrail, not from the others.
  { profile: 'orgAdmin', action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-central-1:${A}:instance/i-0a1b2c3d4e5f60009`, region: 'eu-central-1', expect: 'Allow', why: 'ArnNotLike aws:PrincipalArn exemption' },
  { profile: 'orgAdmin', action: 'guardduty:DeleteDetector', resource: `arn:aws:guardduty:us-east-1:${A}:detector/12abc34d567e8fa901bc2d34e56789f0`, expect: 'ExplicitDeny', why: 'SCP DenySecurityOff' },
];

/** The request keys of a case as Drydock's gateway passes them (principal keys are derived). */
export function requestKeys(c: Case): Record<string, string | string[]> {
  return {
    'aws:RequestedRegion': c.region ?? 'us-east-1',
    'aws:SourceIp': c.sourceIp ?? '10.1.2.3',
    'aws:SecureTransport': String(c.secureTransport ?? true),
    'aws:CurrentTime': NOW.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(NOW.getTime() / 1000)),
    ...PROFILES[c.profile].credentialKeys,
    ...c.extra,
  };
}

/** The resource-based policy of a case's resource (its bucket's, for S3 objects), if it has one. */
export function resourcePolicyOf(resource: string): { name: string; policy: object; account: string; kind: 'resource' | 'key' } | undefined {
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(resource)?.[1];
  const name = bucket ?? resource;
  const rp = RESOURCE_POLICIES[name];
  return rp ? { name, ...rp } : undefined;
}

/** The account that owns a case's resource: the bucket's owner for S3, else the ARN's account, else the caller's. */
export function resourceAccountOf(c: Case): string {
  const rp = resourcePolicyOf(c.resource);
  if (rp) return rp.account;
  const account = c.resource.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : PROFILES[c.profile].principal.account;
}

/** Every document, by name, with the quota it is held to (for the size line of the report). */
export const DOCUMENTS: [string, object, 'managed' | 'scp' | 'bucket'][] = [
  ['ViewOnly', viewOnly, 'managed'], ['PowerUser', powerUser, 'managed'], ['Abac', abac, 'managed'], ['Data', data, 'managed'],
  ['DevBoundary', boundary, 'managed'], ['Guardrails', guardrails, 'scp'], ['team-3-data', teamBucketPolicy, 'bucket'],
];

/**
 * The cases as Drydock engine requests, with every policy compiled once up front, as the
 * gateway does (it caches compiled policies by id and text).
 */
export function drydockRequests(): { requests: AuthzRequest[]; compileMs: number; documents: number } {
  const t0 = performance.now();
  const cache = new Map<string, Policy>();
  const compile = (doc: object, kind: 'identity' | 'boundary' | 'scp' | 'resource' | 'key', id: string): Policy => {
    let p = cache.get(`${kind}:${id}`);
    if (!p) {
      p = parsePolicy(doc, { kind, id });
      cache.set(`${kind}:${id}`, p);
    }
    return p;
  };
  const scpLevels = SCPS.map((l) => ({ level: l.level, policies: Object.entries(l.policies).map(([n, d]) => compile(d, 'scp', n)) }));
  const resourcePolicies = new Map(Object.entries(RESOURCE_POLICIES).map(([n, r]) => [n, compile(r.policy, r.kind, n)]));
  const profiles = Object.fromEntries(Object.entries(PROFILES).map(([name, pr]) => [name, {
    identity: Object.entries(pr.identity).map(([n, d]) => compile(d, 'identity', n)),
    boundary: pr.boundary ? Object.entries(pr.boundary).map(([n, d]) => compile(d, 'boundary', n))[0] : undefined,
  }]));
  const compileMs = performance.now() - t0;
  const requests = CASES.map((c): AuthzRequest => {
    const pr = profiles[c.profile]!;
    const rp = resourcePolicyOf(c.resource);
    const context: Record<string, ContextValue> = {};
    for (const [k, v] of Object.entries(requestKeys(c))) context[k] = v === 'true' ? true : v === 'false' ? false : v;
    // The gateway derives aws:CurrentTime/EpochTime from `now`; drop the explicit copies.
    delete context['aws:CurrentTime'];
    delete context['aws:EpochTime'];
    return {
      principal: PROFILES[c.profile].principal,
      action: c.action,
      resources: [c.resource],
      context,
      identityPolicies: pr.identity,
      boundary: pr.boundary,
      scpLevels,
      resourcePolicy: rp ? { policy: resourcePolicies.get(rp.name)!, resourceAccount: rp.account, required: rp.kind === 'key' } : undefined,
      resourceAccount: resourceAccountOf(c),
      now: NOW,
    };
  });
  return { requests, compileMs, documents: cache.size };
}

/**
 * Edge probes, decided by both engines but not timed: small policies aimed at corners of the
 * evaluation logic where implementations are known to differ. `expect` is what AWS documents
 * (with the source in `why`); undefined where the documentation does not settle it.
 */
export interface Probe {
  name: string;
  caller: 'role' | 'user';
  action: string;
  resource: string;
  resourceAccount: string;
  identity: object[];
  boundary?: object;
  resourcePolicy?: object;
  context?: Record<string, string | string[]>;
  expect: Outcome | undefined;
  why: string;
}

const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: object): object =>
  ({ Version: V, Statement: [{ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) }] });
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
const INSTANCE = `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0a1b2c3d4e5f60001`;
const SECRET_X = SECRET('probe');

export const PROBE_CALLERS: Record<Probe['caller'], { principal: RequestPrincipal; keys: Record<string, string> }> = {
  role: {
    principal: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`, account: ACCOUNT, type: 'assumed-role', userId: 'AROAEXAMPLEDEV0000001:alice', tags: { Project: 'alpha' } },
    keys: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/Dev`, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalTag/Project': 'alpha', 'aws:userid': 'AROAEXAMPLEDEV0000001:alice' },
  },
  user: {
    principal: { arn: `arn:aws:iam::${ACCOUNT}:user/bob`, account: ACCOUNT, type: 'user', userId: 'AIDAEXAMPLEOPS0000001', tags: { Project: 'alpha' } },
    keys: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/bob`, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalTag/Project': 'alpha', 'aws:userid': 'AIDAEXAMPLEOPS0000001', 'aws:username': 'bob' },
  },
};

export const PROBES: Probe[] = [
  {
    name: 'Deny with NotPrincipal naming the caller, caller has a boundary', caller: 'role', action: 's3:GetObject', resource: 'arn:aws:s3:::probe-bucket/k', resourceAccount: ACCOUNT,
    identity: [allow('s3:*')], boundary: allow('s3:*'),
    resourcePolicy: { Version: V, Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/Dev`, `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 's3:*', Resource: 'arn:aws:s3:::probe-bucket/*' }] },
    expect: 'ExplicitDeny', why: 'IAM guide, permissions boundaries: NotPrincipal with Deny "will always deny any IAM principal that has a permissions boundary policy attached"',
  },
  {
    name: 'the same without a boundary', caller: 'role', action: 's3:GetObject', resource: 'arn:aws:s3:::probe-bucket/k', resourceAccount: ACCOUNT,
    identity: [allow('s3:*')],
    resourcePolicy: { Version: V, Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/Dev`, `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 's3:*', Resource: 'arn:aws:s3:::probe-bucket/*' }] },
    expect: 'Allow', why: 'NotPrincipal names the caller',
  },
  {
    name: 'StringEquals with ${*} (a literal *)', caller: 'user', action: 's3:ListBucket', resource: 'arn:aws:s3:::probe-bucket', resourceAccount: ACCOUNT,
    identity: [allow('s3:ListBucket', '*', { StringEquals: { 's3:prefix': 'tmp${*}' } })], context: { 's3:prefix': 'tmp*' },
    expect: 'Allow', why: 'IAM guide, policy variables, special characters: ${*} stands for a literal *, wherever policy variables may be used',
  },
  {
    name: 'StringEquals on a multivalued key without ForAnyValue/ForAllValues', caller: 'user', action: 'ec2:CreateTags', resource: INSTANCE, resourceAccount: ACCOUNT,
    identity: [allow('ec2:CreateTags', '*', { StringEquals: { 'aws:TagKeys': 'Project' } })], context: { 'aws:TagKeys': ['Owner', 'Project'] },
    expect: undefined, why: 'the guide says only that multivalued keys "require a condition set operator"; iam-simulate never matches (citing AWS at re:Inforce 2025, IAM431), Drydock treats it as ForAnyValue',
  },
  {
    name: 'ArnLike pattern with fewer than six segments (arn:aws:sns:*:topic)', caller: 'user', action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: ACCOUNT,
    identity: [allow('sqs:SendMessage', '*', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:topic' } })], context: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:topic` },
    expect: undefined, why: 'the guide: "each of the six colon-delimited components of the ARN is checked separately"; a five-segment pattern is not covered. iam-simulate: no match; Drydock: whole-string glob',
  },
  {
    name: 'same-account resource policy with Principal *, boundary without the action', caller: 'role', action: 'secretsmanager:GetSecretValue', resource: SECRET_X, resourceAccount: ACCOUNT,
    identity: [], boundary: allow('s3:*'),
    resourcePolicy: { Version: V, Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] },
    expect: undefined, why: 'the guide covers policies naming the session (boundary does not cap) or the role (it does), not Principal *',
  },
  {
    name: 'resource policy naming the IAM user, boundary without the action', caller: 'user', action: 'secretsmanager:GetSecretValue', resource: SECRET_X, resourceAccount: ACCOUNT,
    identity: [], boundary: allow('s3:*'),
    resourcePolicy: { Version: V, Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] },
    expect: 'Allow', why: 'IAM guide, boundaries: an implicit deny in a boundary does not limit what a same-account resource policy grants an IAM user',
  },
  {
    name: 'cross-account bucket naming the caller\'s account, identity allows', caller: 'user', action: 's3:GetObject', resource: 'arn:aws:s3:::partner-probe/k', resourceAccount: PARTNER,
    identity: [allow('s3:GetObject')],
    resourcePolicy: { Version: V, Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::partner-probe/*' }] },
    expect: 'Allow', why: 'cross-account: both sides allow',
  },
  {
    name: 'StringNotEquals on an absent key', caller: 'user', action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: ACCOUNT,
    identity: [allow('sqs:SendMessage', '*', { StringNotEquals: { 'aws:PrincipalTag/Team': 'x' } })],
    expect: 'Allow', why: 'negated operators match when the key is absent',
  },
  {
    name: 'policy variable without a value', caller: 'user', action: 's3:GetObject', resource: 'arn:aws:s3:::probe-bucket/alpha/k', resourceAccount: ACCOUNT,
    identity: [allow('s3:GetObject', 'arn:aws:s3:::probe-bucket/${aws:PrincipalTag/Missing}*')],
    expect: 'ImplicitDeny', why: 'a variable with no value makes the element not match',
  },
  {
    name: 'policy variable default value', caller: 'user', action: 's3:GetObject', resource: 'arn:aws:s3:::probe-bucket/alpha/k', resourceAccount: ACCOUNT,
    identity: [allow('s3:GetObject', "arn:aws:s3:::probe-bucket/${aws:PrincipalTag/Missing, 'alpha'}/*")],
    expect: 'Allow', why: 'IAM guide, policy variables: default values',
  },
  {
    name: 'ForAnyValue on an absent key', caller: 'user', action: 'ec2:CreateTags', resource: INSTANCE, resourceAccount: ACCOUNT,
    identity: [allow('ec2:CreateTags', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Project'] } })],
    expect: 'ImplicitDeny', why: 'ForAnyValue is false without the key',
  },
  {
    name: 'NumericLessThanIfExists on an absent key', caller: 'user', action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: ACCOUNT,
    identity: [allow('sqs:SendMessage', '*', { NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } })],
    expect: 'Allow', why: '…IfExists is true without the key',
  },
  {
    name: 'DateGreaterThan with an epoch value', caller: 'user', action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: ACCOUNT,
    identity: [allow('sqs:SendMessage', '*', { DateGreaterThan: { 'aws:CurrentTime': '1700000000' } })], context: { 'aws:CurrentTime': '2026-03-01T12:00:00Z' },
    expect: 'Allow', why: 'date operators take ISO 8601 or epoch seconds',
  },
  {
    name: 'Resource is case-sensitive', caller: 'user', action: 's3:GetObject', resource: 'arn:aws:s3:::probe-bucket/Alpha/k', resourceAccount: ACCOUNT,
    identity: [allow('s3:GetObject', 'arn:aws:s3:::probe-bucket/alpha/*')],
    expect: 'ImplicitDeny', why: 'resource ARNs compare case-sensitively',
  },
  {
    name: 'Action is case-insensitive', caller: 'user', action: 's3:GetObject', resource: 'arn:aws:s3:::probe-bucket/alpha/k', resourceAccount: ACCOUNT,
    identity: [allow('S3:getobject', 'arn:aws:s3:::probe-bucket/alpha/*')],
    expect: 'Allow', why: 'action names compare case-insensitively',
  },
];
