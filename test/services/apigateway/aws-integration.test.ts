/** AWS service integrations: SQS SendMessage called as the integration's role, as on AWS. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDrydock, sdkConfig } from '../../helpers.js';
import { apigw, deployedApi, invoke } from './helpers.js';

const h = useDrydock();

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

async function roleAllowing(name: string, action: string): Promise<string> {
  const iam = new IAMClient(sdkConfig(h.dd));
  const role = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }) }));
  return role.Role!.Arn!;
}

test('POST /send puts the body on an SQS queue through the path form with a form-encoded template', async () => {
  const sqs = new SQSClient(sdkConfig(h.dd));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'apigw-target' }));
  const role = await roleAllowing('apigw-sqs', 'sqs:SendMessage');
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/send', method: { httpMethod: 'POST' },
    integration: {
      type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/apigw-target', credentials: role,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
    },
    responses: [
      { statusCode: '200', responseTemplates: { 'application/json': '{"id":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}' } },
      { statusCode: '400', selectionPattern: '4\\d\\d', responseTemplates: { 'application/json': '{"failed":true}' } },
    ],
  }]);
  const res = await invoke(h.dd, apiId, 'dev', '/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":1}' });
  assert.equal(res.status, 200, res.text);
  const { id } = res.json() as { id: string };
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
  assert.equal(got.Messages?.[0]?.Body, '{"order":1}');
  assert.equal(got.Messages?.[0]?.MessageId, id);
});

test('the action form with a role that may not send is answered by the service error, mapped by status', async () => {
  const sqs = new SQSClient(sdkConfig(h.dd));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'apigw-denied' }));
  const role = await roleAllowing('apigw-nothing', 'sqs:GetQueueUrl');
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/send', method: { httpMethod: 'POST' },
    integration: {
      type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage', credentials: role,
      requestTemplates: { 'application/json': `{"QueueUrl":"${QueueUrl}","MessageBody":"$util.escapeJavaScript($input.body)"}` },
    },
    responses: [{ statusCode: '200' }, { statusCode: '403', selectionPattern: '4\\d\\d', responseTemplates: { 'application/json': '{"denied":true}' } }],
  }]);
  const res = await invoke(h.dd, apiId, 'dev', '/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x' });
  assert.deepEqual([res.status, res.json()], [403, { denied: true }]);
});
