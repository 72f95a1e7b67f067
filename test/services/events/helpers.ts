/** Shared plumbing for the EventBridge suites: clients, a rule wired to a queue, reading a queue. */
import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

export function ebClient(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): EventBridgeClient {
  return new EventBridgeClient(accountConfig(dd, overrides));
}

export function sqsClient(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): SQSClient {
  return new SQSClient(accountConfig(dd, overrides));
}

export function uniqueName(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface Queue { url: string; arn: string }

export async function createQueue(c: SQSClient, opts: { fifo?: boolean; attributes?: Record<string, string> } = {}): Promise<Queue> {
  const name = opts.fifo ? `${uniqueName('fq')}.fifo` : uniqueName('q');
  const attributes = opts.fifo ? { FifoQueue: 'true', ...opts.attributes } : opts.attributes;
  const url = (await c.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const arn = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  return { url, arn };
}

/** Every message waiting in a queue (up to ten), with attributes; consumed (deleted) as a reader would. */
export async function receiveAll(c: SQSClient, url: string): Promise<Message[]> {
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
  const messages = r.Messages ?? [];
  if (messages.length) {
    await c.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return messages;
}

/** Bodies of the waiting messages, parsed as JSON. */
export async function receiveJson(c: SQSClient, url: string): Promise<Record<string, unknown>[]> {
  return (await receiveAll(c, url)).map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
}

/** A rule with `pattern` on `bus` and a queue as its target (extra target fields merged in). */
export async function ruleToQueue(
  eb: EventBridgeClient, sqs: SQSClient,
  opts: { pattern?: object; bus?: string; target?: Partial<Target>; fifo?: boolean; schedule?: string } = {},
): Promise<{ rule: string; ruleArn: string; queue: Queue }> {
  const queue = await createQueue(sqs, { fifo: opts.fifo });
  const rule = uniqueName('r');
  const out = await eb.send(new PutRuleCommand({
    Name: rule, EventBusName: opts.bus, ScheduleExpression: opts.schedule,
    EventPattern: opts.schedule ? undefined : JSON.stringify(opts.pattern ?? { source: ['my.app'] }),
  }));
  await eb.send(new PutTargetsCommand({ Rule: rule, EventBusName: opts.bus, Targets: [{ Id: 't1', Arn: queue.arn, ...opts.target }] }));
  return { rule, ruleArn: out.RuleArn!, queue };
}

/** The first defined value `fn` gives, polling in real time (for work other services do in the background). */
export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T | undefined> {
  for (let waited = 0; waited < ms; waited += 25) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  return undefined;
}

export { failure, type SeenError } from '../../helpers.js';
