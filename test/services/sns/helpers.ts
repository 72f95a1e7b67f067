/** Shared plumbing for the SNS suites: clients, unique names, a topic wired to a queue, error capture. */
import { randomBytes } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand, type CreateTopicCommandInput } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

export function snsClient(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): SNSClient {
  return new SNSClient(accountConfig(dd, overrides));
}

export { sqsClient } from '../sqs/helpers.js';

/** A name no other test uses. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createTopic(c: SNSClient, input: Partial<CreateTopicCommandInput> = {}): Promise<string> {
  return (await c.send(new CreateTopicCommand({ Name: uniqueName(), ...input }))).TopicArn!;
}

export async function createFifoTopic(c: SNSClient, attributes: Record<string, string> = {}): Promise<string> {
  return createTopic(c, { Name: `${uniqueName('ft')}.fifo`, Attributes: { FifoTopic: 'true', ...attributes } });
}

/** A queue: its URL and ARN. */
export interface Queue { url: string; arn: string }

export async function createQueue(c: SQSClient, fifo = false, attributes: Record<string, string> = {}): Promise<Queue> {
  const name = fifo ? `${uniqueName('fq')}.fifo` : uniqueName('q');
  const url = (await c.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true', ...attributes } : attributes }))).QueueUrl!;
  const arn = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  return { url, arn };
}

/** A topic with a queue subscribed to it. */
export async function topicWithQueue(
  sns: SNSClient, sqs: SQSClient, opts: { fifo?: boolean; attributes?: Record<string, string>; topicAttributes?: Record<string, string> } = {},
): Promise<{ topicArn: string; queue: Queue; subscriptionArn: string }> {
  const topicArn = opts.fifo ? await createFifoTopic(sns, opts.topicAttributes) : await createTopic(sns, { Attributes: opts.topicAttributes });
  const queue = await createQueue(sqs, opts.fifo);
  const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: opts.attributes }));
  return { topicArn, queue, subscriptionArn: sub.SubscriptionArn! };
}

/** Every message waiting in a queue (one receive of up to ten, with all attributes). */
export async function receiveAll(c: SQSClient, url: string, wait = 0): Promise<Message[]> {
  const r = await c.send(new ReceiveMessageCommand({
    QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], WaitTimeSeconds: wait,
  }));
  return r.Messages ?? [];
}

export { failure, type SeenError } from '../../helpers.js';
