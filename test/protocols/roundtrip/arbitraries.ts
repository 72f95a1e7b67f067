import fc from 'fast-check';
import type { Member, ServiceModel, Shape, Traits } from '../../../src/protocols/model.js';
import { shapeOf } from '../../../src/protocols/model.js';

/**
 * fast-check arbitraries derived from a service model: valid inputs, outputs and error fields
 * for every shape. Values are what an SDK v3 user passes in or gets back: Dates for
 * timestamps, Uint8Arrays for blobs, plain objects for structures, one-member objects for
 * unions. Where a member travels (URI label, header, query, body) narrows what is valid.
 */

export type Direction = 'request' | 'response';

/** Where a value travels on the wire; a member's binding narrows what the client accepts. */
type Place = 'body' | 'label' | 'greedy' | 'header' | 'query' | 'payload';

/** Members the generator leaves out, because the real client rewrites them (see the test file). */
export type Exclusions = ReadonlySet<string>;

const MAX_DEPTH = 3;
const MAX_ITEMS = 2;

// Characters that stress each codec: XML and JSON escapes, URI and form encoding, non-ASCII.
const BODY_CHARS = ['a', 'Z', '0', ' ', '&', '<', '>', '"', "'", '/', '+', '=', '%', '?', '#', ':', ',', '.', '-', '~', '\n', '\t', 'é', '☃', '😀'];
const HEADER_CHARS = ['a', 'Z', '0', ' ', '&', '<', '"', "'", '/', '+', '=', '%', '?', '#', ':', ',', ';', '.', '-'];
const TOKEN_CHARS = ['a', 'b', 'z', '0', '9', '-'];

const bodyString = fc.string({ unit: fc.constantFrom(...BODY_CHARS), maxLength: 6 });
const nonEmpty = fc.string({ unit: fc.constantFrom(...BODY_CHARS), minLength: 1, maxLength: 6 });
// Header values travel trimmed, so they neither start nor end with a space.
const headerString = fc.string({ unit: fc.constantFrom(...HEADER_CHARS), minLength: 1, maxLength: 6 })
  .filter((s) => s.trim() === s && s !== '');
const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 6 });
// Greedy labels (S3 keys): any non-empty string not starting with '/'.
const greedyString = nonEmpty.filter((s) => !s.startsWith('/'));
const bucketName = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '2'), minLength: 3, maxLength: 8 }).map((s) => `bucket-${s}`);
const integer = fc.integer();
const timestamp = fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => new Date(s * 1000));
const blob = fc.uint8Array({ maxLength: 6 });
const document = fc.dictionary(token, fc.oneof(token, fc.integer(), fc.boolean()), { maxKeys: 2 });

export interface Generator {
  /** Valid input of an operation, as a user would pass it to the command. */
  input(operation: string): fc.Arbitrary<Record<string, unknown>>;
  /** Valid output of an operation, as the client should hand it back. */
  output(operation: string): fc.Arbitrary<Record<string, unknown>>;
  /** Values for the members of an error shape, its message excluded. */
  errorFields(shapeId: string): fc.Arbitrary<Record<string, unknown>>;
}

