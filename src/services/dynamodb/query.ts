/**
 * Query and Scan over a table or a secondary index: key conditions, filters, projections,
 * Select, Limit (items evaluated), 1 MB pages with LastEvaluatedKey, descending order and
 * parallel scan segments.
 */
import {
  analyzeKeyCondition, checkItem, evaluate, keyToken, project, typeOf, type Item, type KeyCondition, type Path,
} from '../../engines/dynamodb/index.js';
import { decodeItem, encodedSize } from '../../engines/dynamodb/codec.js';
import { encodedOf, hashOrder, type KeyIndex } from '../../engines/dynamodb/key-index.js';
import type { Handler, ServiceContext } from '../types.js';
import { requireTable } from './context.js';
import { constraint, engineCall, validation } from './errors.js';
import { consumed, readExpressions, readUnits } from './expressions.js';
import { legacyCondition } from './legacy.js';
import { hashKeyOf, rangeKeyOf, tableRuntime, type IndexRecord, type KeySchemaElement, type TableRecord } from './store.js';
import { throttle } from './throughput.js';

const PAGE_BYTES = 1024 * 1024;

interface Source { t: TableRecord; index?: IndexRecord; keys: KeyIndex; schema: KeySchemaElement[] }

function sourceOf(ctx: ServiceContext, input: Record<string, unknown>): Source {
  const t = requireTable(ctx, input['TableName']);
  const rt = tableRuntime(ctx.stores, t);
  const name = input['IndexName'] as string | undefined;
  if (name === undefined) return { t, keys: rt.primary, schema: t.keySchema };
  const index = [...t.lsis, ...t.gsis].find((i) => i.name === name);
  if (!index) throw validation(`The table does not have the specified index: ${name}`);
  if (input['ConsistentRead'] === true && t.gsis.includes(index)) throw validation('Consistent reads are not supported on global secondary indexes');
  return { t, index, keys: rt.indexes.get(name)!, schema: index.keySchema };
}

/** Attributes an index holds: table keys, index keys and the projection's. */
function indexAttributes(s: Source): Path[] | undefined {
  const p = s.index?.projection;
  if (!s.index || !p || p.ProjectionType === 'ALL') return undefined;
  const names = new Set([...s.t.keySchema, ...s.index.keySchema].map((k) => k.AttributeName));
  for (const n of p.NonKeyAttributes ?? []) names.add(n);
  return [...names].map((n) => [n]);
}

