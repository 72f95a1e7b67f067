import fc from 'fast-check';
import type { Member, ServiceModel, Shape, Traits } from '../../../src/protocols/model.js';
import { mergedTraits, shapeOf } from '../../../src/protocols/model.js';
import { emptyVanishes, placeOf, type Direction, type Place, type WireContext } from './wire-limits.js';

/**
 * fast-check arbitraries derived from a service model: valid inputs, outputs and error fields
 * for every shape. Values are what an SDK v3 user passes in or gets back: Dates for
 * timestamps, Uint8Arrays for blobs, plain objects for structures, one-member objects for
 * unions. Where a member travels (URI label, header, query, body) narrows what is valid.
 */

const MAX_DEPTH = 3;
const MAX_ITEMS = 2;

// Characters that stress each codec: XML and JSON escapes, URI and form encoding, non-ASCII.
const BODY_CHARS = ['a', 'Z', '0', ' ', '&', '<', '>', '"', "'", '/', '+', '=', '%', '?', '#', ':', ',', '.', '-', '~', '\n', '\r', '\t', 'é', '☃', '😀'];
const HEADER_CHARS = ['a', 'Z', '0', ' ', '&', '<', '"', "'", '/', '+', '=', '%', '?', '#', ':', ',', ';', '.', '-', '\\'];
const TOKEN_CHARS = ['a', 'b', 'z', '0', '9', '-'];

const bodyString = fc.string({ unit: fc.constantFrom(...BODY_CHARS), maxLength: 6 });
const nonEmptyString = fc.string({ unit: fc.constantFrom(...BODY_CHARS), minLength: 1, maxLength: 6 });
// The SDK's XML parser reads whitespace-only text holding a line break as '' (any encoding).
const xmlReadable = (s: string): boolean => !(s.trim() === '' && /[\r\n]/.test(s));
// Header values travel trimmed, so they neither start nor end with a space.
const headerString = fc.string({ unit: fc.constantFrom(...HEADER_CHARS), minLength: 1, maxLength: 6 }).filter((s) => s.trim() === s);
const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 6 });
const hostLabelString = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,4}[a-z0-9])?$/);
// S3 keys: any non-empty string not starting with '/'.
const greedyString = nonEmptyString.filter((s) => !s.startsWith('/'));
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

