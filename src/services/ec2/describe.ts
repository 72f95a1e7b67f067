/**
 * The one Describe helper: ids, `Filters` (`Name`/`Values`, `*` and `?` wildcards, `tag:Key`,
 * `tag-key`, `tag-value`), and `MaxResults`/`NextToken` paging, applied the same way to
 * every resource type. A resource type declares only its filter fields.
 */
import { AwsError } from '../../core/errors.js';
import { invalidParam } from './errors.js';
import type { Tag } from './store.js';

/** A filter field: the values of a resource that a filter's values are matched against. */
export type FieldFn<T> = (r: T) => string | number | boolean | undefined | (string | undefined)[];

export interface DescribeSpec<T> {
  items: Iterable<T>;
  idOf(r: T): string;
  tagsOf(r: T): Tag[];
  fields: Record<string, FieldFn<T>>;
  /** The error for ids asked for but missing (EC2 names the first, or all, missing ids). */
  notFound(ids: string[]): AwsError;
  ids?: unknown;
  filters?: unknown;
  maxResults?: unknown;
  nextToken?: unknown;
  /** Allowed MaxResults range; EC2 uses 5..1000 for most calls. */
  maxRange?: [number, number];
}

export interface DescribePage<T> {
  items: T[];
  nextToken?: string;
}

/** Compiles an EC2 filter value (`*` any run, `?` one character) into a matcher. */
function matcher(value: string): (s: string) => boolean {
  if (!/[*?]/.test(value)) return (s) => s === value;
  const re = new RegExp(`^${value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return (s) => re.test(s);
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function valuesOf<T>(spec: DescribeSpec<T>, name: string, r: T): string[] | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return spec.tagsOf(r).filter((t) => t.Key === key).map((t) => t.Value);
  }
  if (name === 'tag-key') return spec.tagsOf(r).map((t) => t.Key);
  if (name === 'tag-value') return spec.tagsOf(r).map((t) => t.Value);
  const f = spec.fields[name];
  if (f === undefined) return undefined;
  const v = f(r);
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x) => x !== undefined).map(String);
}

/** Applies ids, filters and paging; throws EC2's errors for unknown filters and bad paging. */
export function describe<T>(spec: DescribeSpec<T>): DescribePage<T> {
  const ids = asList(spec.ids);
  let items = [...spec.items];
  if (ids.length > 0) {
    const have = new Map(items.map((r) => [spec.idOf(r), r]));
    const missing = ids.filter((id) => !have.has(id));
    if (missing.length > 0) throw spec.notFound(missing);
    items = [...new Set(ids)].map((id) => have.get(id)!);
  }
  const filters = Array.isArray(spec.filters) ? (spec.filters as { Name?: string; Values?: string[] }[]) : [];
  for (const f of filters) {
    const name = f.Name ?? '';
    if (!name.startsWith('tag:') && name !== 'tag-key' && name !== 'tag-value' && spec.fields[name] === undefined) {
      throw invalidParam(`The filter '${name}' is invalid`);
    }
    const tests = asList(f.Values).map(matcher);
    items = items.filter((r) => valuesOf(spec, name, r)!.some((v) => tests.some((t) => t(v))));
  }
  return page(items, spec);
}

function page<T>(items: T[], spec: DescribeSpec<T>): DescribePage<T> {
  if (spec.maxResults === undefined && spec.nextToken === undefined) return { items };
  if (spec.maxResults !== undefined && asList(spec.ids).length > 0) {
    throw new AwsError('InvalidParameterCombination', 'The parameter ids cannot be used with the parameter maxResults', 400);
  }
  const [lo, hi] = spec.maxRange ?? [5, 1000];
  const max = spec.maxResults === undefined ? hi : Number(spec.maxResults);
  if (!Number.isInteger(max) || max < lo || max > hi) {
    throw invalidParam(`Value ( ${String(spec.maxResults)} ) for parameter maxResults is invalid. Expecting a value between ${lo} and ${hi}.`);
  }
  let start = 0;
  if (spec.nextToken !== undefined) {
    const decoded = decodeToken(String(spec.nextToken));
    if (decoded === undefined) throw invalidParam(`Invalid token (${String(spec.nextToken)})`);
    start = decoded;
  }
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? encodeToken(start + max) : undefined;
  return { items: slice, ...(next !== undefined ? { nextToken: next } : {}) };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Standard "not found" for describe: EC2 names the missing ids, comma-separated. */
export function missingIds(make: (id: string) => AwsError): (ids: string[]) => AwsError {
  return (ids) => make(ids.join(', '));
}
