/** Shared plumbing for the SQS suites: a client per Drydock, unique queue names, error capture. */
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, SQSClient, type CreateQueueCommandInput } from '@aws-sdk/client-sqs';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

export function sqsClient(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): SQSClient {
  return new SQSClient(accountConfig(dd, overrides));
}

/** A queue name no other test uses. */
export function uniqueName(prefix = 'q'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createQueue(c: SQSClient, input: Partial<CreateQueueCommandInput> = {}): Promise<string> {
  const out = await c.send(new CreateQueueCommand({ QueueName: uniqueName(), ...input }));
  return out.QueueUrl!;
}

export async function createFifo(c: SQSClient, attributes: Record<string, string> = {}): Promise<string> {
  return createQueue(c, { QueueName: `${uniqueName('f')}.fifo`, Attributes: { FifoQueue: 'true', ...attributes } });
}

export { failure, type SeenError } from '../../helpers.js';
