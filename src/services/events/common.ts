/** Small pieces every EventBridge handler uses: the caller's state, bus names, paging, tags. */
import { parseArn } from '../../core/ids.js';
import type { ServiceContext } from '../types.js';
import { busNotFound, validation } from './errors.js';
import { eventsState, type EventsState } from './store.js';

export type In = Record<string, unknown>;

export function stateOf(ctx: ServiceContext): EventsState {
  return eventsState(ctx.stores, ctx.account, ctx.region, ctx.clock.nowMs());
}

export function str(input: In, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The bus a call names (a name or an ARN; `default` when omitted), which must exist in the
 * caller's account and region.
 */
export function busName(s: EventsState, given: string | undefined): string {
  let name = given ?? 'default';
  if (name.startsWith('arn:')) {
    const a = parseArn(name);
    const n = a?.resource.startsWith('event-bus/') ? a.resource.slice('event-bus/'.length) : undefined;
    if (!a || n === undefined) throw validation(`Parameter ${name} is not valid. Reason: Provided Arn is not in correct format.`);
    if (a.account !== s.account || a.region !== s.region) throw busNotFound(n);
    name = n;
  }
  if (!s.buses.has(name)) throw busNotFound(name);
  return name;
}

/** One page of `items` and the token for the next (an opaque offset, as AWS's are opaque). */
export function page<T>(items: T[], input: In, limitKey = 'Limit'): { items: T[]; next?: string } {
  const token = str(input, 'NextToken');
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8').replace(/^o:/, '')) || 0 : 0;
  const limit = typeof input[limitKey] === 'number' && (input[limitKey] as number) > 0 ? (input[limitKey] as number) : 100;
  const end = start + limit;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(`o:${end}`).toString('base64') : undefined };
}

/** `[{Key, Value}]` → record. */
export function tagsFrom(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(list)) for (const t of list as In[]) if (typeof t['Key'] === 'string') out[t['Key']] = String(t['Value'] ?? '');
  return out;
}

export function withDefined(o: In): In {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
