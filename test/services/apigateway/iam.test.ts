/** Methods with authorizationType AWS_IAM: SigV4 for execute-api, and IAM decides execute-api:Invoke on the method ARN. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../support/node-sha256.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { apigw, deployedApi } from './helpers.js';

const h = useDrydock();

/** A GET of the invoke URL path, signed for execute-api with `keys` when given. */
async function get(path: string, keys?: { accessKeyId: string; secretAccessKey: string }): Promise<{ status: number; body: string }> {
  const u = new URL(`${h.dd.endpoint}${path}`);
  let headers: Record<string, string> = { host: u.host };
  if (keys) {
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: NodeSha256, credentials: keys });
    headers = (await signer.sign({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: u.pathname, headers })).headers;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('an AWS_IAM method refuses unsigned and unauthorized callers and names the signer in $context.identity', async () => {
  const { apiId } = await deployedApi(apigw(h.dd), [{
    path: '/pets', method: { authorizationType: 'AWS_IAM' }, integration: { requestTemplates: { 'application/json': '{"statusCode":200}' } },
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"arn":"$context.identity.userArn","account":"$context.identity.accountId"}' } }],
  }]);
  const path = `/restapis/${apiId}/dev/_user_request_/pets`;
  const unsigned = await get(path);
  assert.deepEqual([unsigned.status, JSON.parse(unsigned.body)], [403, { message: 'Missing Authentication Token' }]);
  const root = await get(path, h.dd.credentials);
  assert.deepEqual([root.status, JSON.parse(root.body)], [200, { arn: 'arn:aws:iam::000000000000:root', account: '000000000000' }]);
  const forged = await get(path, { accessKeyId: 'test', secretAccessKey: 'nope' });
  assert.equal(forged.status, 403);
  assert.match(forged.body, /signature we calculated does not match/);

  const iam = new IAMClient(sdkConfig(h.dd));
  await iam.send(new CreateUserCommand({ UserName: 'api-caller' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'api-caller' }))).AccessKey!;
  const keys = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const denied = await get(path, keys);
  assert.equal(denied.status, 403);
  assert.match(JSON.parse(denied.body).Message, /api-caller is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:.+\/dev\/GET\/pets/);
  await iam.send(new PutUserPolicyCommand({
    UserName: 'api-caller', PolicyName: 'invoke', PolicyDocument: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/*` }],
    }),
  }));
  const allowed = await get(path, keys);
  assert.deepEqual([allowed.status, JSON.parse(allowed.body).arn], [200, 'arn:aws:iam::000000000000:user/api-caller']);
});
