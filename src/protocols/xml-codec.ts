import { createRequire } from 'node:module';
import type { XMLParser as XMLParserType } from 'fast-xml-parser';
import type { Member, ServiceModel, Shape, Traits } from './model.js';
import { mergedTraits, shapeOf, withoutRequired } from './model.js';
import type { Problems } from './values.js';
import {
  checkRequired, formatTimestamp, fromBase64, memberPath, parseBoolean, parseNumber, parseTimestamp, SerdeError, toBuffer,
} from './values.js';

/**
 * XML by shape: writing response bodies for awsQuery, ec2Query and restXml, and reading
 * restXml request bodies. Element names follow `xmlName`; lists and maps are wrapped unless
 * `xmlFlattened`; `xmlAttribute` members become attributes.
 */

export function escapeXml(s: string): string {
  // Most values hold nothing to escape: a test is cheaper than a replace that finds nothing.
  if (!NEEDS_ESCAPE.test(s)) return s;
  // Line breaks are escaped too, as AWS does: parsers drop or normalize them when raw.
  return s.replace(NEEDS_ESCAPE_ALL, escapeChar);
}
const NEEDS_ESCAPE = /[&<>"'\r\n\u0085\u2028]/;
const NEEDS_ESCAPE_ALL = new RegExp(NEEDS_ESCAPE.source, 'g');

function escapeChar(c: string): string {
  switch (c) {
    case '&': return '&amp;';
    case '<': return '&lt;';
    case '>': return '&gt;';
    case '"': return '&quot;';
    case "'": return '&apos;';
    default: return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
  }
}

function nsAttr(t: Traits | undefined): string {
  const ns = t?.xmlNamespace;
  if (!ns) return '';
  return Array.isArray(ns) ? ` xmlns:${ns[0]}="${escapeXml(ns[1])}"` : ` xmlns="${escapeXml(ns)}"`;
}

function scalarText(shape: Shape, v: unknown, traits: Traits): string {
  switch (shape.type) {
    case 'blob': return toBuffer(v).toString('base64');
    case 'timestamp': return String(formatTimestamp(v, traits.timestampFormat ?? 'date-time'));
    case 'number': {
      const n = Number(v);
      return Number.isFinite(n) ? String(n) : n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
    }
    default: return typeof v === 'string' ? v : String(v);
  }
}

/** Writes the members of structure `shapeId` (value `v`) as XML children, without a wrapping element. */
export function writeXmlMembers(model: ServiceModel, shapeId: string, v: Record<string, unknown>): string {
  const shape = shapeOf(model, shapeId);
  return structChildren(model, shape, v);
}

/** Writes one element named `name` holding value `v` of the member `m`. */
export function writeXmlElement(model: ServiceModel, name: string, m: Member, v: unknown): string {
  return element(model, name, m, v);
}

function structChildren(model: ServiceModel, shape: Shape, obj: Record<string, unknown>): string {
  let out = '';
  for (const c of layoutOf(shape).children) {
    const v = obj[c.name];
    if (v !== undefined && v !== null) out += element(model, c.element, c.member, v);
  }
  return out;
}

interface Placed { name: string; member: Member }

/**
 * Where a structure's members go in XML, worked out once per shape (models never change):
 * attributes, and child elements with their element names. httpQuery and httpLabel mean nothing
 * in a response, so those members stay in the body; members bound to headers or the status do not.
 */
function layoutOf(shape: Shape): { attributes: readonly Placed[]; children: readonly (Placed & { element: string })[] } {
  let layout = layouts.get(shape);
  if (layout === undefined) {
    const attributes: Placed[] = [];
    const children: (Placed & { element: string })[] = [];
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const t = member.traits;
      if (t?.xmlAttribute) attributes.push({ name, member });
      else if (!(t && (t.httpHeader || t.httpPrefixHeaders !== undefined || t.httpResponseCode || t.httpPayload))) {
        children.push({ name, member, element: t?.xmlName ?? name });
      }
    }
    layouts.set(shape, (layout = { attributes, children }));
  }
  return layout;
}
const layouts = new WeakMap<Shape, ReturnType<typeof layoutOf>>();

function attributes(model: ServiceModel, shape: Shape, obj: Record<string, unknown>): string {
  let out = '';
  for (const { name, member: m } of layoutOf(shape).attributes) {
    if (obj[name] === undefined || obj[name] === null) continue;
    const t = mergedTraits(model, m);
    out += ` ${t.xmlName ?? name}="${escapeXml(scalarText(shapeOf(model, m.target), obj[name], t))}"`;
  }
  return out;
}

