import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accessDeniedMessage,
  evaluate,
  explainDecision,
  getContextKeys,
  parsePolicy,
  type AuthzRequest,
} from '../../../src/engines/iam-policy/index.js';

const user = { arn: 'arn:aws:iam::111111111111:user/bob', account: '111111111111', type: 'user', userId: 'AIDABOB' } as const;
const now = new Date('2024-06-01T00:00:00Z');

test('the AWS access denied sentence', () => {
  const req: AuthzRequest = { principal: user, action: 's3:GetObject', resources: ['arn:aws:s3:::b/k'], context: {}, identityPolicies: [], now };
  const d = evaluate(req);
  assert.equal(
    accessDeniedMessage(req, d),
    'User: arn:aws:iam::111111111111:user/bob is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action',
  );
  const star = { ...req, action: 'ec2:DescribeInstances', resources: ['*'] };
  assert.match(accessDeniedMessage(star, evaluate(star)), /perform: ec2:DescribeInstances because no/);
});

test('explanations name the deciding statements', () => {
  const scp = parsePolicy({ Version: '2012-10-17', Statement: [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, { kind: 'scp', id: 'p-123' });
  const d = evaluate({ principal: user, action: 's3:GetObject', resources: ['*'], context: {}, identityPolicies: [], scpLevels: [{ level: 'ou-prod', policies: [scp] }], now });
  assert.deepEqual(explainDecision(d), [
    'ExplicitDeny on `*`: with an explicit deny in a service control policy',
    '  Deny by scp `p-123` at `ou-prod` statement `NoS3`',
  ]);
  const none = evaluate({ principal: user, action: 's3:GetObject', resources: ['*'], context: {}, identityPolicies: [], now });
  assert.deepEqual(explainDecision(none).at(-1), '  no allowing statement in identity');
});

test('every deny that matched is reported, in evaluation order', () => {
  const deny = (id: string, kind: 'identity' | 'scp') =>
    parsePolicy({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }, { kind, id });
  const d = evaluate({
    principal: user,
    action: 's3:GetObject',
    resources: ['*'],
    context: {},
    identityPolicies: [deny('i1', 'identity')],
    scpLevels: [{ level: 'r', policies: [deny('s1', 'scp')] }],
    now,
  });
  assert.deepEqual(d.reason.map((r) => r.policyId), ['s1', 'i1']);
  assert.equal(d.message, 'with an explicit deny in a service control policy');
});

test('context keys used by policies, for GetContextKeysFor*Policy', () => {
  const p = parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}/*', Condition: { StringEquals: { 's3:prefix': '${aws:PrincipalTag/Team}' } } },
        { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringLike: { 'S3:Prefix': 'x' } } },
      ],
    },
    { kind: 'identity' },
  );
  assert.deepEqual(getContextKeys([p]).sort(), ['aws:PrincipalTag/Team', 'aws:SecureTransport', 'aws:username', 's3:prefix'].sort());
});

test('a compiled policy is reusable across requests and services', () => {
  const p = parsePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 'ec2:Describe*'], Resource: '*' }, { Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] },
    { kind: 'identity' },
  );
  const ask = (action: string) => evaluate({ principal: user, action, resources: ['*'], context: {}, identityPolicies: [p], now }).decision;
  assert.equal(ask('s3:GetObject'), 'Allow');
  assert.equal(ask('s3:PutObject'), 'ImplicitDeny');
  assert.equal(ask('ec2:DescribeVpcs'), 'Allow');
  assert.equal(ask('lambda:InvokeFunction'), 'Allow');
  assert.equal(ask('s3:GetObject'), 'Allow');
});
