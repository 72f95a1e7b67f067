import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { registerWebIdentityKeys } from '../../../src/services/sts/web-identity-keys.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from './fake-iam.js';

const h = useDrydock();
const iam = new FakeIam();
const A = '000000000000';
const AUD = 'sts.amazonaws.com';

let server: Server | undefined;
after(() => server?.close());

interface Idp {
  issuer: string;
  sign(claims: Record<string, unknown>, opts?: { exp?: number }): Promise<string>;
  signWithOtherKey(claims: Record<string, unknown>): Promise<string>;
}

// A mock OIDC provider on the loopback interface, serving discovery and its JWKS.
async function startIdp(): Promise<Idp> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = () => Math.floor(h.dd.clock.nowMs() / 1000);
  const build = (claims: Record<string, unknown>, exp?: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setIssuedAt(now()).setExpirationTime(exp ?? now() + 600);
  return {
    issuer,
    sign: (claims, opts = {}) => build(claims, opts.exp).sign(privateKey),
    signWithOtherKey: (claims) => build(claims).sign(other.privateKey),
  };
}

let ready: Promise<Idp> | undefined;
function setup(): Promise<Idp> {
  ready ??= (async () => {
    await installFakeIam(h.dd, iam);
    const idp = await startIdp();
    const provider = iam.addOidcProvider(A, idp.issuer, [AUD]);
    iam.addRole(A, 'ci', {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: provider.arn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${provider.url}:aud`]: AUD }, StringLike: { [`${provider.url}:sub`]: 'repo:acme/*' } },
      }],
    });
    return idp;
  })();
  return ready;
}

// The SDK sends AssumeRoleWithWebIdentity unsigned; these tests sign it so they pass the
// gateway whether or not it accepts unsigned requests yet. The caller plays no part.
const signed = () =>
  new STSClient({
    ...sdkConfig(h.dd),
    httpAuthSchemeProvider: () => [{
      schemeId: 'aws.auth#sigv4',
      signingProperties: { name: 'sts', region: 'us-east-1' },
      propertiesExtractor: (config: unknown, context: unknown) => ({ signingProperties: { config, context } }),
    }],
  } as never);

const assume = (WebIdentityToken: string, client = signed()) =>
  client.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${A}:role/ci`, RoleSessionName: 'gha', WebIdentityToken }));

test('a token from the registered provider, for the right audience and subject, assumes the role', async () => {
  const idp = await setup();
  const r = await assume(await idp.sign({ sub: 'repo:acme/app:ref:refs/heads/main', aud: AUD }));
  assert.equal(r.AssumedRoleUser?.Arn, `arn:aws:sts::${A}:assumed-role/ci/gha`);
  assert.equal(r.SubjectFromWebIdentityToken, 'repo:acme/app:ref:refs/heads/main');
  assert.equal(r.Audience, AUD);
  assert.equal(r.Provider, idp.issuer);
  const session = new STSClient(sdkConfig(h.dd, {
    credentials: { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken } as never,
  }));
  assert.equal((await session.send(new GetCallerIdentityCommand({}))).Arn, r.AssumedRoleUser?.Arn);
});

test('the trust policy decides on the token claims', async () => {
  const idp = await setup();
  await assert.rejects(assume(await idp.sign({ sub: 'repo:evil/app', aud: AUD })), {
    name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  });
});

test('bad signature, wrong audience, unknown issuer and expiry are refused as AWS does', async () => {
  const idp = await setup();
  await assert.rejects(assume(await idp.signWithOtherKey({ sub: 'repo:acme/app', aud: AUD })), { name: 'InvalidIdentityTokenException' });
  await assert.rejects(assume(await idp.sign({ sub: 'repo:acme/app', aud: 'someone-else' })), {
    name: 'InvalidIdentityTokenException', message: 'Incorrect token audience',
  });
  const stranger = await new SignJWT({ sub: 'x', aud: AUD }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://idp.example.com')
    .setExpirationTime(Math.floor(h.dd.clock.nowMs() / 1000) + 60).sign(new Uint8Array(32));
  await assert.rejects(assume(stranger), { name: 'InvalidIdentityTokenException', message: 'No OpenIDConnect provider found in your account for https://idp.example.com' });
  await assert.rejects(assume('not-a-jwt'), { name: 'InvalidIdentityTokenException' });
  const token = await idp.sign({ sub: 'repo:acme/app', aud: AUD });
  h.dd.clock.advance(601);
  await assert.rejects(assume(token), (e: Error) => e.name === 'ExpiredTokenException' && /^Token expired: current date\/time/.test(e.message));
});

test('keys registered for an issuer verify HS256 tokens from a provider off the loopback', async () => {
  await setup();
  const secret = new Uint8Array(32).fill(7);
  const issuer = 'https://token.example.com';
  const provider = iam.addOidcProvider(A, issuer, [AUD]);
  iam.addRole(A, 'hs', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: provider.arn }, Action: 'sts:AssumeRoleWithWebIdentity' }],
  });
  registerWebIdentityKeys(h.dd.app.stores, issuer, { keys: [{ kty: 'oct', k: Buffer.from(secret).toString('base64url') }] });
  const make = (key: Uint8Array) => new SignJWT({ sub: 'u1', aud: AUD }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer)
    .setExpirationTime(Math.floor(h.dd.clock.nowMs() / 1000) + 60).sign(key);
  const send = async (key: Uint8Array) =>
    signed().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${A}:role/hs`, RoleSessionName: 'hs1', WebIdentityToken: await make(key) }));
  assert.ok((await send(secret)).Credentials?.AccessKeyId);
  await assert.rejects(send(new Uint8Array(32).fill(8)), { name: 'InvalidIdentityTokenException' });
});

test('the SDK sends AssumeRoleWithWebIdentity unsigned', async () => {
  const idp = await setup();
  const r = await assume(await idp.sign({ sub: 'repo:acme/app', aud: AUD }), new STSClient(sdkConfig(h.dd)));
  assert.ok(r.Credentials?.AccessKeyId);
});
