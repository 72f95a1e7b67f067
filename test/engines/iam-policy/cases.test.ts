// One table-driven test over cases/*.json: each file is one behaviour, `_NEG` files are
// the denials (or refused documents). Evaluation cases name their policies; the runner
// parses them with the kind given and builds the request around the named policies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  evaluate,
  MalformedPolicyError,
  parsePolicy,
  type AuthzRequest,
  type ContextValue,
  type PolicyKind,
  type RequestPrincipal,
} from '../../../src/engines/iam-policy/index.js';
import type { Policy } from '../../../src/engines/iam-policy/index.js';

const DIR = new URL('./cases/', import.meta.url);

const DEFAULT_PRINCIPAL: RequestPrincipal = {
  arn: 'arn:aws:sts::111111111111:assumed-role/Dev/alice',
  account: '111111111111',
  type: 'assumed-role',
  userId: 'AROADEVROLE000000001:alice',
  issuerArn: 'arn:aws:iam::111111111111:role/Dev',
};

interface LevelCase {
  level: string;
  policies: string[];
}

interface EvalCase {
  description: string;
  policies: Record<string, { kind: PolicyKind; document: object }>;
  request: {
    principal?: RequestPrincipal;
    action: string;
    resources: string[];
    context?: Record<string, ContextValue>;
    identityPolicies?: string[];
    boundary?: string;
    sessionPolicies?: string[];
    scpLevels?: LevelCase[];
    rcpLevels?: LevelCase[];
    resourcePolicy?: { policy: string; resourceAccount: string; required?: boolean };
    resourceAccount?: string;
    isManagementAccount?: boolean;
    isResourceManagementAccount?: boolean;
    now?: string;
  };
  expect: { decision: string; message?: string; resource?: string; missing?: object; reason?: object[] };
}

interface ParseCase {
  description: string;
  parse: { kind: PolicyKind; document?: object; text?: string };
  expect: { valid: true } | { error: { message: string; reason: string } };
}

function buildRequest(c: EvalCase): AuthzRequest {
  const policies = new Map<string, Policy>();
  for (const [name, p] of Object.entries(c.policies)) policies.set(name, parsePolicy(p.document, { kind: p.kind, id: name }));
  const get = (name: string): Policy => {
    const p = policies.get(name);
    assert.ok(p, `case names unknown policy ${name}`);
    return p;
  };
  const levels = (ls?: LevelCase[]) => ls?.map((l) => ({ level: l.level, policies: l.policies.map(get) }));
  const r = c.request;
  return {
    principal: r.principal ?? DEFAULT_PRINCIPAL,
    action: r.action,
    resources: r.resources,
    context: r.context ?? {},
    identityPolicies: (r.identityPolicies ?? []).map(get),
    ...(r.boundary === undefined ? {} : { boundary: get(r.boundary) }),
    ...(r.sessionPolicies === undefined ? {} : { sessionPolicies: r.sessionPolicies.map(get) }),
    ...(r.scpLevels === undefined ? {} : { scpLevels: levels(r.scpLevels) }),
    ...(r.rcpLevels === undefined ? {} : { rcpLevels: levels(r.rcpLevels) }),
    ...(r.resourcePolicy === undefined
      ? {}
      : { resourcePolicy: { ...r.resourcePolicy, policy: get(r.resourcePolicy.policy) } }),
    ...(r.resourceAccount === undefined ? {} : { resourceAccount: r.resourceAccount }),
    ...(r.isManagementAccount === undefined ? {} : { isManagementAccount: r.isManagementAccount }),
    ...(r.isResourceManagementAccount === undefined ? {} : { isResourceManagementAccount: r.isResourceManagementAccount }),
    now: new Date(r.now ?? '2024-06-01T12:00:00Z'),
  };
}

function runEval(c: EvalCase): void {
  const d = evaluate(buildRequest(c));
  const e = c.expect;
  assert.equal(d.decision, e.decision, `${d.decision}: ${d.message}`);
  if (e.message !== undefined) assert.equal(d.message, e.message);
  if (e.resource !== undefined) assert.equal(d.resource, e.resource);
  if (e.missing !== undefined) assert.deepEqual(d.missing, e.missing);
  if (e.reason !== undefined) {
    assert.equal(d.reason.length, e.reason.length, JSON.stringify(d.reason));
    e.reason.forEach((want, i) => {
      for (const [k, v] of Object.entries(want)) assert.deepEqual((d.reason[i] as unknown as Record<string, unknown>)[k], v, `reason[${i}].${k}`);
    });
  }
  if (e.decision === 'Allow') assert.ok(d.reason.length > 0, 'an allow names what allowed it');
}

function runParse(c: ParseCase): void {
  const input = c.parse.text ?? c.parse.document;
  assert.ok(input !== undefined);
  if ('valid' in c.expect) {
    parsePolicy(input, { kind: c.parse.kind });
    return;
  }
  const want = c.expect.error;
  assert.throws(
    () => parsePolicy(input, { kind: c.parse.kind }),
    (err: unknown) => {
      assert.ok(err instanceof MalformedPolicyError, String(err));
      assert.equal(err.message, want.message);
      assert.equal(err.reason, want.reason);
      assert.match(err.detail, /^[^A-Z]/, 'our detail starts lowercase');
      return true;
    },
  );
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('case files exist in pairs of behaviours and denials', () => {
  assert.ok(files.length >= 100, `only ${files.length} case files`);
  assert.ok(files.some((f) => f.endsWith('_NEG.json')));
});

for (const file of files) {
  const c = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as EvalCase | ParseCase;
  test(`${file.replace(/\.json$/, '')}: ${c.description}`, () => {
    if ('parse' in c) runParse(c);
    else runEval(c);
  });
}
