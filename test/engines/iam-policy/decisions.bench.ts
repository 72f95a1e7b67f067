// Decisions per second of the IAM engine on a realistic policy set: four managed-policy
// sized documents (a ReadOnly-style catalogue of Describe/Get/List actions, a PowerUser
// NotAction policy, an ABAC policy with variables and conditions, a data-access policy
// with ARNs), a permissions boundary, two SCP levels (FullAWSAccess, then a region
// guardrail, deny-leave-organization and deny-disable-security), and a bucket policy.
// Not a test: run `node --import tsx test/engines/iam-policy/decisions.bench.ts`.
import { checkPolicySize, evaluate, parsePolicy, type AuthzRequest } from '../../../src/engines/iam-policy/index.js';

const A = '111111111111';
const V = '2012-10-17';
const SERVICES = [
  'acm', 'apigateway', 'application-autoscaling', 'athena', 'autoscaling', 'backup', 'batch', 'cloudformation', 'cloudfront',
  'cloudtrail', 'cloudwatch', 'codebuild', 'codecommit', 'codedeploy', 'codepipeline', 'cognito-idp', 'config', 'dax',
  'directconnect', 'dms', 'ds', 'dynamodb', 'ec2', 'ecr', 'ecs', 'eks', 'elasticache', 'elasticbeanstalk', 'elasticfilesystem',
  'elasticloadbalancing', 'elasticmapreduce', 'es', 'events', 'firehose', 'glacier', 'glue', 'guardduty', 'iam', 'inspector',
  'iot', 'kafka', 'kinesis', 'kms', 'lambda', 'logs', 'organizations', 'rds', 'redshift', 'route53', 'route53resolver', 's3',
  'sagemaker', 'secretsmanager', 'securityhub', 'ses', 'sns', 'sqs', 'ssm', 'states', 'sts', 'tag', 'waf', 'wafv2', 'xray',
];
const readOnly = {
  Version: V,
  Statement: [{ Sid: 'ReadOnly', Effect: 'Allow', Action: SERVICES.flatMap((s) => [`${s}:Describe*`, `${s}:Get*`, `${s}:List*`]), Resource: '*' }],
};
const powerUser = {
  Version: V,
  Statement: [
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization'], Resource: '*' },
  ],
};
const abac = {
  Version: V,
  Statement: [
    ...['ec2', 'rds', 'lambda', 'dynamodb', 'sqs', 'sns', 'secretsmanager', 'states'].map((s) => ({
      Sid: `Abac${s.replace(/[^a-z]/g, '')}`,
      Effect: 'Allow',
      Action: [`${s}:Start*`, `${s}:Stop*`, `${s}:Update*`, `${s}:Delete*`, `${s}:Put*`, `${s}:Invoke*`, `${s}:Send*`],
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
      Action: ['ec2:RunInstances', 'ec2:CreateVolume', 'rds:CreateDBInstance', 'lambda:CreateFunction'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/Project': '${aws:PrincipalTag/Project}' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Project', 'Owner', 'CostCenter'] } },
    },
  ],
};
const data = {
  Version: V,
  Statement: Array.from({ length: 15 }, (_, i) => ({
    Sid: `Data${i}`,
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    Resource: [`arn:aws:s3:::team-${i}-data`, `arn:aws:s3:::team-${i}-data/\${aws:PrincipalTag/Project}/*`, `arn:aws:dynamodb:*:${A}:table/team-${i}-*`],
    Condition: { StringLike: { 's3:prefix': ['', 'shared/*', '${aws:PrincipalTag/Project}/*'] } },
  })),
};
const boundary = {
  Version: V,
  Statement: [
    { Sid: 'Cap', Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'lambda:*', 'logs:*', 'ec2:*', 'sqs:*', 'sns:*', 'states:*', 'rds:*'], Resource: '*' },
    { Sid: 'NoBoundaryEdits', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'], Resource: '*' },
  ],
};
const full = { Version: V, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const guardrails = {
  Version: V,
  Statement: [
    {
      Sid: 'DenyOutsideRegions',
      Effect: 'Deny',
      NotAction: ['iam:*', 'organizations:*', 'route53:*', 'cloudfront:*', 'sts:*', 'support:*', 'budgets:*', 'waf:*', 'globalaccelerator:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-2'] }, ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/OrganizationAccountAccessRole` } },
    },
    { Sid: 'DenyLeaveOrg', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    { Sid: 'DenySecurityOff', Effect: 'Deny', Action: ['guardduty:DeleteDetector', 'cloudtrail:StopLogging', 'config:StopConfigurationRecorder', 'securityhub:DisableSecurityHub'], Resource: '*' },
  ],
};
const bucket = {
  Version: V,
  Statement: [
    { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::team-3-data', 'arn:aws:s3:::team-3-data/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'Org', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::team-3-data/*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-acme' } } },
  ],
};

for (const [name, doc] of Object.entries({ readOnly, powerUser, abac, data })) {
  const c = checkPolicySize(JSON.stringify(doc), 'managed');
  console.log(`${name}: ${c.size} characters (managed quota ${c.max})`);
}

const t0 = performance.now();
const identity = [readOnly, powerUser, abac, data].map((d, i) => parsePolicy(d, { kind: 'identity', id: `managed-${i}` }));
const compiled = {
  identity,
  boundary: parsePolicy(boundary, { kind: 'boundary', id: 'DevBoundary' }),
  scpLevels: [
    { level: 'r-root', policies: [parsePolicy(full, { kind: 'scp', id: 'FullAWSAccess' })] },
    { level: 'ou-prod', policies: [parsePolicy(full, { kind: 'scp', id: 'FullAWSAccess' }), parsePolicy(guardrails, { kind: 'scp', id: 'Guardrails' })] },
  ],
  bucket: parsePolicy(bucket, { kind: 'resource', id: 'bucket' }),
};
console.log(`compile: ${(performance.now() - t0).toFixed(2)} ms for 9 documents`);

const principal = {
  arn: `arn:aws:sts::${A}:assumed-role/Dev/alice`,
  account: A,
  type: 'assumed-role' as const,
  userId: 'AROADEV:alice',
  tags: { Project: 'alpha', Team: 'web' },
  orgId: 'o-acme',
};
const shapes: [string, string, Record<string, string | boolean | string[]>, boolean][] = [
  ['s3:GetObject', 'arn:aws:s3:::team-3-data/alpha/report.csv', { 's3:prefix': 'alpha/x' }, true],
  ['ec2:DescribeInstances', '*', {}, false],
  ['ec2:StartInstances', `arn:aws:ec2:us-east-1:${A}:instance/i-1`, { 'aws:ResourceTag/Project': 'alpha' }, false],
  ['ec2:StartInstances', `arn:aws:ec2:us-east-1:${A}:instance/i-2`, { 'aws:ResourceTag/Project': 'beta' }, false],
  ['dynamodb:Query', `arn:aws:dynamodb:us-east-1:${A}:table/team-12-orders`, {}, false],
  ['iam:CreateUser', '*', {}, false],
  ['lambda:InvokeFunction', `arn:aws:lambda:eu-central-1:${A}:function:f`, { 'aws:ResourceTag/Project': 'alpha' }, false],
  ['rds:CreateDBInstance', `arn:aws:rds:us-east-1:${A}:db:x`, { 'aws:RequestTag/Project': 'alpha', 'aws:TagKeys': ['Project', 'Owner'] }, false],
];
const requests: AuthzRequest[] = shapes.map(([action, resource, extra, withBucket], i) => ({
  principal,
  action,
  resources: [resource],
  context: {
    'aws:RequestedRegion': i === 6 ? 'eu-central-1' : 'us-east-1',
    'aws:SourceIp': '10.1.2.3',
    'aws:SecureTransport': true,
    ...extra,
  },
  identityPolicies: compiled.identity,
  boundary: compiled.boundary,
  scpLevels: compiled.scpLevels,
  ...(withBucket ? { resourcePolicy: { policy: compiled.bucket, resourceAccount: A } } : {}),
  now: new Date('2024-06-01T12:00:00Z'),
}));
for (const r of requests) {
  const d = evaluate(r);
  console.log(`  ${r.action.padEnd(22)} ${d.decision.padEnd(12)} ${d.message}`);
}

const round = (n: number): void => {
  for (let i = 0; i < n; i++) evaluate(requests[i % requests.length] as AuthzRequest);
};
round(50_000); // warm-up: JIT and per-service candidate caches
const runs: number[] = [];
for (let k = 0; k < 5; k++) {
  const n = 200_000;
  const start = performance.now();
  round(n);
  runs.push(n / ((performance.now() - start) / 1000));
}
runs.sort((a, b) => a - b);
console.log(`decisions/second: median ${Math.round(runs[2] ?? 0).toLocaleString('en-US')} (min ${Math.round(runs[0] ?? 0).toLocaleString('en-US')}, max ${Math.round(runs[4] ?? 0).toLocaleString('en-US')})`);

const lat: number[] = [];
for (let i = 0; i < 100_000; i++) {
  const s = process.hrtime.bigint();
  evaluate(requests[i % requests.length] as AuthzRequest);
  lat.push(Number(process.hrtime.bigint() - s) / 1000);
}
lat.sort((a, b) => a - b);
console.log(`latency µs: p50 ${lat[50_000]?.toFixed(2)}  p99 ${lat[99_000]?.toFixed(2)}  p99.9 ${lat[99_900]?.toFixed(2)}`);
