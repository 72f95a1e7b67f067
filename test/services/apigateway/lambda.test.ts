/** Lambda integrations of REST APIs: the v1 proxy event and answer, non-proxy with templates, resource policies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDrydock } from '../../helpers.js';
import { apigw, deployedApi, invoke } from './helpers.js';
import { lambdaUri, nodeFunction } from './lambda-helpers.js';

const h = useDrydock();

const ECHO = `exports.handler = async (event) => ({ statusCode: 201, headers: { 'x-fn': 'yes' }, multiValueHeaders: { 'x-multi': ['a', 'b'] }, body: JSON.stringify(event) });`;

test('AWS_PROXY sends the v1 proxy event and returns statusCode, headers and body', async () => {
  const fn = await nodeFunction(h.dd, 'apigw-echo', ECHO);
  const c = apigw(h.dd);
  const { apiId, resources } = await deployedApi(c, [{
    path: '/pets/{id}', method: { httpMethod: 'POST' }, integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn) },
  }]);
  const res = await invoke(h.dd, apiId, 'dev', '/pets/7?a=1&a=2', { method: 'POST', headers: { 'content-type': 'application/json', 'x-h': 'v' }, body: '{"n":1}' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers.get('x-fn'), 'yes');
  assert.equal(res.headers.get('x-multi'), 'a,b');
  const e = res.json() as Record<string, any>;
  assert.equal(e['resource'], '/pets/{id}');
  assert.equal(e['path'], '/pets/7');
  assert.equal(e['httpMethod'], 'POST');
  assert.equal(e['headers']['x-h'], 'v');
  assert.deepEqual(e['queryStringParameters'], { a: '2' });
  assert.deepEqual(e['multiValueQueryStringParameters'], { a: ['1', '2'] });
  assert.deepEqual(e['pathParameters'], { id: '7' });
  assert.equal(e['stageVariables'], null);
  assert.equal(e['body'], '{"n":1}');
  assert.equal(e['isBase64Encoded'], false);
  const rc = e['requestContext'];
  assert.deepEqual([rc.resourceId, rc.resourcePath, rc.stage, rc.path, rc.accountId, rc.apiId, rc.httpMethod, rc.protocol],
    [resources.get('/pets/{id}'), '/pets/{id}', 'dev', '/dev/pets/7', '000000000000', apiId, 'POST', 'HTTP/1.1']);
  assert.match(rc.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(typeof rc.requestTimeEpoch, 'number');
  assert.equal(rc.identity.sourceIp.length > 0, true);
});

test('a proxy function that answers another shape, or throws, is a 502 Internal server error', async () => {
  const bad = await nodeFunction(h.dd, 'apigw-bad-shape', `exports.handler = async () => ({ status: 200, nope: true });`);
  const thrower = await nodeFunction(h.dd, 'apigw-thrower', `exports.handler = async () => { throw new Error('boom'); };`);
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [
    { path: '/bad', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(bad) } },
    { path: '/throw', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(thrower) } },
  ]);
  for (const p of ['/bad', '/throw']) {
    const res = await invoke(h.dd, apiId, 'dev', p);
    assert.deepEqual([res.status, res.json()], [502, { message: 'Internal server error' }], p);
  }
});

test('without a resource policy allowing API Gateway, the call fails with 500 as on AWS', async () => {
  const fn = await nodeFunction(h.dd, 'apigw-private', ECHO, false);
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{ path: '/x', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn) } }]);
  const res = await invoke(h.dd, apiId, 'dev', '/x');
  assert.deepEqual([res.status, res.json()], [500, { message: 'Internal server error' }]);
});

test('AWS (non-proxy) Lambda: request template in, errorMessage selects the integration response', async () => {
  const fn = await nodeFunction(h.dd, 'apigw-calc', `exports.handler = async (e) => { if (e.n < 0) throw new Error('Negative: ' + e.n); return { double: e.n * 2 }; };`);
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/calc/{n}',
    integration: { type: 'AWS', integrationHttpMethod: 'POST', uri: lambdaUri(fn), requestTemplates: { 'application/json': '{"n": $input.params(\'n\')}' } },
    responses: [
      { statusCode: '200', responseTemplates: { 'application/json': '{"result": $input.path(\'$.double\')}' } },
      { statusCode: '400', selectionPattern: 'Negative:.*', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' } },
    ],
  }]);
  const ok = await invoke(h.dd, apiId, 'dev', '/calc/21');
  assert.deepEqual([ok.status, ok.json()], [200, { result: 42 }]);
  const neg = await invoke(h.dd, apiId, 'dev', '/calc/-1');
  assert.deepEqual([neg.status, neg.json()], [400, { error: 'Negative: -1' }]);
});