function element(model: ServiceModel, name: string, m: Member, v: unknown): string {
  const shape = shapeOf(model, m.target);
  const traits = mergedTraits(model, m);
  const ns = nsAttr(m.traits ?? shape.traits);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      const obj = v as Record<string, unknown>;
      return `<${name}${ns}${attributes(model, shape, obj)}>${structChildren(model, shape, obj)}</${name}>`;
    }
    case 'list': {
      const list = v as unknown[];
      const mm = shape.member!;
      if (traits.xmlFlattened) {
        const flat: Member = Object.assign({}, mm, { traits: Object.assign({}, mm.traits, { xmlName: name }) });
        return list.map((e) => element(model, name, flat, e)).join('');
      }
      const inner = mm.traits?.xmlName ?? 'member';
      return `<${name}${ns}>${list.map((e) => element(model, inner, mm, e)).join('')}</${name}>`;
    }
    case 'map': {
      const k = shape.key!.traits?.xmlName ?? 'key';
      const val = shape.value!.traits?.xmlName ?? 'value';
      const entries = Object.entries(v as Record<string, unknown>)
        .map(([key, e]) => `${element(model, k, shape.key!, key)}${element(model, val, shape.value!, e)}`);
      if (traits.xmlFlattened) return entries.map((e) => `<${name}>${e}</${name}>`).join('');
      return `<${name}${ns}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${name}>`;
    }
    case 'document':
      return `<${name}>${escapeXml(JSON.stringify(v))}</${name}>`;
    default:
      return `<${name}${ns}>${escapeXml(scalarText(shape, v, traits))}</${name}>`;
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML's own entities and numeric character references (`&#x0A;`, which SDK serializers write
 * for line breaks), decoded in one pass so that `&amp;#x0A;` stays literal text. Entities a
 * DOCTYPE declares are never expanded.
 */
function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return XML_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const entityDecoder = {
  decode: decodeXmlEntities,
  setExternalEntities(): void {},
  addInputEntities(): void {},
  reset(): void {},
  setXmlVersion(): void {},
};

// fast-xml-parser is loaded on the first XML request body: its ESM entry is ~50 files, a
// visible part of start-up, and most requests never carry XML. The CJS build is one file.
let parser: XMLParserType | undefined;
function xmlParser(): XMLParserType {
  if (parser) return parser;
  const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  parser = new XMLParser(PARSER_OPTIONS);
  return parser;
}

const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  entityDecoder,
  ignoreDeclaration: true,
};

/** Parses an XML document into fast-xml-parser's object form; malformed input throws SerdeError. */
export function parseXmlDocument(text: string): Record<string, unknown> {
  try {
    return xmlParser().parse(text, true) as Record<string, unknown>;
  } catch (e) {
    throw new SerdeError('', `malformed XML: ${(e as Error).message}`);
  }
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in (v as object)) return String((v as Record<string, unknown>)['#text']);
  if (v && typeof v === 'object') return '';
  return v === undefined ? '' : String(v);
}

/**
 * Reads an XML element (in parsed form) as shape `shapeId`. `topRequired` false leaves the
 * required check of the top structure to the caller (members bound to the URI or headers
 * are not in the body).
 */
export function readXml(model: ServiceModel, shapeId: string, node: unknown, path: string, problems: Problems, topRequired = true): unknown {
  const shape = shapeOf(model, shapeId);
  return readNode(model, topRequired ? shape : withoutRequired(shape), {}, node, path, problems);
}

function readNode(model: ServiceModel, shape: Shape, traits: Traits, node: unknown, path: string, problems: Problems): unknown {
  switch (shape.type) {
    case 'structure':
    case 'union': {
      const obj = (node && typeof node === 'object' ? node : {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const mt = mergedTraits(model, m);
        // The parser drops namespace prefixes (`xsi:type` arrives as `type`).
        const wire = localName(m.traits?.xmlName ?? name);
        const raw = m.traits?.xmlAttribute ? obj[`@_${wire}`] : obj[wire];
        if (raw === undefined) continue;
        const value = readNode(model, shapeOf(model, m.target), mt, raw, memberPath(path, name), problems);
        if (value !== undefined) out[name] = value;
      }
      if (shape.type === 'structure') checkRequired(shape, out, path, problems);
      return out;
    }
    case 'list': {
      const mm = shape.member!;
      const items = traits.xmlFlattened
        ? asArray(node)
        : asArray((node && typeof node === 'object' ? (node as Record<string, unknown>)[mm.traits?.xmlName ?? 'member'] : undefined));
      const t = shapeOf(model, mm.target);
      const mt = mergedTraits(model, mm);
      return items.map((e, i) => readNode(model, t, mt, e, `${path}.${i + 1}.member`, problems));
    }
    case 'map': {
      const k = shape.key!.traits?.xmlName ?? 'key';
      const val = shape.value!.traits?.xmlName ?? 'value';
      const entries = traits.xmlFlattened ? asArray(node) : asArray((node as Record<string, unknown> | undefined)?.['entry']);
      const t = shapeOf(model, shape.value!.target);
      const out: Record<string, unknown> = {};
      for (const e of entries) {
        const o = (e ?? {}) as Record<string, unknown>;
        const key = textOf(o[k]);
        out[key] = readNode(model, t, mergedTraits(model, shape.value!), o[val], `${path}.${key}.member`, problems);
      }
      return out;
    }
    default:
      return readScalar(shape, textOf(node), path);
  }
}

/** Reads a scalar from its text form (XML text, query values, headers). */
export function readScalar(shape: Shape, text: string, path: string): unknown {
  switch (shape.type) {
    case 'string': return text;
    case 'number': return parseNumber(text, path);
    case 'bigInteger':
    case 'bigDecimal': return String(parseNumber(text, path));
    case 'boolean': return parseBoolean(text, path);
    case 'blob': return fromBase64(text, path);
    case 'timestamp': return parseTimestamp(text, path);
    case 'document':
      try { return JSON.parse(text); } catch { throw new SerdeError(path, `invalid document at '${path}'`); }
    default: throw new SerdeError(path, `unexpected aggregate at '${path}'`);
  }
}
