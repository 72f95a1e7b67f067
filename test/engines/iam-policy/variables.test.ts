import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArnPattern, compileGlob, GlobPattern, splitArn } from '../../../src/engines/iam-policy/pattern.js';
import { parseTemplate, resolveText } from '../../../src/engines/iam-policy/variables.js';

const vars = (m: Record<string, string>) => (k: string) => m[k];
const T = { variables: true, wildcards: true };

test('templates: variables, defaults and escaped characters', () => {
  const t = parseTemplate("home/${aws:username}/${aws:PrincipalTag/Team, 'none'}/${*}", T);
  assert.deepEqual(
    t.parts.map((p) => p.kind),
    ['text', 'var', 'text', 'var', 'text'],
  );
  assert.equal(resolveText({ ...t, hasWildcards: false }, vars({ 'aws:username': 'al', 'aws:principaltag/team': 'red' })), 'home/al/red/*');
  assert.equal(resolveText({ ...t, hasWildcards: false }, vars({ 'aws:username': 'al' })), 'home/al/none/*');
  assert.equal(resolveText({ ...t, hasWildcards: false }, vars({})), undefined, 'no value and no default');
});

test('templates: quotes in defaults are doubled; names are case-insensitive and trimmed', () => {
  const t = parseTemplate("${ AWS:UserName , 'it''s' }", { variables: true, wildcards: false });
  assert.equal(resolveText(t, vars({})), "it's");
  assert.equal(resolveText(t, vars({ 'aws:username': 'x' })), 'x');
});

test('templates: malformed variables stay literal; 2008 documents have none', () => {
  assert.equal(parseTemplate('a${b', T).literal, 'a${b');
  assert.equal(parseTemplate("${k, unquoted}", T).hasVars, false);
  assert.equal(parseTemplate('${aws:username}', { variables: false, wildcards: false }).literal, '${aws:username}');
});

test('a substituted value is literal, never a wildcard', () => {
  const g = new GlobPattern(parseTemplate('home/${aws:username}/*', T));
  assert.equal(g.test('home/a*/x', vars({ 'aws:username': 'a*' })), true);
  assert.equal(g.test('home/abc/x', vars({ 'aws:username': 'a*' })), false);
  assert.equal(g.test('home/x/y', vars({})), undefined);
});

test('globs: fast paths and regexes agree', () => {
  const t = (p: string, s: string, ci = false) => compileGlob(parseTemplate(p, T).parts, ci)(s);
  assert.ok(t('*', ''));
  assert.ok(t('abc', 'abc') && !t('abc', 'abcd'));
  assert.ok(t('ab*', 'abz') && !t('ab*', 'a'));
  assert.ok(t('*yz', 'xyz') && !t('*yz', 'yzx'));
  assert.ok(t('a?c*e', 'abcde') && !t('a?c*e', 'acde'));
  assert.ok(t('a.c', 'a.c') && !t('a.c', 'abc'), 'regex metacharacters are literal');
  assert.ok(t('S3:GET*', 's3:getobject', true));
  assert.ok(t('a*b', 'a\nb'), '* spans newlines');
});

test('arns: split into six segments, the last keeping its colons', () => {
  assert.deepEqual(splitArn('arn:aws:s3:::b/k:1'), ['arn', 'aws', 's3', '', '', 'b/k:1']);
  assert.equal(splitArn('arn:aws:s3'), undefined);
  assert.equal(splitArn('*'), undefined);
});

test('arn patterns: wildcards stay inside their segment', () => {
  const p = new ArnPattern('arn:aws:sqs:*:111111111111:q*', true);
  const test = (v: string) => p.test(v, splitArn(v), vars({}));
  assert.equal(test('arn:aws:sqs:us-east-1:111111111111:queue'), true);
  assert.equal(test('arn:aws:sqs:us-east-1:222222222222:111111111111:q'), false);
  assert.equal(test('arn:aws:sqs:us-east-1:111111111111:q:with:colons'), true, 'the resource segment may hold colons');
  assert.equal(new ArnPattern('*', true).test('anything', undefined, vars({})), true);
  assert.equal(new ArnPattern('arn:aws:s3:::*', true).test('*', undefined, vars({})), false);
});
