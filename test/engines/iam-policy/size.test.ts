import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPolicySize, countPolicyCharacters, POLICY_SIZE_LIMITS } from '../../../src/engines/iam-policy/index.js';

test('IAM ignores white space outside strings', () => {
  assert.equal(countPolicyCharacters('{ "a" : "b c" }\n'), '{"a":"b c"}'.length);
  assert.equal(countPolicyCharacters('{"a":"q\\" x"}'), '{"a":"q\\" x"}'.length, 'escaped quotes do not end strings');
});

test('the documented quotas', () => {
  assert.equal(POLICY_SIZE_LIMITS.managed.max, 6144);
  assert.equal(POLICY_SIZE_LIMITS['user-inline'].max, 2048);
  assert.equal(POLICY_SIZE_LIMITS['group-inline'].max, 5120);
  assert.equal(POLICY_SIZE_LIMITS['role-inline'].max, 10240);
  assert.equal(POLICY_SIZE_LIMITS.scp.max, 5120);
});

test('managed policies: 6,144 characters, white space free', () => {
  const body = (n: number) => `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"${'x'.repeat(n)}"}]}`;
  const base = countPolicyCharacters(body(0));
  assert.equal(checkPolicySize(body(6144 - base), 'managed').ok, true);
  assert.equal(checkPolicySize(body(6145 - base), 'managed').ok, false);
  assert.equal(checkPolicySize(body(6144 - base).replace(/,/g, ',\n    '), 'managed').ok, true);
});

test('inline quotas sum every inline policy of the entity', () => {
  const doc = `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"${'y'.repeat(900)}"}}`;
  assert.equal(checkPolicySize([doc, doc], 'user-inline').ok, true);
  assert.equal(checkPolicySize([doc, doc, doc], 'user-inline').ok, false);
});

test('SCPs count every character, white space included', () => {
  const doc = `{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`;
  const padded = doc + ' '.repeat(5120 - doc.length + 1);
  assert.equal(checkPolicySize(padded, 'managed').ok, true);
  assert.deepEqual(checkPolicySize(padded, 'scp'), { size: 5121, max: 5120, ok: false });
});
