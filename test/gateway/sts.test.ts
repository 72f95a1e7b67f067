import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { useDrydock, sdkConfig } from '../helpers.js';

const h = useDrydock();
const config = h.config;

test('GetCallerIdentity answers the root of account 000000000000 for test/test', async () => {
  const sts = new STSClient(config());
  const r = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(r.Account, '000000000000');
  assert.equal(r.Arn, 'arn:aws:iam::000000000000:root');
  assert.equal(r.UserId, '000000000000');
  assert.match(r.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
});

test('a 12-digit access key is the root of that account', async () => {
  const sts = new STSClient(sdkConfig(h.dd, { credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' } }));
  const r = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(r.Account, '111122223333');
  assert.equal(r.Arn, 'arn:aws:iam::111122223333:root');
});

test('a wrong secret is refused with SignatureDoesNotMatch', async () => {
  const sts = new STSClient(sdkConfig(h.dd, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }));
  await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'SignatureDoesNotMatch');
    assert.equal(e.$metadata?.httpStatusCode, 403);
    return true;
  });
});

test('an unknown access key is refused with InvalidClientTokenId', async () => {
  const sts = new STSClient(sdkConfig(h.dd, { credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } }));
  await assert.rejects(sts.send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
});

test('a pre-signed GetCallerIdentity URL works until it expires', async () => {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const url = new URL(h.dd.endpoint);
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const req = {
    method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: url.host },
  };
  const href = (q: unknown) => `${h.dd.endpoint}/?${new URLSearchParams(q as Record<string, string>).toString()}`;
  const valid = await signer.presign(req, { expiresIn: 60 });
  const ok = await fetch(href(valid.query));
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /<Account>000000000000<\/Account>/);
  // Signed ten seconds ago for five seconds: expired on arrival, without sleeping in the test.
  const old = await signer.presign(req, { expiresIn: 5, signingDate: new Date(Date.now() - 10_000) });
  const expired = await fetch(href(old.query));
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /<Code>[A-Za-z]+<\/Code><Message>Signature expired/);
});
