/** Shared plumbing for the Scheduler suites: clients, an execution role, queues to observe. */
import { randomBytes } from 'node:crypto';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { receiveAll } from '../events/helpers.js';

export { createQueue, receiveAll, receiveJson, sqsClient, type Queue } from '../events/helpers.js';

/**
 * Messages from a queue once at least `n` arrived (invocations run in the background after the
 * clock moves; the first one also loads IAM and STS), polling for at most two real seconds.
 */
export async function receiveEventually(c: SQSClient, url: string, n = 1): Promise<Message[]> {
  const got: Message[] = [];
  for (let i = 0; i < 100 && got.length < n; i++) {
    got.push(...(await receiveAll(c, url)));
    if (got.length < n) await new Promise((r) => setTimeout(r, 20));
  }
  return got;
}
export { failure } from '../../helpers.js';

export function schedulerClient(dd: RunningDrydock): SchedulerClient {
  return new SchedulerClient(accountConfig(dd));
}

export function uniqueName(prefix = 's'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A role Scheduler may assume, allowed `actions` on `resources`. */
export async function executionRole(dd: RunningDrydock, actions: string[] = ['sqs:*', 'events:PutEvents'], resources: string[] = ['*']): Promise<string> {
  const iam = new IAMClient(accountConfig(dd));
  const name = uniqueName('role');
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const role = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: name, PolicyName: 'targets',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] }),
  }));
  return role.Role!.Arn!;
}
