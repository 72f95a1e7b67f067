/**
 * The bus resource policy at work: which bus a call touches (for the gateway's authorizer, so
 * PutEvents from another account is decided by the bus's policy), and the same decision for
 * events a rule forwards to another account's bus.
 */
import { AwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { ResourceRef } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { evaluate, parsePolicy } from '../../engines/iam-policy/index.js';
import type { ServiceHost } from '../types.js';
import { entryBus } from './put-events.js';
import { busArn, eventsState, ruleArn, type BusRecord } from './store.js';

/** The bus an ARN names, when it exists. */
export function busByArn(stores: Stores, arn: string): BusRecord | undefined {
  const a = parseArn(arn);
  if (!a || !a.resource.startsWith('event-bus/')) return undefined;
  return eventsState(stores, a.account, a.region).buses.get(a.resource.slice('event-bus/'.length));
}

function busRef(given: unknown, account: string, region: string): string {
  try {
    const b = entryBus(given, account, region);
    return busArn(b.account, b.region, b.name);
  } catch {
    return busArn(account, region, 'default');
  }
}

const BUS_OPS = new Set(['CreateEventBus', 'DescribeEventBus', 'UpdateEventBus', 'DeleteEventBus']);
const RULE_OPS = new Set(['PutRule', 'DescribeRule', 'DeleteRule', 'EnableRule', 'DisableRule', 'PutTargets', 'RemoveTargets', 'ListTargetsByRule']);

/** The resources of an EventBridge call, as AWS's action table names them. */
export function resolveResources(operation: string, input: Record<string, unknown>, account: string, region: string): ResourceRef[] {
  if (operation === 'PutEvents') {
    const entries = Array.isArray(input['Entries']) ? (input['Entries'] as Record<string, unknown>[]) : [];
    return [...new Set(entries.map((e) => busRef(e['EventBusName'], account, region)))].map((arn) => ({ arn }));
  }
  if (BUS_OPS.has(operation)) return [{ arn: busRef(input['Name'], account, region) }];
  if (RULE_OPS.has(operation)) {
    const name = typeof input['Name'] === 'string' ? input['Name'] : input['Rule'];
    if (typeof name !== 'string') return [];
    const bus = parseArn(busRef(input['EventBusName'], account, region))!.resource.slice('event-bus/'.length);
    return [{ arn: ruleArn(account, region, bus, name) }];
  }
  if (operation === 'TagResource' || operation === 'UntagResource' || operation === 'ListTagsForResource') {
    return typeof input['ResourceARN'] === 'string' ? [{ arn: input['ResourceARN'] }] : [];
  }
  return [];
}

/** Refuses a forward to another account's bus unless that bus's policy lets the sending account put events. */
export function checkCrossAccountPut(host: ServiceHost, fromAccount: string, bus: { account: string; region: string; name: string }, ruleArnText: string): void {
  if (bus.account === fromAccount) return;
  const arn = busArn(bus.account, bus.region, bus.name);
  const record = eventsState(host.stores, bus.account, bus.region).buses.get(bus.name);
  if (!record) throw new AwsError('ResourceNotFoundException', `Event bus ${bus.name} does not exist.`, 400);
  const decision = evaluate({
    principal: { type: 'root', arn: `arn:aws:iam::${fromAccount}:root`, account: fromAccount, userId: fromAccount },
    action: 'events:PutEvents',
    resources: [arn],
    context: { 'aws:SourceAccount': fromAccount, 'aws:SourceArn': ruleArnText },
    identityPolicies: [],
    resourcePolicy: record.policy
      ? { policy: parsePolicy(record.policy, { kind: 'resource', id: `${arn}/policy`, name: 'event bus policy' }), resourceAccount: bus.account }
      : undefined,
    resourceAccount: bus.account,
    now: host.clock.now(),
  });
  if (decision.decision !== 'Allow') {
    throw new AwsError('AccessDeniedException', `Account ${fromAccount} is not authorized to perform: events:PutEvents on resource: ${arn}`, 400);
  }
}