export function generatorFor(model: ServiceModel, exclusions: Exclusions): Generator {
  const s3 = model.service === 's3';
  const rest = model.protocol.startsWith('rest');
  const cache = new Map<string, fc.Arbitrary<unknown>>();

  function scalar(shape: Shape, place: Place, direction: Direction, traits: Traits): fc.Arbitrary<unknown> {
    switch (shape.type) {
      case 'string':
        if (place === 'label') return nonEmpty;
        if (place === 'greedy') return greedyString;
        if (place === 'header') return traits.hostLabel ? token : headerString;
        // A payload string that is empty cannot be told from an absent one.
        if (place === 'payload' || traits.hostLabel) return place === 'payload' ? nonEmpty : token;
        return bodyString;
      case 'number': return integer;
      case 'bigInteger': case 'bigDecimal': return integer.map(String);
      case 'boolean': return fc.boolean();
      case 'timestamp': return timestamp;
      case 'blob': return place === 'payload' ? blob.filter((b) => b.length > 0) : blob;
      case 'document': return document;
      default: throw new Error(`${model.service}: ${shape.type} is not a scalar`);
    }
    void direction;
  }

  /** A value of the member `m` travelling at `place`. */
  function value(m: Member, place: Place, direction: Direction, depth: number): fc.Arbitrary<unknown> {
    const shape = shapeOf(model, m.target);
    const traits = { ...shape.traits, ...m.traits };
    if (place === 'body' || place === 'payload') {
      if (shape.type === 'structure' || shape.type === 'union') return aggregate(m.target, direction, depth + 1);
    }
    if (shape.type === 'list') {
      const item = value(shape.member!, place === 'payload' ? 'body' : place, direction, depth + 1);
      // Beyond the depth limit lists stay empty so that recursive shapes end.
      return fc.array(item, { maxLength: depth >= MAX_DEPTH ? 0 : MAX_ITEMS, minLength: place === 'header' ? 1 : 0 });
    }
    if (shape.type === 'map') {
      const key = place === 'header' ? token : nonEmpty;
      const v = value(shape.value!, place === 'header' ? 'header' : 'body', direction, depth + 1);
      return fc.dictionary(key, v, { maxKeys: depth >= MAX_DEPTH ? 0 : MAX_ITEMS, minKeys: 0 });
    }
    return scalar(shape, place, direction, traits);
  }

  /** A structure or union used inside a body: members by name, required ones always present. */
  function aggregate(shapeId: string, direction: Direction, depth: number): fc.Arbitrary<unknown> {
    const key = `${shapeId}|${direction}|${Math.min(depth, MAX_DEPTH + 1)}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const shape = shapeOf(model, shapeId);
    const members = Object.entries(shape.members ?? {});
    let arb: fc.Arbitrary<unknown>;
    if (shape.type === 'union') {
      const options = members.map(([name, m]) => value(m, 'body', direction, depth).map((v) => ({ [name]: v })));
      arb = options.length ? fc.oneof(...(depth > MAX_DEPTH ? options.slice(0, 1) : options)) : fc.constant({});
    } else {
      const required = new Set(shape.required ?? []);
      const chosen = members.filter(([name]) => required.has(name) || depth <= MAX_DEPTH);
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, m] of chosen) fields[name] = value(m, 'body', direction, depth);
      arb = fc.record(fields, { requiredKeys: chosen.map(([n]) => n).filter((n) => required.has(n)) });
    }
    cache.set(key, arb);
    return arb;
  }

  /** The top-level input or output structure, with each member placed by its HTTP binding. */
  function top(shapeId: string, direction: Direction, skipMembers: ReadonlySet<string>): fc.Arbitrary<Record<string, unknown>> {
    const shape = shapeOf(model, shapeId);
    const required = new Set(shape.required ?? []);
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      if (skipMembers.has(name) || exclusions.has(`${shapeId}.${name}`) || exclusions.has(`*.${name}`)) continue;
      const t = m.traits ?? {};
      if (rest && t.httpResponseCode) { fields[name] = fc.constantFrom(200, 201, 202); continue; }
      if (s3 && name === 'Bucket' && t.httpLabel) { fields[name] = bucketName; continue; }
      let place: Place = 'body';
      if (rest) {
        if (t.httpLabel) place = isGreedy(shapeId, name) ? 'greedy' : 'label';
        else if (t.httpHeader) place = 'header';
        else if (t.httpQuery) place = 'query';
        else if (t.httpPayload) place = 'payload';
        else if (t.httpPrefixHeaders !== undefined) { fields[name] = prefixHeaders(); continue; }
      }
      fields[name] = value(m, place, direction, 0);
    }
    const requiredKeys = Object.keys(fields).filter((n) => required.has(n) || isLabel(shape, n));
    return fc.record(fields, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
  }

  function isLabel(shape: Shape, name: string): boolean {
    return rest && !!shape.members?.[name]?.traits?.httpLabel;
  }

  const greedyCache = new Map<string, boolean>();
  function isGreedy(shapeId: string, member: string): boolean {
    const k = `${shapeId}.${member}`;
    if (!greedyCache.has(k)) {
      const uris = Object.values(model.operations).filter((o) => o.input === shapeId).map((o) => o.traits?.http?.[1] ?? '');
      greedyCache.set(k, uris.some((u) => u.includes(`{${member}+}`)));
    }
    return greedyCache.get(k)!;
  }

  function prefixHeaders(): fc.Arbitrary<unknown> {
    return fc.dictionary(token, headerString, { maxKeys: MAX_ITEMS });
  }

  return {
    input(operation) {
      const op = model.operations[operation]!;
      return top(op.input, 'request', new Set());
    },
    output(operation) {
      const op = model.operations[operation]!;
      return top(op.output, 'response', new Set());
    },
    errorFields(shapeId) {
      const names = Object.keys(shapeOf(model, shapeId).members ?? {});
      return top(shapeId, 'response', new Set(names.filter((n) => n.toLowerCase() === 'message')));
    },
  };
}
