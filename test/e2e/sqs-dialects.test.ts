/**
 * SQS in the query dialect that Debian's AWS CLI 2.9 and boto3 1.26 speak: a few real calls
 * each (create, send with message attributes so the MD5s are checked, receive, delete) and the
 * query error codes they parse. The CLI costs about a second per call, so the cases are few.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';
import { AWS, PYTHON, awsEnv, run, tempDir, type RunResult } from './helpers.js';

let dd: RunningDrydock;
const home = tempDir('drydock-e2e-sqs-');

before(async () => { dd = await startDrydock(); });
after(async () => { await dd?.stop(); home.remove(); });

function aws(args: string[]): Promise<RunResult> {
  return run(AWS, ['--endpoint-url', dd.endpoint, '--output', 'json', 'sqs', ...args], { env: awsEnv(home.path) });
}

function json(r: RunResult): Record<string, unknown> {
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  return r.stdout.trim() ? JSON.parse(r.stdout) as Record<string, unknown> : {};
}

describe('AWS CLI 2.9 (query dialect)', () => {
  test('create-queue, send-message with attributes, receive-message, delete-message', async () => {
    const created = await aws(['create-queue', '--queue-name', 'cli-queue', '--attributes', 'VisibilityTimeout=45', '--debug']);
    assert.match(created.stderr, /'body': \{'Action': 'CreateQueue'/, 'the CLI speaks the query protocol to SQS');
    const url = json(created)['QueueUrl'] as string;
    assert.equal(url, `${dd.endpoint}/000000000000/cli-queue`);
    const sent = json(await aws(['send-message', '--queue-url', url, '--message-body', 'msg',
      '--message-attributes', JSON.stringify({ General: { DataType: 'String', StringValue: 'Kenobi' }, Hello: { DataType: 'String', StringValue: 'There' },
        'Help.Me': { DataType: 'String', StringValue: 'Me' } })]));
    assert.equal(sent['MD5OfMessageBody'], '6e2baaf3b97dbeef01c0043275f9a0e7');
    assert.equal(sent['MD5OfMessageAttributes'], '4c360f3fdafd970e05fae2f149d997f5');
    // The localstack-style regional host form of the URL names the same queue.
    const port = new URL(dd.endpoint).port;
    const received = json(await aws(['receive-message', '--queue-url', `http://sqs.us-east-1.localhost.localstack.cloud:${port}/000000000000/cli-queue`,
      '--message-attribute-names', 'All', '--attribute-names', 'All']));
    const m = (received['Messages'] as Record<string, unknown>[])[0]!;
    assert.equal(m['Body'], 'msg');
    assert.equal(m['MessageId'], sent['MessageId']);
    assert.equal(m['MD5OfMessageAttributes'], '4c360f3fdafd970e05fae2f149d997f5');
    assert.equal((m['Attributes'] as Record<string, string>)['ApproximateReceiveCount'], '1');
    assert.deepEqual(json(await aws(['delete-message', '--queue-url', url, '--receipt-handle', m['ReceiptHandle'] as string])), {});
    const attrs = json(await aws(['get-queue-attributes', '--queue-url', url, '--attribute-names', 'ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout']));
    assert.deepEqual(attrs['Attributes'], { ApproximateNumberOfMessagesNotVisible: '0', VisibilityTimeout: '45' });
  });

  test('a missing queue is AWS.SimpleQueueService.NonExistentQueue', async () => {
    const r = await aws(['get-queue-url', '--queue-name', 'no-such-queue']);
    assert.equal(r.code, 254, r.stderr);
    assert.match(r.stderr, /An error occurred \(AWS\.SimpleQueueService\.NonExistentQueue\) when calling the GetQueueUrl operation(?: \(reached max retries: \d+\))?: The specified queue does not exist/);
  });
});

const BOTO3 = String.raw`
import json, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
c = boto3.client('sqs', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test',
                 aws_secret_access_key='test', config=Config(retries={'total_max_attempts': 1, 'mode': 'standard'}))
def err(call):
    try:
        call()
        return None
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
out = {'protocol': c.meta.service_model.protocol}
url = c.create_queue(QueueName='boto-queue.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
out['url'] = url
s = c.send_message(QueueUrl=url, MessageBody='hello', MessageGroupId='g',
    MessageAttributes={'Foo': {'DataType': 'String', 'StringValue': 'Bar'}, 'Bin': {'DataType': 'Binary', 'BinaryValue': b'\x00\x01\x02'}})
out['send'] = {k: s.get(k) for k in ('MD5OfMessageBody', 'MD5OfMessageAttributes', 'SequenceNumber', 'MessageId')}
b = c.send_message_batch(QueueUrl=url, Entries=[{'Id': 'a', 'MessageBody': 'second', 'MessageGroupId': 'g'}])
out['batch'] = [e['Id'] for e in b.get('Successful', [])]
r = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'], AttributeNames=['All'])
out['received'] = [{'Body': m['Body'], 'MD5OfMessageAttributes': m.get('MD5OfMessageAttributes'),
    'Bin': list(m.get('MessageAttributes', {}).get('Bin', {}).get('BinaryValue', b'')), 'Attributes': m['Attributes']} for m in r['Messages']]
for m in r['Messages']:
    c.delete_message(QueueUrl=url, ReceiptHandle=m['ReceiptHandle'])
out['afterDelete'] = c.get_queue_attributes(QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'])['Attributes']
c.purge_queue(QueueUrl=url)
out['purgeAgain'] = err(lambda: c.purge_queue(QueueUrl=url))
out['missing'] = err(lambda: c.get_queue_url(QueueName='no-such-queue'))
out['badHandle'] = err(lambda: c.delete_message(QueueUrl=url, ReceiptHandle='garbage'))
out['tooMany'] = err(lambda: c.receive_message(QueueUrl=url, MaxNumberOfMessages=11))
print(json.dumps(out))
`;

describe('boto3 1.26 (query dialect)', () => {
  test('FIFO create, send with message attributes, batch, receive, delete, and query error codes', async () => {
    const r = await run(PYTHON, ['-c', BOTO3, dd.endpoint], { env: awsEnv(home.path) });
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const out = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(out['protocol'], 'query');
    assert.equal(out['url'], `${dd.endpoint}/000000000000/boto-queue.fifo`);
    assert.equal(out['send'].MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
    assert.match(out['send'].SequenceNumber, /^\d{20}$/);
    assert.deepEqual(out['batch'], ['a']);
    const [first, second] = out['received'];
    assert.equal(first.Body, 'hello');
    assert.equal(first.MD5OfMessageAttributes, out['send'].MD5OfMessageAttributes);
    assert.deepEqual(first.Bin, [0, 1, 2]);
    assert.equal(first.Attributes.MessageGroupId, 'g');
    assert.equal(first.Attributes.SequenceNumber, out['send'].SequenceNumber);
    assert.equal(second.Body, 'second');
    assert.deepEqual(out['afterDelete'], { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    assert.deepEqual(out['purgeAgain'], ['AWS.SimpleQueueService.PurgeQueueInProgress', 'Only one PurgeQueue operation on boto-queue.fifo is allowed every 60 seconds.', 403]);
    assert.deepEqual(out['missing'].slice(0, 1).concat(out['missing'].slice(2)), ['AWS.SimpleQueueService.NonExistentQueue', 400]);
    assert.deepEqual(out['badHandle'], ['ReceiptHandleIsInvalid', 'The input receipt handle "garbage" is not a valid receipt handle.', 404]);
    assert.deepEqual(out['tooMany'], ['InvalidParameterValue', 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.', 400]);
  });
});
