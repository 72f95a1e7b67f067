/**
 * `iam:PassRole`: a call that hands a role to a service (a function's execution role, a state
 * machine's, a rule target's, a flow log's delivery role) is also decided as `iam:PassRole` on
 * that role, with `iam:PassedToService` naming the service that will assume it. This is what
 * stops a developer who may create functions from giving one a role more powerful than
 * their own. The table says where each operation carries the role and to whom it goes.
 */
import type { IamDirectory, ResourceRef } from '../core/ports.js';

interface Passing {
  /** Member paths of the input holding role ARNs; `[]` walks a list. */
  paths: readonly string[];
  /** The service principal the role is passed to. */
  to: string;
}

const LAMBDA: Passing = { paths: ['Role'], to: 'lambda.amazonaws.com' };
const STATES: Passing = { paths: ['roleArn'], to: 'states.amazonaws.com' };
const SCHEDULER: Passing = { paths: ['Target.RoleArn'], to: 'scheduler.amazonaws.com' };
const APIGW_V2: Passing = { paths: ['CredentialsArn'], to: 'apigateway.amazonaws.com' };

/** Per model name, per operation. */
const PASSING: Record<string, Record<string, Passing>> = {
  lambda: { CreateFunction: LAMBDA, UpdateFunctionConfiguration: LAMBDA },
  sfn: { CreateStateMachine: STATES, UpdateStateMachine: STATES },
  events: {
    PutRule: { paths: ['RoleArn'], to: 'events.amazonaws.com' },
    PutTargets: { paths: ['Targets[].RoleArn'], to: 'events.amazonaws.com' },
  },
  scheduler: { CreateSchedule: SCHEDULER, UpdateSchedule: SCHEDULER },
  ec2: { CreateFlowLogs: { paths: ['DeliverLogsPermissionArn'], to: 'vpc-flow-logs.amazonaws.com' } },
  apigateway: { PutIntegration: { paths: ['credentials'], to: 'apigateway.amazonaws.com' } },
  apigatewayv2: { CreateIntegration: APIGW_V2, UpdateIntegration: APIGW_V2 },
};

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\//;

/** The values at a dotted path, `[]` fanning out over a list. */
function valuesAt(v: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [v];
  if (v === null || typeof v !== 'object') return [];
  const [head, ...rest] = path as [string, ...string[]];
  const list = head.endsWith('[]');
  const child = (v as Record<string, unknown>)[list ? head.slice(0, -2) : head];
  if (!list) return valuesAt(child, rest);
  return Array.isArray(child) ? child.flatMap((c) => valuesAt(c, rest)) : [];
}

/** RunInstances names an instance profile (by ARN or name): its role is what goes to EC2. */
function instanceProfileRoles(input: Record<string, unknown>, account: string, iam: IamDirectory | undefined): string[] {
  const p = input['IamInstanceProfile'] as { Arn?: unknown; Name?: unknown } | undefined;
  if (typeof p?.Name === 'string') return iam?.instanceProfileRoles?.(account, p.Name) ?? [];
  const arn = typeof p?.Arn === 'string' ? /^arn:aws[\w-]*:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(p.Arn) : null;
  return arn ? iam?.instanceProfileRoles?.(arn[1]!, arn[2]!) ?? [] : [];
}

/** The roles a call passes, as resources to decide `iam:PassRole` on. */
export function passedRoles(
  service: string, operation: string, input: Record<string, unknown>, account: string, iam: IamDirectory | undefined,
): ResourceRef[] {
  if (service === 'ec2' && operation === 'RunInstances') {
    return instanceProfileRoles(input, account, iam)
      .map((arn) => ({ arn, action: 'iam:PassRole', context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }));
  }
  const passing = PASSING[service]?.[operation];
  if (!passing) return [];
  const arns = new Set<string>();
  for (const path of passing.paths) {
    for (const v of valuesAt(input, path.split('.'))) if (typeof v === 'string' && ROLE_ARN.test(v)) arns.add(v);
  }
  return [...arns].map((arn) => ({ arn, action: 'iam:PassRole', context: { 'iam:PassedToService': passing.to } }));
}
