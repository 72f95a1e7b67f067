import type { Member, ProtocolName, ServiceModel } from '../../../src/protocols/model.js';
import { mergedTraits, shapeOf } from '../../../src/protocols/model.js';

/**
 * What a protocol's wire cannot carry, as AWS's protocols define them (and the SDK v3
 * serializers implement them): an empty collection or structure that leaves no trace on the
 * wire arrives as an absent member. The generator keeps such values out of required members
 * (the client could not send them either); the comparison expects them absent elsewhere.
 */

export type Direction = 'request' | 'response';

/** Where a value travels: inside a body, or bound to the HTTP message at the top level. */
export type Place = 'body' | 'label' | 'greedy' | 'header' | 'prefix-headers' | 'query' | 'query-params' | 'payload';

export interface WireContext { protocol: ProtocolName; direction: Direction }

const XML_PROTOCOLS = new Set<ProtocolName>(['restXml', 'awsQuery', 'ec2Query']);

/** Whether an empty value of `kind` at `place` vanishes on the wire. */
export function emptyVanishes(
  kind: 'list' | 'map' | 'structure', place: Place, flattened: boolean, ctx: WireContext,
): boolean {
  // Bound to the query string or headers, nothing marks an empty collection.
  if (place === 'query' || place === 'query-params' || place === 'header' || place === 'prefix-headers') return true;
  // A payload structure with no members is sent as an empty body, the same as none.
  if (place === 'payload') return kind === 'structure';
  const query = ctx.protocol === 'awsQuery' || ctx.protocol === 'ec2Query';
  if (ctx.direction === 'request' && query) {
    // Query parameters name leaves only; EC2 does not even send `List=` for an empty list.
    return kind !== 'list' || ctx.protocol === 'ec2Query';
  }
  // Flattened XML collections have no wrapping element that could stand empty.
  return XML_PROTOCOLS.has(ctx.protocol) && flattened && kind !== 'structure';
}

/** The place of a top-level member, from its HTTP binding (REST protocols only). */
export function placeOf(model: ServiceModel, member: Member, greedy: boolean): Place {
  if (!model.protocol.startsWith('rest')) return 'body';
  const t = member.traits ?? {};
  if (t.httpLabel) return greedy ? 'greedy' : 'label';
  if (t.httpHeader) return 'header';
  if (t.httpPrefixHeaders !== undefined) return 'prefix-headers';
  if (t.httpQuery) return 'query';
  if (t.httpQueryParams) return 'query-params';
  if (t.httpPayload) return 'payload';
  return 'body';
}

/**
 * The value as it should arrive on the other side: members whose empty value vanishes on the
 * wire dropped, recursively. `place` is that of the value itself; `kept` marks list elements
 * and map values, which the generator never leaves empty where that would vanish.
 */
export function asCarried(model: ServiceModel, member: Member, value: unknown, place: Place, ctx: WireContext, kept = false): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(model, member.target);
  const flattened = !!mergedTraits(model, member).xmlFlattened;
  const inner: Place = place === 'payload' ? 'body' : place;
  switch (shape.type) {
    case 'list': {
      // Elements keep their slot: the generator never makes an element that would vanish.
      const list = (value as unknown[]).map((e) => asCarried(model, shape.member!, e, inner, ctx, true));
      return list.length === 0 && !kept && emptyVanishes('list', place, flattened, ctx) ? undefined : list;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(value as Record<string, unknown>)) out[k] = asCarried(model, shape.value!, e, inner, ctx, true);
      return Object.keys(out).length === 0 && !kept && emptyVanishes('map', place, flattened, ctx) ? undefined : out;
    }
    case 'structure':
    case 'union': {
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const v = asCarried(model, m, (value as Record<string, unknown>)[name], inner, ctx);
        if (v !== undefined) out[name] = v;
      }
      return Object.keys(out).length === 0 && !kept && emptyVanishes('structure', place, false, ctx) ? undefined : out;
    }
    default:
      // An empty payload blob or string is an empty body, the same as none.
      if (place === 'payload' && (typeof value === 'string' || value instanceof Uint8Array) && value.length === 0) return undefined;
      return value;
  }
}