function selectOf(input: Record<string, unknown>, s: Source, projection: Path[] | undefined): string {
  const select = (input['Select'] as string | undefined) ?? (projection ? 'SPECIFIC_ATTRIBUTES' : s.index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  if (projection && select !== 'SPECIFIC_ATTRIBUTES') {
    throw validation(`One or more parameter values were invalid: Select type ${select} is not compatible with ProjectionExpression or AttributesToGet`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !s.index) throw validation('One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is supported only for index queries');
  if (select === 'ALL_ATTRIBUTES' && s.index && s.t.gsis.includes(s.index) && indexAttributes(s)) {
    throw validation(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${s.index.name} because its projection type is not ALL`);
  }
  return select;
}

/** The key an ExclusiveStartKey names, checked against the table's (and index's) keys. */
function startKey(s: Source, esk: Item | undefined): Item | undefined {
  if (!esk) return undefined;
  engineCall(() => checkItem(esk));
  const needed = new Set([...s.t.keySchema, ...s.schema].map((k) => k.AttributeName));
  const types = new Map(s.t.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  if (Object.keys(esk).length !== needed.size || [...needed].some((n) => esk[n] === undefined || typeOf(esk[n]!) !== types.get(n))) {
    throw validation('The provided starting key is invalid: The provided key element does not match the schema');
  }
  return esk;
}

interface Walk { items: Item[]; scanned: number; bytes: number; last?: Item }

/**
 * Walks partitions (by token) in order after `start`, inside each the span meeting the sort
 * key condition, stopping at Limit or once 1 MB has been read. Items are decoded as they are
 * taken; sizes come from the stored header.
 */
function walk(s: Source, tokens: string[], start: Item | undefined, forward: boolean, limit: number | undefined,
  range?: KeyCondition['range']): Walk {
  const out: Walk = { items: [], scanned: 0, bytes: 0 };
  const hashKey = hashKeyOf(s.schema);
  let first = 0;
  const startToken = start && keyToken(start[hashKey]!);
  if (startToken !== undefined) {
    // The start's partition may be gone: resume at the first partition not before it.
    const order = hashOrder(startToken);
    first = tokens.findIndex((t) => { const o = hashOrder(t); return o > order || (o === order && t >= startToken); });
    if (first < 0) return out;
  }
  for (let pi = first; pi < tokens.length; pi++) {
    const items = s.keys.partition(tokens[pi]!)?.items ?? [];
    let [from, to] = s.keys.span(items, range);
    if (start && pi === first && tokens[pi] === startToken) {
      const at = s.keys.after(items, start, !forward);
      if (forward) from = Math.max(from, at);
      else to = Math.min(to, at + 1);
    }
    const step = forward ? 1 : -1;
    for (let i = forward ? from : to - 1; forward ? i < to : i >= from; i += step) {
      const enc = encodedOf(items[i]!);
      const item = decodeItem(enc);
      out.scanned++;
      out.bytes += encodedSize(enc);
      out.items.push(item);
      if ((limit !== undefined && out.scanned >= limit) || out.bytes >= PAGE_BYTES) {
        const more = forward ? i + 1 < to || pi + 1 < tokens.length : i > from || pi + 1 < tokens.length;
        if (more || limit !== undefined) out.last = item;
        return out;
      }
    }
  }
  return out;
}

function lastKey(s: Source, item: Item): Item {
  const out: Item = {};
  for (const k of [...s.t.keySchema, ...s.schema]) out[k.AttributeName] = item[k.AttributeName]!;
  return out;
}

function respond(ctx: ServiceContext, input: Record<string, unknown>, s: Source, w: Walk, select: string, filter: ReturnType<typeof readExpressions>): Record<string, unknown> {
  const matched = filter.filter ? w.items.filter((i) => engineCall(() => evaluate(filter.filter!, i, 'FilterExpression'))) : w.items;
  const indexPaths = indexAttributes(s);
  const shape = (i: Item) => {
    const base = indexPaths && select !== 'ALL_ATTRIBUTES' ? project(i, indexPaths) : i;
    return filter.projection ? project(base, filter.projection) : base;
  };
  const units = readUnits(w.bytes, input['ConsistentRead'] === true);
  // Built member by member (no spread copies): this runs for every page.
  const out: Record<string, unknown> = {};
  if (select !== 'COUNT') out['Items'] = indexPaths || filter.projection ? matched.map(shape) : matched;
  out['Count'] = matched.length;
  out['ScannedCount'] = w.scanned;
  if (w.last) out['LastEvaluatedKey'] = lastKey(s, w.last);
  const capacity = consumed(ctx, input, s.t, units, 'read')['ConsumedCapacity'];
  if (capacity !== undefined) out['ConsumedCapacity'] = capacity;
  return out;
}

function checkLimit(input: Record<string, unknown>): number | undefined {
  const limit = input['Limit'] as number | undefined;
  if (limit !== undefined && limit < 1) throw constraint(limit, 'limit', 'have value greater than or equal to 1');
  return limit;
}

export const query: Handler = (input, ctx) => {
  const s = sourceOf(ctx, input);
  const limit = checkLimit(input);
  const ex = readExpressions(input, ['keyCondition', 'filter', 'projection']);
  const keyCond = ex.keyCondition ?? (input['KeyConditions'] ? legacyCondition(input['KeyConditions'] as never) : undefined);
  if (!keyCond) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const types = new Map(s.t.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  const hk = hashKeyOf(s.schema);
  const rk = rangeKeyOf(s.schema);
  const kc = engineCall(() => analyzeKeyCondition(keyCond, { hashKey: hk, hashType: types.get(hk)!, rangeKey: rk, rangeType: rk && types.get(rk) }));
  const select = selectOf(input, s, ex.projection);
  const start = startKey(s, input['ExclusiveStartKey'] as Item | undefined);
  const token = keyToken(kc.hash);
  if (start && keyToken(start[hk]!) !== token) throw validation('The provided starting key is outside query boundaries based on provided conditions');
  const forward = input['ScanIndexForward'] !== false;
  const w = walk(s, s.keys.partition(token) ? [token] : [], start, forward, limit, kc.range);
  throttle(ctx, s.t, 'read', readUnits(w.bytes, input['ConsistentRead'] === true));
  return respond(ctx, input, s, w, select, ex);
};

export const scan: Handler = (input, ctx) => {
  const s = sourceOf(ctx, input);
  const limit = checkLimit(input);
  const ex = readExpressions(input, ['filter', 'projection']);
  const select = selectOf(input, s, ex.projection);
  const start = startKey(s, input['ExclusiveStartKey'] as Item | undefined);
  let tokens = s.keys.scanOrder();
  const seg = input['Segment'] as number | undefined;
  const total = input['TotalSegments'] as number | undefined;
  if (seg !== undefined || total !== undefined) {
    if (total === undefined) throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    if (seg === undefined) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    if (total < 1 || total > 1_000_000) throw constraint(total, 'totalSegments', total < 1 ? 'have value greater than or equal to 1' : 'have value less than or equal to 1000000');
    if (seg < 0) throw constraint(seg, 'segment', 'have value greater than or equal to 0');
    if (seg >= total) throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${seg} is not less than TotalSegments: ${total}`);
    // Segments split the 32-bit partition hash space evenly, as AWS splits its key space.
    tokens = tokens.filter((p) => Math.floor((hashOrder(p) * total) / 2 ** 32) === seg);
  }
  const w = walk(s, tokens, start, true, limit);
  throttle(ctx, s.t, 'read', readUnits(w.bytes, input['ConsistentRead'] === true));
  return respond(ctx, input, s, w, select, ex);
};