/** `exclusions` names members (`Shape.member` or `*.member`) the generator leaves out. */
export function generatorFor(model: ServiceModel, exclusions: ReadonlySet<string>): Generator {
  const rest = model.protocol.startsWith('rest');
  const xml = ['restXml', 'awsQuery', 'ec2Query'].includes(model.protocol);
  const cache = new Map<string, fc.Arbitrary<unknown>>();

  function scalar(shape: Shape, place: Place, ctx: WireContext, traits: Traits): fc.Arbitrary<unknown> {
    switch (shape.type) {
      case 'string': {
        if (traits.hostLabel) return hostLabelString;
        // The SDK writes line breaks raw in XML attributes, where XML parsers normalize them.
        if (traits.xmlAttribute) return headerString;
        if (place === 'label') return nonEmptyString;
        if (place === 'greedy') return greedyString;
        if (place === 'header' || place === 'prefix-headers') return headerString;
        // An empty payload string cannot be told from an absent one.
        const s = place === 'payload' ? nonEmptyString : bodyString;
        return xml && ctx.direction === 'response' ? s.filter(xmlReadable) : s;
      }
      case 'number': return integer;
      case 'bigInteger': case 'bigDecimal': return integer.map(String);
      case 'boolean': return fc.boolean();
      case 'timestamp': return timestamp;
      case 'blob': return place === 'payload' ? blob.filter((b) => b.length > 0) : blob;
      case 'document': return document;
      default: throw new Error(`${model.service}: ${shape.type} is not a scalar`);
    }
  }

  /**
   * A value of member `m` at `place`. `mustCarry` marks required members, list elements and
   * map values: where the wire drops empty values those are never empty.
   */
  function value(m: Member, place: Place, ctx: WireContext, depth: number, mustCarry: boolean): fc.Arbitrary<unknown> {
    const shape = shapeOf(model, m.target);
    const traits = mergedTraits(model, m);
    if (shape.type !== 'structure' && shape.type !== 'union' && shape.type !== 'list' && shape.type !== 'map') {
      return scalar(shape, place, ctx, traits);
    }
    const kind = shape.type === 'union' ? 'structure' : shape.type;
    const nonEmpty = mustCarry && emptyVanishes(kind, place, !!traits.xmlFlattened, ctx);
    const inner: Place = place === 'payload' ? 'body' : place === 'prefix-headers' ? 'header' : place;
    // Beyond the depth limit collections stay empty (unless they must not) so that recursive shapes end.
    const size = { minLength: nonEmpty ? 1 : 0, maxLength: Math.max(nonEmpty ? 1 : 0, depth >= MAX_DEPTH ? 0 : MAX_ITEMS) };
    if (shape.type === 'list') return fc.array(value(shape.member!, inner, ctx, depth + 1, true), size);
    if (shape.type === 'map') {
      const key = place === 'prefix-headers' ? token : xml && ctx.direction === 'response' ? nonEmptyString.filter(xmlReadable) : nonEmptyString;
      return fc.dictionary(key, value(shape.value!, inner, ctx, depth + 1, true), { minKeys: size.minLength, maxKeys: size.maxLength });
    }
    return aggregate(m.target, ctx, depth + 1, nonEmpty);
  }

  /**
   * A structure or union inside a body: members by name, required ones always present.
   * `nonEmpty` keeps one member present (and itself carried) where an empty one would vanish.
   */
  function aggregate(shapeId: string, ctx: WireContext, depth: number, nonEmpty: boolean): fc.Arbitrary<unknown> {
    const key = `${shapeId}|${ctx.direction}|${Math.min(depth, MAX_DEPTH + 1)}|${nonEmpty}`;
    const hit = cache.get(key);
    if (hit) return hit;
    if (depth > MAX_DEPTH + 4) throw new Error(`${model.service}: ${shapeId} recurses through required members`);
    const shape = shapeOf(model, shapeId);
    const members = Object.entries(shape.members ?? {});
    let arb: fc.Arbitrary<unknown>;
    if (shape.type === 'union') {
      // Past the depth limit a union takes a member that ends the recursion (a scalar or a list).
      const ends = members.filter(([, m]) => !['structure', 'union', 'map'].includes(shapeOf(model, m.target).type));
      const usable = depth > MAX_DEPTH && ends.length ? ends.slice(0, 1) : members;
      const options = usable.map(([name, m]) => value(m, 'body', ctx, depth, true).map((v) => ({ [name]: v })));
      arb = options.length ? fc.oneof(...options) : fc.constant({});
    } else {
      const required = new Set(shape.required ?? []);
      if (nonEmpty && required.size === 0 && members.length) {
        const scalarMember = members.find(([, m]) => !['structure', 'union', 'list', 'map'].includes(shapeOf(model, m.target).type));
        required.add((scalarMember ?? members[0]!)[0]);
      }
      const chosen = members.filter(([name]) => required.has(name) || depth <= MAX_DEPTH);
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, m] of chosen) fields[name] = value(m, 'body', ctx, depth, required.has(name));
      arb = fc.record(fields, { requiredKeys: chosen.map(([n]) => n).filter((n) => required.has(n)) });
    }
    cache.set(key, arb);
    return arb;
  }

  /** The top-level input, output or error structure, each member placed by its HTTP binding. */
  function top(shapeId: string, direction: Direction, skip: (name: string) => boolean): fc.Arbitrary<Record<string, unknown>> {
    const ctx: WireContext = { protocol: model.protocol, direction };
    const shape = shapeOf(model, shapeId);
    const required = new Set(shape.required ?? []);
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    const always: string[] = [];
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      if (skip(name) || exclusions.has(`${shapeId}.${name}`) || exclusions.has(`*.${name}`)) continue;
      const t = m.traits ?? {};
      const place = placeOf(model, m, isGreedy(shapeId, name));
      const target = shapeOf(model, m.target).type;
      if (place === 'label' || required.has(name)) always.push(name);
      if (rest && t.httpResponseCode) {
        // The client always reports the status code, so a response always has one.
        fields[name] = fc.constantFrom(200, 201, 202);
        always.push(name);
      } else if (model.service === 's3' && name === 'Bucket' && t.httpLabel) {
        fields[name] = bucketName;
      } else {
        fields[name] = value(m, place, ctx, 0, required.has(name));
        // A response payload structure is always sent: S3's client takes an empty body for an abort.
        if (direction === 'response' && place === 'payload' && target === 'structure') always.push(name);
      }
    }
    return fc.record(fields, { requiredKeys: [...new Set(always)] }) as fc.Arbitrary<Record<string, unknown>>;
  }

  // `Shape.member` of every label that is greedy (`{Key+}`) in some URI template.
  const greedy = new Set<string>();
  for (const op of Object.values(model.operations)) {
    for (const m of (op.traits?.http?.[1] ?? '').matchAll(/\{([^}]+)\+\}/g)) greedy.add(`${op.input}.${m[1]}`);
  }
  const isGreedy = (shapeId: string, member: string): boolean => greedy.has(`${shapeId}.${member}`);

  return {
    input: (operation) => top(model.operations[operation]!.input, 'request', () => false),
    output: (operation) => top(model.operations[operation]!.output, 'response', () => false),
    errorFields: (shapeId) => top(shapeId, 'response', (n) => n.toLowerCase() === 'message'),
  };
}
