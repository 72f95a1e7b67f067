/** JWT authorizers: keys from the issuer's JWKS, issuer, audience, expiry on the Drydock clock, scopes. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { useDrydock } from '../../helpers.js';
import { call, fn, v2 } from './helpers.js';

const h = useDrydock();
let issuerServer: Server;
let issuer = '';
let privateKey: CryptoKey;
let other: CryptoKey;

before(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey as CryptoKey;
  other = (await generateKeyPair('RS256')).privateKey as CryptoKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
    else res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  const a = issuerServer.address();
  issuer = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
after(() => { issuerServer.closeAllConnections(); issuerServer.close(); });

function token(claims: Record<string, unknown>, opts: { key?: CryptoKey; iss?: string; aud?: string; expSeconds?: number } = {}): Promise<string> {
  const now = Math.floor(h.dd.clock.nowMs() / 1000);
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(opts.iss ?? issuer).setAudience(opts.aud ?? 'my-app')
    .setIssuedAt(now).setExpirationTime(now + (opts.expSeconds ?? 3600)).setSubject('user-1').sign(opts.key ?? privateKey);
}

test('JWT: valid tokens pass with their claims; wrong signature, issuer, audience or expiry are 401; missing scope is 403', async () => {
  const target = await fn(h.dd, 'v2-jwt-target', `exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer.jwt) });`);
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'jwt', ProtocolType: 'HTTP' }));
  const i = await c.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: target, PayloadFormatVersion: '2.0' }));
  const a = await c.send(new CreateAuthorizerCommand({
    ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['my-app'] },
  }));
  await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /me', Target: `integrations/${i.IntegrationId}`, AuthorizationType: 'JWT', AuthorizerId: a.AuthorizerId }));
  await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /admin', Target: `integrations/${i.IntegrationId}`, AuthorizationType: 'JWT', AuthorizerId: a.AuthorizerId, AuthorizationScopes: ['admin'] }));
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
  const get = (path: string, t?: string) => call(h.dd, api.ApiId!, path, t ? { headers: { authorization: `Bearer ${t}` } } : {});

  const ok = await get('/me', await token({ scope: 'read write' }));
  assert.equal(ok.status, 200, ok.body);
  const jwt = JSON.parse(ok.body);
  assert.deepEqual([jwt.claims.sub, jwt.claims.iss, jwt.scopes], ['user-1', issuer, ['read', 'write']]);
  for (const [why, t] of [
    ['no token', undefined], ['another key', await token({}, { key: other })], ['another issuer', await token({}, { iss: 'https://elsewhere' })],
    ['another audience', await token({}, { aud: 'not-mine' })],
  ] as const) {
    const res = await get('/me', t);
    assert.deepEqual([res.status, JSON.parse(res.body)], [401, { message: 'Unauthorized' }], why);
  }
  const short = await token({}, { expSeconds: 60 });
  assert.equal((await get('/me', short)).status, 200);
  h.dd.clock.advance(120);
  assert.equal((await get('/me', short)).status, 401, 'expired on the Drydock clock');
  const noScope = await get('/admin', await token({ scope: 'read' }));
  assert.deepEqual([noScope.status, JSON.parse(noScope.body)], [403, { message: 'Forbidden' }]);
  assert.equal((await get('/admin', await token({ scope: 'admin' }))).status, 200);
});
