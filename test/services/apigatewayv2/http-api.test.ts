/** HTTP APIs: control plane, quick create, routes and $default, payload 2.0, HTTP proxy, stages, CORS, Lambda authorizers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before } from 'node:test';
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
  GetApiCommand, GetRoutesCommand, GetStageCommand, GetTagsCommand, TagResourceCommand, UntagResourceCommand, UpdateDeploymentCommand,
} from '@aws-sdk/client-apigatewayv2';
import { useDrydock } from '../../helpers.js';
import { call, failure, fn, v2 } from './helpers.js';

const h = useDrydock();
let backend: Server;
let backendUrl = '';
before(async () => {
  backend = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url }));
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const a = backend.address();
  backendUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
after(() => { backend.closeAllConnections(); backend.close(); });

const EVENT = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'x-fn': '1' }, cookies: ['a=1'], body: JSON.stringify(event) });`;

test('CreateApi: defaults, quick create with a $default route and auto-deploying $default stage', async () => {
  const arn = await fn(h.dd, 'v2-event', EVENT);
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: arn }));
  assert.equal(api.$metadata.httpStatusCode, 201);
  assert.equal(api.RouteSelectionExpression, '${request.method} ${request.path}');
  assert.equal(api.ApiKeySelectionExpression, '$request.header.x-api-key');
  assert.match(api.ApiEndpoint!, new RegExp(`^http://${api.ApiId}\\.execute-api\\.`));
  const routes = await c.send(new GetRoutesCommand({ ApiId: api.ApiId }));
  assert.deepEqual(routes.Items?.map((r) => r.RouteKey), ['$default']);
  const stage = await c.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
  assert.equal(stage.AutoDeploy, true);
  const res = await call(h.dd, api.ApiId!, '/any/path?x=1&x=2', { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2' }, body: '{"k":1}' });
  assert.equal(res.status, 200, res.body);
  assert.equal(res.headers['x-fn'], '1');
  assert.deepEqual(res.headers['set-cookie'], ['a=1']);
  const e = JSON.parse(res.body);
  assert.equal(e.version, '2.0');
  assert.equal(e.routeKey, '$default');
  assert.equal(e.rawPath, '/any/path');
  assert.equal(e.rawQueryString, 'x=1&x=2');
  assert.deepEqual(e.queryStringParameters, { x: '1,2' });
  assert.deepEqual(e.cookies, ['c1=v1', 'c2=v2']);
  assert.equal(e.body, '{"k":1}');
  assert.equal(e.isBase64Encoded, false);
  assert.equal(e.requestContext.http.method, 'POST');
  assert.equal(e.requestContext.stage, '$default');
  assert.equal(e.requestContext.apiId, api.ApiId);
  const bad = await failure(() => c.send(new GetApiCommand({ ApiId: 'nope' })));
  assert.deepEqual([bad.name, bad.status], ['NotFoundException', 404]);
  const apiArn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`;
  await c.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { team: 'pets', env: 'dev' } }));
  await c.send(new UntagResourceCommand({ ResourceArn: apiArn, TagKeys: ['env'] }));
  assert.deepEqual((await c.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { team: 'pets' });
});

test('routes: the most specific wins, path parameters, ANY, 404 without a match; auto-deploy picks up new routes', async () => {
  const arn = await fn(h.dd, 'v2-routes', `exports.handler = async (e) => ({ route: e.routeKey, params: e.pathParameters || null });`);
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'routes', ProtocolType: 'HTTP' }));
  const i = await c.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn, PayloadFormatVersion: '2.0' }));
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
  for (const k of ['GET /pets/{id}', 'GET /pets/mine', 'ANY /pets/{proxy+}']) {
    await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: k, Target: `integrations/${i.IntegrationId}` }));
  }
  const get = async (p: string, method = 'GET') => JSON.parse((await call(h.dd, api.ApiId!, p, { method })).body);
  assert.deepEqual(await get('/pets/mine'), { route: 'GET /pets/mine', params: null }, 'literal before variable');
  assert.deepEqual(await get('/pets/3'), { route: 'GET /pets/{id}', params: { id: '3' } });
  assert.deepEqual(await get('/pets/3', 'DELETE'), { route: 'ANY /pets/{proxy+}', params: { proxy: '3' } });
  assert.deepEqual(await get('/pets/3/toys'), { route: 'ANY /pets/{proxy+}', params: { proxy: '3/toys' } });
  const none = await call(h.dd, api.ApiId!, '/cats');
  assert.deepEqual([none.status, JSON.parse(none.body)], [404, { message: 'Not Found' }]);
  const dup = await failure(() => c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /pets/mine' })));
  assert.equal(dup.name, 'ConflictException');
  const badKey = await failure(() => c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'FETCH /x' })));
  assert.equal(badKey.name, 'BadRequestException');
});

test('a named stage without auto-deploy serves its deployment; HTTP proxy forwards path and query', async () => {
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'proxy', ProtocolType: 'HTTP' }));
  const i = await c.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/up/{proxy}`, PayloadFormatVersion: '1.0' }));
  await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'ANY /{proxy+}', Target: `integrations/${i.IntegrationId}` }));
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod' }));
  assert.equal((await call(h.dd, api.ApiId!, '/prod/a/b')).status, 404, 'nothing deployed yet');
  const d = await c.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'prod' }));
  assert.equal((await c.send(new UpdateDeploymentCommand({ ApiId: api.ApiId, DeploymentId: d.DeploymentId, Description: 'first' }))).Description, 'first');
  const res = await call(h.dd, api.ApiId!, '/prod/a/b?q=1', { method: 'PATCH' });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { method: 'PATCH', url: '/up/a/b?q=1' });
});

test('CORS: preflight answered by API Gateway, allow-origin on answers for allowed origins only', async () => {
  const arn = await fn(h.dd, 'v2-cors', `exports.handler = async () => ({ ok: true });`);
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({
    Name: 'cors', ProtocolType: 'HTTP', Target: arn,
    CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type'], MaxAge: 600, ExposeHeaders: ['x-id'] },
  }));
  const pre = await call(h.dd, api.ApiId!, '/x', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(pre.headers['access-control-allow-methods'], 'GET,POST');
  assert.equal(pre.headers['access-control-max-age'], '600');
  const other = await call(h.dd, api.ApiId!, '/x', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
  const res = await call(h.dd, api.ApiId!, '/x', { headers: { origin: 'https://app.example' } });
  assert.deepEqual([res.status, JSON.parse(res.body), res.headers['access-control-allow-origin'], res.headers['access-control-expose-headers']],
    [200, { ok: true }, 'https://app.example', 'x-id'], 'JSON without statusCode is a 200 with that body');
  const bad = await failure(() => c.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true } })));
  assert.equal(bad.name, 'BadRequestException');
});

test('Lambda authorizer with simple responses: 401 without identity, 403 when refused, context reaches the integration', async () => {
  const target = await fn(h.dd, 'v2-target', `exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) });`);
  const auth = await fn(h.dd, 'v2-simple-auth', `exports.handler = async (e) => ({ isAuthorized: e.headers['x-key'] === 'open', context: { who: 'tester', route: e.routeKey } });`);
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'auth', ProtocolType: 'HTTP' }));
  const i = await c.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: target, PayloadFormatVersion: '2.0' }));
  const a = await c.send(new CreateAuthorizerCommand({
    ApiId: api.ApiId, Name: 'simple', AuthorizerType: 'REQUEST', AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${auth}/invocations`,
    AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.x-key'], AuthorizerResultTtlInSeconds: 0,
  }));
  await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /me', Target: `integrations/${i.IntegrationId}`, AuthorizationType: 'CUSTOM', AuthorizerId: a.AuthorizerId }));
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
  const none = await call(h.dd, api.ApiId!, '/me');
  assert.deepEqual([none.status, JSON.parse(none.body)], [401, { message: 'Unauthorized' }]);
  const refused = await call(h.dd, api.ApiId!, '/me', { headers: { 'x-key': 'closed' } });
  assert.deepEqual([refused.status, JSON.parse(refused.body)], [403, { message: 'Forbidden' }]);
  const ok = await call(h.dd, api.ApiId!, '/me', { headers: { 'x-key': 'open' } });
  assert.deepEqual([ok.status, JSON.parse(ok.body)], [200, { lambda: { who: 'tester', route: 'GET /me' } }]);
});

test('stage throttling: default route settings limit every route; 429 Too Many Requests; tokens return on the clock', async () => {
  const arn = await fn(h.dd, 'v2-throttled', `exports.handler = async () => ({ ok: 1 });`);
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'throttled', ProtocolType: 'HTTP' }));
  const i = await c.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn, PayloadFormatVersion: '2.0' }));
  await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /t', Target: `integrations/${i.IntegrationId}` }));
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 } }));
  h.dd.clock.freeze(true);
  try {
    assert.equal((await call(h.dd, api.ApiId!, '/t')).status, 200);
    assert.equal((await call(h.dd, api.ApiId!, '/t')).status, 200);
    const third = await call(h.dd, api.ApiId!, '/t');
    assert.deepEqual([third.status, JSON.parse(third.body)], [429, { message: 'Too Many Requests' }]);
    h.dd.clock.advance(1);
    assert.equal((await call(h.dd, api.ApiId!, '/t')).status, 200);
  } finally {
    h.dd.clock.freeze(false);
  }
});
