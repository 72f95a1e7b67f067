// Differential property test: random policies and requests over a small vocabulary,
// decided by the engine and by the naive reference evaluator, must agree on the decision
// and on the policy type named in the denial. A failure prints the counterexample; turn
// it into a case file under cases/ when it reveals a bug.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { evaluate, parsePolicy, type Decision, type PolicyKind } from '../../../src/engines/iam-policy/index.js';
import { referenceEvaluate, type RefRequest, type RefUser } from './reference.js';

const A = '111111111111';
const B = '222222222222';
const USERS: RefUser[] = [
  { arn: `arn:aws:iam::${A}:user/alice`, account: A, name: 'alice', tags: { team: 'red' } },
  { arn: `arn:aws:iam::${A}:user/bob`, account: A, name: 'bob', tags: {} },
  { arn: `arn:aws:iam::${B}:user/carol`, account: B, name: 'carol', tags: { team: 'blue' } },
];
const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'ec2:RunInstances', 'iam:CreateRole'];
const ACTION_PATTERNS = ['*', 's3:*', 's3:Get*', 'S3:getobject', 's3:?utObject', 'ec2:*', 'iam:Create*', 'ec2:RunInstances', 's3:ListBucket'];
const RESOURCES = [
  'arn:aws:s3:::b1/alice/k',
  'arn:aws:s3:::b1/bob/k',
  'arn:aws:s3:::b2/k',
  `arn:aws:ec2:us-east-1:${A}:instance/i-1`,
  `arn:aws:ec2:eu-west-1:${B}:instance/i-2`,
  '*',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::b1/*',
  'arn:aws:s3:::b1/${aws:username}/*',
  'arn:aws:s3:::*',
  `arn:aws:ec2:*:${A}:instance/*`,
  'arn:aws:ec2:us-?ast-1:*:instance/i-?',
  'arn:aws:s3:::b2/k',
];
const PRINCIPALS = ['*', { AWS: USERS[0]?.arn }, { AWS: A }, { AWS: `arn:aws:iam::${B}:root` }, { AWS: [USERS[2]?.arn, '*'] }, { AWS: USERS[2]?.arn }];

const subset = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const condition = fc.oneof(
  fc.record({
    op: fc.constantFrom('StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIfExists', 'StringNotEqualsIfExists'),
    key: fc.constantFrom('aws:RequestedRegion', 'aws:PrincipalTag/team'),
    values: subset(['us-east-1', 'eu-west-1', 'us-*', 'red', 'blue']),
  }),
  fc.record({
    op: fc.constantFrom('ForAllValues:StringEquals', 'ForAnyValue:StringEquals', 'ForAnyValue:StringNotEquals', 'ForAllValues:StringNotLike', 'ForAnyValue:StringLike'),
    key: fc.constant('aws:TagKeys'),
    values: subset(['Project', 'Owner', 'O*']),
  }),
  fc.record({ op: fc.constant('Null'), key: fc.constantFrom('aws:RequestedRegion', 'aws:TagKeys'), values: fc.constantFrom<string[]>(['true'], ['false']) }),
);

const statement = (withPrincipal: boolean) =>
  fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      notAction: fc.constantFrom(false, false, false, true),
      actions: subset(ACTION_PATTERNS),
      notResource: fc.boolean(),
      resources: subset(RESOURCE_PATTERNS),
      conditions: fc.array(condition, { maxLength: 2 }),
      principal: fc.constantFrom(...PRINCIPALS),
      notPrincipal: fc.constantFrom(undefined, undefined, undefined, [USERS[0]?.arn, A], [USERS[0]?.arn], [A], [USERS[2]?.arn, `arn:aws:iam::${B}:root`]),
    })
    .map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect };
      out[s.notAction ? 'NotAction' : 'Action'] = s.actions;
      out[s.notResource && s.resources.length < 3 ? 'NotResource' : 'Resource'] = s.resources;
      if (withPrincipal) {
        if (s.notPrincipal !== undefined) out.NotPrincipal = { AWS: s.notPrincipal };
        else out.Principal = s.principal;
      }
      if (s.conditions.length > 0) {
        const cond: Record<string, Record<string, string[]>> = {};
        for (const c of s.conditions) cond[c.op] = { ...cond[c.op], [c.key]: c.values };
        out.Condition = cond;
      }
      return out;
    });

const documentOf = (withPrincipal: boolean) =>
  fc.array(statement(withPrincipal), { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: '2012-10-17', Statement }));

const scenario = fc.record({
  user: fc.constantFrom(...USERS),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  region: fc.constantFrom(undefined, 'us-east-1', 'eu-west-1'),
  tagKeys: fc.constantFrom<string[] | undefined>(undefined, [], ['Project'], ['Project', 'Owner'], ['Secret']),
  identity: fc.array(documentOf(false), { maxLength: 3 }),
  boundary: fc.option(documentOf(false), { nil: undefined }),
  scpLevels: fc.array(fc.array(documentOf(false), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
  resourcePolicy: fc.option(fc.record({ doc: documentOf(true), account: fc.constantFrom(A, B) }), { nil: undefined }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function toRef(s: Scenario): RefRequest {
  const context: Record<string, string | string[]> = {};
  if (s.region !== undefined) context['aws:RequestedRegion'] = s.region;
  if (s.tagKeys !== undefined) context['aws:TagKeys'] = s.tagKeys;
  return {
    user: s.user,
    action: s.action,
    resource: s.resource,
    context,
    identity: s.identity,
    ...(s.boundary === undefined ? {} : { boundary: s.boundary }),
    scpLevels: s.scpLevels,
    ...(s.resourcePolicy === undefined ? {} : { resourcePolicy: s.resourcePolicy }),
  };
}

function runEngine(r: RefRequest): Decision {
  const parse = (doc: object, kind: PolicyKind, id: string) => parsePolicy(doc, { kind, id });
  return evaluate({
    principal: { arn: r.user.arn, account: r.user.account, type: 'user', userId: `AIDA${r.user.name.toUpperCase()}`, tags: r.user.tags },
    action: r.action,
    resources: [r.resource],
    context: r.context,
    identityPolicies: r.identity.map((d, i) => parse(d, 'identity', `id${i}`)),
    ...(r.boundary === undefined ? {} : { boundary: parse(r.boundary, 'boundary', 'boundary') }),
    scpLevels: r.scpLevels.map((docs, l) => ({ level: `l${l}`, policies: docs.map((d, i) => parse(d, 'scp', `scp${l}.${i}`)) })),
    ...(r.resourcePolicy === undefined
      ? {}
      : { resourcePolicy: { policy: parse(r.resourcePolicy.doc, 'resource', 'rp'), resourceAccount: r.resourcePolicy.account } }),
    now: new Date('2024-06-01T00:00:00Z'),
  });
}

const RUNS = Number(process.env.IAM_DIFF_RUNS ?? 3000);

test('the engine agrees with the reference evaluator', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const req = toRef(s);
      const want = referenceEvaluate(req);
      const got = runEngine(req);
      const gotType = got.decision === 'ExplicitDeny' ? got.reason[0]?.policyType : got.missing?.policyType;
      assert.equal(got.decision, want.decision, `${got.message}`);
      if (want.type !== undefined) assert.equal(gotType, want.type, got.message);
    }),
    { numRuns: RUNS },
  );
});

test('granting more identity permissions never turns an allow into a deny, nor lifts an explicit deny', () => {
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  fc.assert(
    fc.property(scenario, (s) => {
      const before = runEngine(toRef(s)).decision;
      const after = runEngine(toRef({ ...s, identity: [...s.identity, allowAll] })).decision;
      if (before === 'Allow') assert.equal(after, 'Allow');
      if (before === 'ExplicitDeny') assert.equal(after, 'ExplicitDeny');
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

test('the generator reaches every outcome', () => {
  const seen = new Set<string>();
  fc.assert(fc.property(scenario, (s) => void seen.add(referenceEvaluate(toRef(s)).decision)), { numRuns: 500 });
  assert.deepEqual([...seen].sort(), ['Allow', 'ExplicitDeny', 'ImplicitDeny']);
});
