/** Tags on event buses and rules, found by ARN. */
import { parseArn } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import type { Handler } from '../types.js';
import { stateOf, str, tagsFrom } from './common.js';
import { busNotFound, notFound, ruleNotFound } from './errors.js';
import { eventsState, ruleKey, saveRule, type EventsState } from './store.js';

interface Tagged { tags: Record<string, string>; save(): void }

/** The taggable resource an ARN names, in `s` (the caller's state), or undefined. */
function lookup(s: EventsState, arn: string): Tagged | undefined {
  const a = parseArn(arn);
  if (!a || a.account !== s.account || a.region !== s.region) return undefined;
  if (a.resource.startsWith('event-bus/')) {
    const bus = s.buses.get(a.resource.slice('event-bus/'.length));
    return bus && { tags: bus.tags, save: () => s.buses.set(bus.name, bus) };
  }
  if (a.resource.startsWith('rule/')) {
    const parts = a.resource.slice('rule/'.length).split('/');
    const name = parts.pop()!;
    const rule = s.rules.get(ruleKey(parts.length ? parts.join('/') : 'default', name));
    return rule && { tags: rule.tags, save: () => saveRule(s, rule) };
  }
  return undefined;
}

function find(s: EventsState, arn: string): Tagged {
  const found = lookup(s, arn);
  if (found) return found;
  const a = parseArn(arn);
  if (a?.resource.startsWith('event-bus/')) throw busNotFound(a.resource.slice('event-bus/'.length));
  if (a?.resource.startsWith('rule/')) {
    const parts = a.resource.slice('rule/'.length).split('/');
    const name = parts.pop()!;
    throw ruleNotFound(name, parts.length ? parts.join('/') : 'default');
  }
  throw notFound(`Resource ${arn} does not exist.`);
}

export const tagResource: Handler = (input, ctx) => {
  const r = find(stateOf(ctx), str(input, 'ResourceARN')!);
  Object.assign(r.tags, tagsFrom(input['Tags']));
  r.save();
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const r = find(stateOf(ctx), str(input, 'ResourceARN')!);
  for (const k of (input['TagKeys'] as string[] | undefined) ?? []) delete r.tags[k];
  r.save();
  return {};
};

export const listTagsForResource: Handler = (input, ctx) => {
  const r = find(stateOf(ctx), str(input, 'ResourceARN')!);
  return { Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) };
};

/** Tags of a bus or rule for ABAC (aws:ResourceTag/*). */
export function tagsOfArn(stores: Stores, arn: string): Record<string, string> | undefined {
  const a = parseArn(arn);
  if (!a) return undefined;
  const t = lookup(eventsState(stores, a.account, a.region), arn);
  return t ? { ...t.tags } : undefined;
}
