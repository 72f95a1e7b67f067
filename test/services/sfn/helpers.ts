/** Shared plumbing for the Step Functions suites: clients, an execution role, machines, waiting for an end. */
import { randomBytes } from 'node:crypto';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand,
  type DescribeExecutionCommandOutput, type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

export function sfnClient(dd: RunningDrydock): SFNClient {
  // StartSyncExecution and TestState carry a `sync-` host prefix that a local endpoint cannot take.
  return new SFNClient({ ...sdkConfig(dd), disableHostPrefix: true });
}

export function uniqueName(prefix = 'sm'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A role Step Functions may assume, allowed everything. */
export async function executionRole(dd: RunningDrydock): Promise<string> {
  const iam = new IAMClient(sdkConfig(dd));
  const name = uniqueName('sfn-role');
  const out = await iam.send(new CreateRoleCommand({
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: name, PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  }));
  return out.Role!.Arn!;
}

export const DUMMY_ROLE = 'arn:aws:iam::000000000000:role/sfn-role';

export async function createMachine(c: SFNClient, definition: object, opts: { roleArn?: string; type?: 'STANDARD' | 'EXPRESS'; name?: string } = {}): Promise<string> {
  const out = await c.send(new CreateStateMachineCommand({
    name: opts.name ?? uniqueName(), definition: JSON.stringify(definition), roleArn: opts.roleArn ?? DUMMY_ROLE, type: opts.type,
  }));
  return out.stateMachineArn!;
}

/**
 * Polls until the execution leaves RUNNING, for at most `withinMs` of real time: a count of
 * polls ran out early once requests got faster, while a retry waited out its interval. The
 * first polls follow each other at once (most executions end within a few); later ones are
 * spaced by a few milliseconds.
 */
export async function finished(c: SFNClient, executionArn: string, withinMs = 15_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = performance.now() + withinMs;
  for (let i = 0; ; i++) {
    const d = await c.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    if (performance.now() > deadline) throw new Error(`execution ${executionArn} still running after ${withinMs} ms`);
    await new Promise((r) => (i < 100 ? setImmediate(r) : setTimeout(r, 5)));
  }
}

/** Starts an execution of a new machine and waits for its end. */
export async function run(c: SFNClient, definition: object, input: unknown = {}, opts: { roleArn?: string } = {}): Promise<DescribeExecutionCommandOutput & { events: HistoryEvent[] }> {
  const arn = await createMachine(c, definition, opts);
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
  const d = await finished(c, executionArn!);
  const h = await c.send(new GetExecutionHistoryCommand({ executionArn }));
  return { ...d, events: h.events! };
}

export function types(events: HistoryEvent[]): string[] {
  return events.map((e) => e.type!);
}

export { failure } from '../../helpers.js';
