/**
 * SNS with Debian's boto3 1.26 (query protocol): topic → SQS subscription → publish with
 * attributes → the envelope arrives; PublishBatch; an error code boto3 parses. One Python
 * run (boto3's import is the slow part) prints what it saw as JSON.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';
import { PYTHON, awsEnv, run, tempDir } from './helpers.js';

const SCRIPT = String.raw`
import json, sys, boto3, botocore
endpoint = sys.argv[1]
def client(name):
    return boto3.client(name, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
sns, sqs = client("sns"), client("sqs")
out = {}
topic = sns.create_topic(Name="boto3-topic", Attributes={"DisplayName": "boto3"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
url = sqs.create_queue(QueueName="boto3-sns-queue")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]
out["subscription"] = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
out["publish"] = sns.publish(TopicArn=topic, Message="hi from boto3", Subject="s", MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"}})["MessageId"]
out["batch"] = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "one"}, {"Id": "b", "Message": ""}])
out["batch"].pop("ResponseMetadata")
out["messages"] = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])]
out["topics"] = sns.list_topics()["Topics"]
out["tags"] = sns.list_tags_for_resource(ResourceArn=topic)["Tags"]
try:
    sns.get_topic_attributes(TopicArn=topic + "-missing")
except botocore.exceptions.ClientError as e:
    out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
print(json.dumps(out))
`;

interface Seen {
  subscription: Record<string, string>;
  publish: string;
  batch: { Successful: { Id: string }[]; Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] };
  messages: string[];
  topics: { TopicArn: string }[];
  tags: { Key: string; Value: string }[];
  error: { code: string; message: string; status: number };
}

let dd: RunningDrydock;
let seen: Seen;
const home = tempDir('drydock-e2e-sns-');

before(async () => {
  dd = await startDrydock();
  const r = await run(PYTHON, ['-c', SCRIPT, dd.endpoint], { env: awsEnv(home.path) });
  assert.equal(r.code, 0, `the boto3 script failed:\n${r.stderr}`);
  seen = JSON.parse(r.stdout) as Seen;
});
after(async () => { await dd?.stop(); home.remove(); });

test('boto3: subscribe a queue, publish, receive the envelope', () => {
  assert.equal(seen.subscription['Protocol'], 'sqs');
  assert.equal(seen.subscription['PendingConfirmation'], 'false');
  const envelopes = seen.messages.map((b) => JSON.parse(b) as Record<string, unknown>);
  const first = envelopes.find((e) => e['MessageId'] === seen.publish)!;
  assert.equal(first['Message'], 'hi from boto3');
  assert.equal(first['Subject'], 's');
  assert.deepEqual(first['MessageAttributes'], { n: { Type: 'Number', Value: '7' } });
  assert.deepEqual(envelopes.map((e) => e['Message']).sort(), ['hi from boto3', 'one']);
});

test('boto3: PublishBatch results, list and tag calls, a NotFound error', () => {
  assert.deepEqual(seen.batch.Successful.map((s) => s.Id), ['a']);
  assert.deepEqual(seen.batch.Failed, [{ Id: 'b', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
  assert.ok(seen.topics.some((t) => t.TopicArn.endsWith(':boto3-topic')));
  assert.deepEqual(seen.tags, [{ Key: 'k', Value: 'v' }]);
  assert.deepEqual(seen.error, { code: 'NotFound', message: 'Topic does not exist', status: 404 });
});
