/** HTTP API routes with AuthorizationType AWS_IAM: SigV4 for execute-api and IAM's execute-api:Invoke; the signer in requestContext.authorizer.iam. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../support/node-sha256.js';
import { useDrydock } from '../../helpers.js';
import { call, fn, v2 } from './helpers.js';

const h = useDrydock();

test('an AWS_IAM route answers 403 Forbidden unsigned or forged, and hands the signer to the function', async () => {
  const arn = await fn(h.dd, 'v2-iam', 'exports.handler = async (e) => ({ who: e.requestContext.authorizer.iam.userArn, account: e.requestContext.authorizer.iam.accountId });');
  const c = v2(h.dd);
  const api = await c.send(new CreateApiCommand({ Name: 'iam', ProtocolType: 'HTTP' }));
  const i = await c.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn, PayloadFormatVersion: '2.0' }));
  await c.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /who', AuthorizationType: 'AWS_IAM', Target: `integrations/${i.IntegrationId}` }));
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
  const port = Number(new URL(h.dd.endpoint).port);
  const host = `${api.ApiId}.execute-api.localhost.localstack.cloud:${port}`;
  const signed = async (secretAccessKey: string) => (await new SignatureV4({
    service: 'execute-api', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey },
  }).sign({ method: 'GET', protocol: 'http:', hostname: host.split(':')[0]!, port, path: '/who', headers: { host } })).headers;

  const unsigned = await call(h.dd, api.ApiId!, '/who');
  assert.deepEqual([unsigned.status, JSON.parse(unsigned.body)], [403, { message: 'Forbidden' }]);
  const forged = await call(h.dd, api.ApiId!, '/who', { headers: await signed('wrong') });
  assert.equal(forged.status, 403);
  const ok = await call(h.dd, api.ApiId!, '/who', { headers: await signed('test') });
  assert.deepEqual([ok.status, JSON.parse(ok.body)], [200, { who: 'arn:aws:iam::000000000000:root', account: '000000000000' }]);
});
