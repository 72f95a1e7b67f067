/**
 * The ARNs a Step Functions call touches, for IAM: the ARN members of its input, or the ARN a
 * create call will make (so `states:CreateStateMachine` on `…:stateMachine:orders-*` works).
 */
import type { ResourceRef } from '../../core/ports.js';

const ARN_MEMBERS = ['stateMachineArn', 'executionArn', 'resourceArn', 'stateMachineAliasArn', 'stateMachineVersionArn', 'mapRunArn', 'activityArn'];

export function sfnResources(operation: string, input: Record<string, unknown>, account: string, region: string): ResourceRef[] {
  const base = `arn:aws:states:${region}:${account}`;
  if (operation === 'CreateStateMachine' && typeof input['name'] === 'string') return [{ arn: `${base}:stateMachine:${input['name']}` }];
  if (operation === 'CreateActivity' && typeof input['name'] === 'string') return [{ arn: `${base}:activity:${input['name']}` }];
  if (operation === 'CreateStateMachineAlias') {
    const first = (input['routingConfiguration'] as { stateMachineVersionArn?: string }[] | undefined)?.[0]?.stateMachineVersionArn;
    if (typeof first === 'string' && typeof input['name'] === 'string') return [{ arn: `${first.split(':').slice(0, 7).join(':')}:${input['name']}` }];
  }
  for (const m of ARN_MEMBERS) if (typeof input[m] === 'string') return [{ arn: input[m] }];
  return [];
}
