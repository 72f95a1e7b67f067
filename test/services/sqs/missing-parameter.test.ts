import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../support/node-sha256.js';
import { failure, useDrydock } from '../../helpers.js';

const h = useDrydock();

test('a missing required member is MissingRequiredParameterException in JSON, with MissingParameter as its query code', async () => {
  const e = await failure(() => new SQSClient(h.config()).send(new GetQueueUrlCommand({} as never)));
  assert.deepEqual(e, { name: 'MissingParameter', code: 'MissingParameter', status: 400, message: 'The request must contain the parameter QueueName.' });
  // What the SDK hides: the JSON `__type` and the query-compatibility header, as AWS sends them.
  const url = new URL(h.dd.endpoint);
  const signer = new SignatureV4({ service: 'sqs', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body: '{}',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
  });
  const res = await fetch(`${h.dd.endpoint}/`, { method: 'POST', headers: signed.headers, body: '{}' });
  assert.equal(res.headers.get('x-amzn-query-error'), 'MissingParameter;Sender');
  assert.equal((await res.json() as { __type: string }).__type, 'com.amazonaws.sqs#MissingRequiredParameterException');
});

test('a batch entry sent as null is a client error, not an internal one', async () => {
  const { CreateQueueCommand } = await import('@aws-sdk/client-sqs');
  const { QueueUrl } = await new SQSClient(h.config()).send(new CreateQueueCommand({ QueueName: 'null-entry' }));
  const url = new URL(h.dd.endpoint);
  const body = JSON.stringify({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }, null] });
  const signer = new SignatureV4({ service: 'sqs', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body,
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
  });
  const res = await fetch(`${h.dd.endpoint}/`, { method: 'POST', headers: signed.headers, body });
  assert.equal(res.status, 400, await res.clone().text());
  assert.notEqual((await res.json() as { __type: string }).__type, 'com.amazonaws.sqs#InternalFailure');
});
