/** Lambda authorizers of REST APIs: TOKEN and REQUEST, policies, validation expression, caching, context. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand, FlushStageAuthorizersCacheCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { useDrydock } from '../../helpers.js';
import { apigw, deployedApi, failure, invoke } from './helpers.js';
import { lambdaUri, nodeFunction } from './lambda-helpers.js';

const h = useDrydock();

// Allows "allow-*" tokens for the method ARN asked, denies "deny", rejects "bad" as Unauthorized.
// Counts its calls in a context value so caching can be seen.
const TOKEN_FN = `let calls = 0;
exports.handler = async (event) => {
  calls++;
  const t = event.authorizationToken || (event.headers && event.headers['x-user']);
  if (t === 'bad') throw new Error('Unauthorized');
  if (t === 'broken') return { nope: true };
  const effect = t === 'deny' ? 'Deny' : 'Allow';
  return {
    principalId: 'user-' + t,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] },
    context: { calls, tier: 'gold', type: event.type },
  };
};`;

async function protectedApi(type: 'TOKEN' | 'REQUEST', extra: Record<string, unknown> = {}) {
  const fn = await nodeFunction(h.dd, `apigw-auth-${type.toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`, TOKEN_FN);
  const c = apigw(h.dd);
  const { apiId, rootId } = await deployedApi(c, [{ path: '/open', integration: {} }]);
  const auth = await c.send(new CreateAuthorizerCommand({
    restApiId: apiId, name: 'a', type, authorizerUri: lambdaUri(fn),
    identitySource: type === 'TOKEN' ? 'method.request.header.Authorization' : 'method.request.header.x-user', authorizerResultTtlInSeconds: 300, ...extra,
  }));
  for (const [pathPart, method] of [['secret', 'GET'], ['other', 'GET']] as const) {
    const r = await c.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart }));
    await c.send(new PutMethodCommand({ restApiId: apiId, resourceId: r.id, httpMethod: method, authorizationType: 'CUSTOM', authorizerId: auth.id }));
    await c.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: r.id, httpMethod: method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
    await c.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: r.id, httpMethod: method, statusCode: '200' }));
    await c.send(new PutIntegrationResponseCommand({
      restApiId: apiId, resourceId: r.id, httpMethod: method, statusCode: '200',
      responseTemplates: { 'application/json': '{"principal":"$context.authorizer.principalId","tier":"$context.authorizer.tier","calls":"$context.authorizer.calls","type":"$context.authorizer.type"}' },
    }));
  }
  await c.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
  return { c, apiId };
}

test('TOKEN: no token 401, rejected token 401, denied 403 with AWS message, allowed passes context to the integration', async () => {
  const { apiId } = await protectedApi('TOKEN');
  const get = (token?: string, path = '/secret') => invoke(h.dd, apiId, 'dev', path, token === undefined ? {} : { headers: { authorization: token } });
  const none = await get();
  assert.deepEqual([none.status, none.json()], [401, { message: 'Unauthorized' }]);
  const bad = await get('bad');
  assert.deepEqual([bad.status, bad.json()], [401, { message: 'Unauthorized' }]);
  const deny = await get('deny');
  assert.deepEqual([deny.status, deny.json()], [403, { Message: 'User is not authorized to access this resource with an explicit deny' }]);
  const ok = await get('alice');
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json(), { principal: 'user-alice', tier: 'gold', calls: '3', type: 'TOKEN' }, 'no token never reached the function');
  const broken = await get('broken');
  assert.deepEqual([broken.status, broken.json()], [500, { message: null }]);
});

test('TOKEN results are cached per token for the TTL, and the cached policy applies to other methods', async () => {
  h.dd.clock.freeze(true);
  try {
    const { apiId } = await protectedApi('TOKEN');
    const get = (path: string) => invoke(h.dd, apiId, 'dev', path, { headers: { authorization: 'carol' } });
    const first = await get('/secret');
    assert.equal((first.json() as { calls: string }).calls, '1');
    assert.equal(((await get('/secret')).json() as { calls: string }).calls, '1', 'served from the cache');
    const other = await get('/other');
    assert.deepEqual([other.status, other.json()], [403, { Message: 'User is not authorized to access this resource' }], 'the cached policy names /secret only');
    h.dd.clock.advance(301);
    assert.equal(((await get('/other')).json() as { calls: string }).calls, '2', 'the TTL expired: the function is asked again');
    await apigw(h.dd).send(new FlushStageAuthorizersCacheCommand({ restApiId: apiId, stageName: 'dev' }));
    assert.equal(((await get('/other')).json() as { calls: string }).calls, '3', 'a flushed cache asks the function again');
  } finally {
    h.dd.clock.freeze(false);
  }
});

test('TOKEN validation expression: a token that does not match is 401 without calling the function', async () => {
  const { apiId } = await protectedApi('TOKEN', { identityValidationExpression: '^Bearer [a-z]+$' });
  const res = await invoke(h.dd, apiId, 'dev', '/secret', { headers: { authorization: 'alice' } });
  assert.deepEqual([res.status, res.json()], [401, { message: 'Unauthorized' }]);
});

test('REQUEST: identity sources from the request; a missing one is 401', async () => {
  const { apiId } = await protectedApi('REQUEST');
  const missing = await invoke(h.dd, apiId, 'dev', '/secret');
  assert.equal(missing.status, 401);
  const ok = await invoke(h.dd, apiId, 'dev', '/secret', { headers: { 'x-user': 'dave' } });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual((ok.json() as Record<string, string>)['type'], 'REQUEST');
});

test('CreateAuthorizer validates type, URI and identity source', async () => {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{ path: '/x', integration: {} }]);
  const noUri = await failure(() => c.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'a', type: 'TOKEN', identitySource: 'method.request.header.Authorization' })));
  assert.equal(noUri.name, 'BadRequestException');
  const noApi = await failure(() => c.send(new CreateAuthorizerCommand({ restApiId: 'nope', name: 'a', type: 'TOKEN' })));
  assert.deepEqual([noApi.name, noApi.message], ['NotFoundException', 'Invalid API identifier specified 000000000000:nope']);
});

test('apiKeySource AUTHORIZER: the key comes from the authorizer\'s usageIdentifierKey, not from x-api-key', async () => {
  const fnArn = await nodeFunction(h.dd, 'apigw-key-auth', `exports.handler = async (e) => ({
    principalId: 'p', usageIdentifierKey: e.authorizationToken,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: e.methodArn }] },
  });`);
  const c = apigw(h.dd);
  const api = await c.send(new CreateRestApiCommand({ name: 'keyed-by-authorizer', apiKeySource: 'AUTHORIZER' }));
  const auth = await c.send(new CreateAuthorizerCommand({
    restApiId: api.id, name: 'k', type: 'TOKEN', authorizerUri: lambdaUri(fnArn), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0,
  }));
  const m = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
  await c.send(new PutMethodCommand({ ...m, authorizationType: 'CUSTOM', authorizerId: auth.id, apiKeyRequired: true }));
  await c.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
  await c.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await c.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{"key":"$context.identity.apiKeyId"}' } }));
  await c.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const plan = await c.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id!, stage: 'dev' }] }));
  const key = await c.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
  await c.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  const ok = await invoke(h.dd, api.id!, 'dev', '/', { headers: { authorization: key.value! } });
  assert.deepEqual([ok.status, ok.json()], [200, { key: key.id }]);
  const viaHeader = await invoke(h.dd, api.id!, 'dev', '/', { headers: { authorization: 'not-a-key', 'x-api-key': key.value! } });
  assert.deepEqual([viaHeader.status, viaHeader.json()], [403, { message: 'Forbidden' }]);
});
