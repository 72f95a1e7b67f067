/** Function URLs with AuthType AWS_IAM: SigV4 for `lambda`, and IAM decides lambda:InvokeFunctionUrl. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../support/node-sha256.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { createNodeFunction, executionRole, hostRequest, lambdaClient } from './helpers.js';

const h = useDrydock();

/** A GET of `url` signed for `service` with the given keys. */
async function signedGet(url: string, keys: { accessKeyId: string; secretAccessKey: string }, service = 'lambda') {
  const u = new URL(url);
  const signer = new SignatureV4({ service, region: 'us-east-1', sha256: NodeSha256, credentials: keys });
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: u.pathname, query: Object.fromEntries(u.searchParams), headers: { host: u.host } });
  return hostRequest(h.dd.endpoint, url, { headers: signed.headers });
}

test('an AWS_IAM function URL wants a signature and IAM\'s consent; the function sees the caller', async () => {
  const lambda = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'url-iam-role');
  await createNodeFunction(lambda, role, 'iam-url', 'exports.handler = async (e) => ({ caller: e.requestContext.authorizer.iam.userArn, account: e.requestContext.accountId });');
  const { FunctionUrl, AuthType } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'iam-url', AuthType: 'AWS_IAM' }));
  assert.equal(AuthType, 'AWS_IAM');
  const url = `${FunctionUrl}hello?x=1`;

  const unsigned = await hostRequest(h.dd.endpoint, url);
  assert.deepEqual([unsigned.status, unsigned.body.toString()], [403, '{"Message":"Forbidden"}']);

  const root = await signedGet(url, h.dd.credentials);
  assert.equal(root.status, 200, root.body.toString());
  assert.deepEqual(JSON.parse(root.body.toString()), { caller: 'arn:aws:iam::000000000000:root', account: '000000000000' });

  const badSecret = await signedGet(url, { accessKeyId: 'test', secretAccessKey: 'wrong' });
  assert.equal(badSecret.status, 403);
  assert.match(badSecret.body.toString(), /signature we calculated does not match/);
  const wrongService = await signedGet(url, h.dd.credentials, 'execute-api');
  assert.equal(wrongService.status, 403);

  // A user with no policy of its own: refused, until the function's policy names it.
  const iam = new IAMClient(sdkConfig(h.dd));
  await iam.send(new CreateUserCommand({ UserName: 'url-caller' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'url-caller' }))).AccessKey!;
  const keys = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const denied = await signedGet(url, keys);
  assert.deepEqual([denied.status, denied.body.toString()], [403, '{"Message":"Forbidden"}']);
  await lambda.send(new AddPermissionCommand({
    FunctionName: 'iam-url', StatementId: 'caller', Action: 'lambda:InvokeFunctionUrl', Principal: 'arn:aws:iam::000000000000:user/url-caller', FunctionUrlAuthType: 'AWS_IAM',
  }));
  const allowed = await signedGet(url, keys);
  assert.equal(allowed.status, 200, allowed.body.toString());
  assert.equal(JSON.parse(allowed.body.toString()).caller, 'arn:aws:iam::000000000000:user/url-caller');
});
