/** The invoke URL data plane: routing, MOCK and HTTP integrations, mapping templates, gateway responses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, PutGatewayResponseCommand, TestInvokeMethodCommand, UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { useDrydock } from '../../helpers.js';
import { useEchoServer } from './echo-server.js';
import { apigw, deployedApi, invoke } from './helpers.js';

const h = useDrydock();
const echo = useEchoServer();

test('MOCK: the request template picks the integration response, whose template renders $input, $context and $stageVariables', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/pets/{id}',
    integration: { requestTemplates: { 'application/json': '{"statusCode": #if($input.params(\'id\') == "0")404#else 200#end}' } },
    responses: [
      { statusCode: '200', responseTemplates: { 'application/json': '{"id":"$input.params(\'id\')","q":"$input.params(\'q\')","stage":"$context.stage","method":"$context.httpMethod","path":"$context.resourcePath"}' } },
      { statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"error":"no pet $input.params(\'id\')"}' } },
    ],
  }]);
  const ok = await invoke(h.dd, apiId, 'dev', '/pets/7?q=x');
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json(), { id: '7', q: 'x', stage: 'dev', method: 'GET', path: '/pets/{id}' });
  assert.ok(ok.headers.get('x-amzn-requestid'));
  const missing = await invoke(h.dd, apiId, 'dev', '/pets/0');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), { error: 'no pet 0' });
});

test('the execute-api host form reaches the same API, and unknown routes, methods and stages answer as AWS does', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{ path: '/hello', integration: {}, responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"hi":true}' } }] }]);
  const port = new URL(h.dd.endpoint).port;
  // fetch may not set Host; node:http may.
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/dev/hello', headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}` } }, (r) => {
      let body = '';
      r.on('data', (c: Buffer) => { body += c.toString(); });
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { hi: true });
  const noRoute = await invoke(h.dd, apiId, 'dev', '/nope');
  assert.deepEqual([noRoute.status, noRoute.json(), noRoute.headers.get('x-amzn-errortype')], [403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException']);
  const noMethod = await invoke(h.dd, apiId, 'dev', '/hello', { method: 'POST' });
  assert.equal(noMethod.status, 403);
  const noStage = await invoke(h.dd, apiId, 'prod', '/hello');
  assert.deepEqual([noStage.status, noStage.json()], [403, { message: 'Forbidden' }]);
});

test('a custom gateway response changes status, headers and body; redeploying applies it', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{ path: '/x', integration: {} }]);
  await c.send(new PutGatewayResponseCommand({
    restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404',
    responseParameters: { 'gatewayresponse.header.x-why': "'no-route'" },
    responseTemplates: { 'application/json': '{"error":$context.error.messageString,"type":"$context.error.responseType"}' },
  }));
  const before = await invoke(h.dd, apiId, 'dev', '/y');
  assert.equal(before.status, 403, 'not deployed yet');
  await c.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
  const after = await invoke(h.dd, apiId, 'dev', '/y');
  assert.equal(after.status, 404);
  assert.equal(after.headers.get('x-why'), 'no-route');
  assert.deepEqual(after.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN' });
});

test('HTTP_PROXY forwards method, greedy path, query, headers and body, and returns the backend answer as is', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/{proxy+}', method: { httpMethod: 'ANY', requestParameters: { 'method.request.path.proxy': true } },
    integration: { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${echo.url}/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } },
  }]);
  const res = await invoke(h.dd, apiId, 'dev', '/a/b?x=1&x=2', { method: 'PUT', headers: { 'x-custom': 'yes', 'content-type': 'text/plain' }, body: 'hello' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-backend'), 'echo');
  const seen = res.json() as { method: string; url: string; headers: Record<string, string>; body: string };
  assert.deepEqual([seen.method, seen.url, seen.headers['x-custom'], seen.body], ['PUT', '/a/b?x=1&x=2', 'yes', 'hello']);
  const err = await invoke(h.dd, apiId, 'dev', '/status/503');
  assert.equal(err.status, 503, 'proxy passes backend errors through');
});

test('HTTP (non-proxy): parameters and templates map the request; the status selects the integration response', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/items/{id}', method: { httpMethod: 'POST' },
    integration: {
      type: 'HTTP', integrationHttpMethod: 'POST', uri: `${echo.url}/backend/{itemId}`,
      requestParameters: { 'integration.request.path.itemId': 'method.request.path.id', 'integration.request.header.x-stage': 'context.stage', 'integration.request.querystring.src': "'apigw'" },
      requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\'), "name": "$util.escapeJavaScript($input.path(\'$.name\'))"}' },
    },
    responses: [
      { statusCode: '200', responseTemplates: { 'application/json': '#set($b = $util.parseJson($input.body))$b.body' }, responseParameters: { 'method.response.header.x-from': 'integration.response.header.x-backend' } },
    ],
  }]);
  const res = await invoke(h.dd, apiId, 'dev', '/items/42', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'O"Brien' }) });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-from'), 'echo');
  assert.deepEqual(res.json(), { wrapped: { name: 'O"Brien' }, name: 'O"Brien' });
});

test('HTTP: backend 4xx/5xx select responses by pattern; no match and no default is a 500', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/s/{code}',
    integration: { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo.url}/status/{code}`, requestParameters: { 'integration.request.path.code': 'method.request.path.code' } },
    responses: [
      { statusCode: '200' },
      { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"client":"error"}' } },
    ],
  }]);
  const bad = await invoke(h.dd, apiId, 'dev', '/s/418');
  assert.deepEqual([bad.status, bad.json()], [400, { client: 'error' }]);
  const fallback = await invoke(h.dd, apiId, 'dev', '/s/500');
  assert.equal(fallback.status, 200, 'the default response takes what no pattern matches');
});

test('request validation: required parameters and the body model', async () => {
  const c = apigw(h.dd);
  const { apiId, resources } = await deployedApi(c, [{
    path: '/v', method: { httpMethod: 'POST', requestParameters: { 'method.request.querystring.tag': true } },
    integration: {}, responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }],
  }]);
  const v = await c.send(new CreateRequestValidatorCommand({ restApiId: apiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
  await c.send(new CreateModelCommand({ restApiId: apiId, name: 'Thing', contentType: 'application/json', schema: JSON.stringify({ type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 1 } } }) }));
  await c.send(new UpdateMethodCommand({
    restApiId: apiId, resourceId: resources.get('/v'), httpMethod: 'POST', patchOperations: [
      { op: 'replace', path: '/requestValidatorId', value: v.id }, { op: 'add', path: '/requestModels/application~1json', value: 'Thing' },
    ],
  }));
  await c.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
  const post = (q: string, body: string) => invoke(h.dd, apiId, 'dev', `/v${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const noParam = await post('', '{"n":2}');
  assert.deepEqual([noParam.status, noParam.json()], [400, { message: 'Missing required request parameters: [tag]' }]);
  const badBody = await post('?tag=a', '{"n":0}');
  assert.deepEqual([badBody.status, badBody.json()], [400, { message: 'Invalid request body' }]);
  const ok = await post('?tag=a', '{"n":2}');
  assert.deepEqual([ok.status, ok.json()], [200, { ok: true }]);
});

test('TestInvokeMethod runs the undeployed method without authorization and answers status, body, headers and a log', async () => {
  const c = apigw(h.dd);
  const { apiId, resources } = await deployedApi(c, [{
    path: '/pets/{id}', method: { apiKeyRequired: true },
    integration: { requestTemplates: { 'application/json': '{"statusCode": 200}' } },
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id":"$input.params(\'id\')","v":"$stageVariables.v"}' } }],
  }]);
  const out = await c.send(new TestInvokeMethodCommand({ restApiId: apiId, resourceId: resources.get('/pets/{id}'), httpMethod: 'GET', pathWithQueryString: '/pets/9', stageVariables: { v: 'x' } }));
  assert.equal(out.status, 200);
  assert.deepEqual(JSON.parse(out.body!), { id: '9', v: 'x' });
  assert.equal(out.headers?.['content-type'], 'application/json');
  assert.match(out.log!, /Method completed with status: 200/);
});
