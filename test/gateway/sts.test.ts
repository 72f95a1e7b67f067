import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
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

test('an operation in the model without a handler answers NotImplemented (501) in the query protocol', async () => {
  const sts = new STSClient(config());
  await assert.rejects(sts.send(new GetSessionTokenCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'NotImplemented');
    assert.equal(e.$metadata?.httpStatusCode, 501);
    assert.match(e.message, /sts:GetSessionToken/);
    return true;
  });
});
