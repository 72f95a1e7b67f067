/** Topics through the real SDK: names, idempotency, attributes, delivery policies, paging, tags, permissions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateTopicCommand, DeleteTopicCommand, GetDataProtectionPolicyCommand, GetTopicAttributesCommand,
  ListTagsForResourceCommand, ListTopicsCommand, PublishCommand, RemovePermissionCommand, SetTopicAttributesCommand, SubscribeCommand,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { useDrydock } from '../../helpers.js';
import { createQueue, createTopic, failure, snsClient, sqsClient, uniqueName } from './helpers.js';

const h = useDrydock();

const DEFAULT_EFFECTIVE = {
  http: {
    defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};

test('a new topic shows AWS\'s default attributes and policy', async () => {
  const sns = snsClient(h.dd);
  const arn = await createTopic(sns);
  const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
  assert.deepEqual(JSON.parse(a['EffectiveDeliveryPolicy']!), DEFAULT_EFFECTIVE);
  assert.deepEqual(JSON.parse(a['Policy']!), {
    Version: '2008-10-17', Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe',
        'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': '000000000000' } },
    }],
  });
  const { EffectiveDeliveryPolicy: _e, Policy: _p, ...rest } = a;
  assert.deepEqual(rest, {
    DisplayName: '', Owner: '000000000000', SubscriptionsConfirmed: '0', SubscriptionsDeleted: '0', SubscriptionsPending: '0', TopicArn: arn,
  });
  const fifo = await createTopic(sns, { Name: `${uniqueName()}.fifo`, Attributes: { FifoTopic: 'true', SignatureVersion: '2', DisplayName: 'TestTopic' } });
  const f = (await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo }))).Attributes!;
  assert.deepEqual([f['FifoTopic'], f['ContentBasedDeduplication'], f['SignatureVersion'], f['DisplayName']], ['true', 'false', '2', 'TestTopic']);
});

test('topic names: length, characters and the .fifo suffix', async () => {
  const sns = snsClient(h.dd);
  await createTopic(sns, { Name: 'a'.repeat(256) });
  for (const [Name, Attributes] of [['', undefined], ['a'.repeat(257), undefined], ['x.fifo', undefined], ['x', { FifoTopic: 'true' }],
    ['a b', undefined], ['a.b', undefined], ['a:b', undefined], ['ä', undefined]] as const) {
    const e = await failure(() => sns.send(new CreateTopicCommand({ Name, Attributes })));
    assert.deepEqual([e.code, e.message, e.status], ['InvalidParameter', 'Invalid parameter: Topic Name', 400], Name);
  }
});

test('CreateTopic is idempotent unless attributes or tags differ', async () => {
  const sns = snsClient(h.dd);
  const Name = uniqueName();
  const arn = await createTopic(sns, { Name, Attributes: { DisplayName: 'Value1' }, Tags: [{ Key: 'k1', Value: 'v1' }] });
  assert.equal(await createTopic(sns, { Name }), arn);
  assert.equal(await createTopic(sns, { Name, Attributes: { DisplayName: 'Value1' }, Tags: [{ Key: 'k1', Value: 'v1' }] }), arn);
  const attrs = await failure(() => sns.send(new CreateTopicCommand({ Name, Attributes: { DisplayName: 'Value2' } })));
  assert.equal(attrs.message, 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
  const tags = await failure(() => sns.send(new CreateTopicCommand({ Name, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] })));
  assert.equal(tags.message, 'Invalid parameter: Tags Reason: Topic already exists with different tags');
});

test('DeliveryPolicy: stored as given, merged into EffectiveDeliveryPolicy, removed by an empty value', async () => {
  const sns = snsClient(h.dd);
  const arn = await createTopic(sns);
  const policy = { http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 }, disableSubscriptionOverrides: false } };
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify(policy) }));
  let a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
  assert.deepEqual(JSON.parse(a['DeliveryPolicy']!), policy);
  assert.deepEqual(JSON.parse(a['EffectiveDeliveryPolicy']!).http.defaultHealthyRetryPolicy,
    { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' });
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '' }));
  a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
  assert.equal(a['DeliveryPolicy'], undefined);
  assert.deepEqual(JSON.parse(a['EffectiveDeliveryPolicy']!), DEFAULT_EFFECTIVE);
  const bad = await failure(() => sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '{bad' })));
  assert.equal(bad.code, 'InvalidParameter');
  assert.match(bad.message, /^Invalid parameter: DeliveryPolicy: failed to parse JSON\. Unexpected character \('b' \(code 98\)\)/);
});

test('SetTopicAttributes refuses FifoTopic and unknown names; other attributes are checked', async () => {
  const sns = snsClient(h.dd);
  const arn = await createTopic(sns);
  for (const AttributeName of ['FifoTopic', 'Owner', 'Nonsense']) {
    const e = await failure(() => sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName, AttributeValue: 'false' })));
    assert.equal(e.message, 'Invalid parameter: AttributeName');
  }
  for (const [AttributeName, AttributeValue] of [['SignatureVersion', '3'], ['TracingConfig', 'On'], ['MaximumMessageSize', '100']]) {
    const e = await failure(() => sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName, AttributeValue })));
    assert.equal(e.code, 'InvalidParameter', AttributeName);
  }
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'TracingConfig', AttributeValue: 'Active' }));
  const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
  assert.deepEqual([a['KmsMasterKeyId'], a['TracingConfig']], ['alias/aws/sns', 'Active']);
});

test('MaximumMessageSize: 256 KiB by default, up to 1 MiB when set', async () => {
  const sns = snsClient(h.dd);
  const arn = await createTopic(sns);
  const big = 'x'.repeat(262_145);
  const e = await failure(() => sns.send(new PublishCommand({ TopicArn: arn, Message: big })));
  assert.deepEqual([e.code, e.message], ['InvalidParameter', 'Invalid parameter: Message too long']);
  await sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(262_144) }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'MaximumMessageSize', AttributeValue: '1048576' }));
  await sns.send(new PublishCommand({ TopicArn: arn, Message: big }));
  const email = await failure(() => sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'a@example.com' })));
  assert.equal(email.code, 'InvalidParameter');
});

test('subscription counts, deletion (idempotent) and the errors for missing or foreign topics', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const arn = await createTopic(sns);
  const q = await createQueue(sqs);
  await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }));
  await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'someone@example.com' }));
  const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
  assert.deepEqual([a['SubscriptionsConfirmed'], a['SubscriptionsPending']], ['1', '1']);
  await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
  await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
  const gone = await failure(() => sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
  assert.deepEqual(gone, { name: 'NotFoundException', code: 'NotFound', message: 'Topic does not exist', status: 404 });
  const malformed = await failure(() => sns.send(new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' })));
  assert.equal(malformed.message, 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
  const west = snsClient(h.dd, { region: 'us-west-2' });
  const westArn = await createTopic(west);
  const foreign = await failure(() => sns.send(new PublishCommand({ TopicArn: westArn, Message: 'x' })));
  assert.deepEqual([foreign.code, foreign.message], ['InvalidParameter', 'Invalid parameter: TopicArn']);
});

test('ListTopics pages by 100', async () => {
  const sns = snsClient(h.dd, { accessKeyId: '222222222222' });
  const made = new Set<string>();
  for (let i = 0; i < 105; i++) made.add(await createTopic(sns));
  const first = await sns.send(new ListTopicsCommand({}));
  assert.equal(first.Topics!.length, 100);
  assert.ok(first.NextToken);
  const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.equal(second.Topics!.length, 5);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual(new Set([...first.Topics!, ...second.Topics!].map((t) => t.TopicArn)), made);
});

test('tags: add, overwrite, remove, list; duplicated keys refused; gone with the topic', async () => {
  const sns = snsClient(h.dd);
  const ResourceArn = await createTopic(sns, { Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] });
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }]);
  await sns.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['k1'] }));
  await sns.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'k2', Value: 'v2b' }] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, [{ Key: 'k2', Value: 'v2b' }]);
  const dup = await failure(() => sns.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })));
  assert.deepEqual([dup.code, dup.message], ['InvalidParameter', 'Invalid parameter: Duplicated keys are not allowed.']);
  await sns.send(new DeleteTopicCommand({ TopicArn: ResourceArn }));
  const name = ResourceArn.split(':').pop()!;
  await sns.send(new CreateTopicCommand({ Name: name }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, []);
});

test('AddPermission and RemovePermission edit the topic policy', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  await sns.send(new AddPermissionCommand({ TopicArn, Label: 'test', AWSAccountId: ['111111111111'], ActionName: ['Publish', 'Subscribe'] }));
  const policy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!['Policy']!) as { Statement: unknown[] };
  assert.deepEqual(policy.Statement[1], {
    Sid: 'test', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: TopicArn,
  });
  const dup = await failure(() => sns.send(new AddPermissionCommand({ TopicArn, Label: 'test', AWSAccountId: ['111111111111'], ActionName: ['Publish'] })));
  assert.equal(dup.message, 'Invalid parameter: Statement already exists');
  const scope = await failure(() => sns.send(new AddPermissionCommand({ TopicArn, Label: 'x', AWSAccountId: ['111111111111'], ActionName: ['SendMessage'] })));
  assert.equal(scope.message, 'Invalid parameter: Policy statement action out of service scope!');
  // The other account may now publish; before, it may not.
  const other = snsClient(h.dd, { accessKeyId: '111111111111' });
  await other.send(new PublishCommand({ TopicArn, Message: 'from another account' }));
  await sns.send(new RemovePermissionCommand({ TopicArn, Label: 'test' }));
  const after = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!['Policy']!) as { Statement: unknown[] };
  assert.equal(after.Statement.length, 1);
  const denied = await failure(() => other.send(new PublishCommand({ TopicArn, Message: 'refused' })));
  assert.equal(denied.status, 403);
});

test('data protection, SMS and mobile push operations answer NotImplemented', async () => {
  const sns = snsClient(h.dd);
  const ResourceArn = await createTopic(sns);
  const e = await failure(() => sns.send(new GetDataProtectionPolicyCommand({ ResourceArn })));
  assert.equal(e.status, 501);
});
