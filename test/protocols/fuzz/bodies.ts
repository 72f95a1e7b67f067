// Malformed request bodies, by format: JSON (truncated, wrong types, bad UTF-8, deep nesting),
// XML (entities, deep nesting, broken structure), form-encoded query parameters (bad escapes,
// raw bytes) and S3's aws-chunked framing.

import type { ServiceModel } from '../../../src/protocols/model.js';
import type { Pick } from './pick.js';
import { JUNK_KEYS, junkScalar } from './pick.js';
import type { JsonOpts } from './values.js';
import { deepJson, deepSteps, deepXml, findCycle, jsonText, shapedJson } from './values.js';

const INVALID_UTF8: readonly number[][] = [[0xff], [0xc3, 0x28], [0xe0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80], [0xfe, 0xfe, 0xff, 0xff]];

export function invalidUtf8(p: Pick): Buffer {
  return Buffer.from(p.one(INVALID_UTF8));
}

/** Cuts a body somewhere inside (never empty, never whole). */
function truncate(p: Pick, b: Buffer): Buffer {
  if (b.length < 2) return b;
  return b.subarray(0, p.int(1, b.length - 1));
}

/** Splices invalid UTF-8 bytes into a body at a random position. */
function spliceBytes(p: Pick, b: Buffer): Buffer {
  const at = p.int(0, b.length);
  return Buffer.concat([b.subarray(0, at), invalidUtf8(p), b.subarray(at)]);
}

const BROKEN_JSON: readonly string[] = [
  '{', '}', '[', '[]', '"s"', '1', 'null', 'true', '{"a":}', '{,}', "{'a':1}", 'NaN', '\uFEFF{}', '{}garbage', '{} {}',
  '{"a":1,}', '{"a" 1}', '{"a":"\\x41"}', '{"a":"\\ud800"}', '{"a":"\\u12"}', '{"a":01}', '{"a":.5}', '{"a":+1}',
  '{"a":Infinity}', '{"a":undefined}', '/* c */{}', '{"a":1}\u0000', '\u0000', ' ', '\t\n', '{"__proto__":{"polluted":1}}',
  '{"a":1,"a":"dup"}',
];

/** A JSON body for input shape `shapeId` (or none), malformed in one of many ways. */
export function jsonBody(p: Pick, model: ServiceModel, shapeId: string | undefined, o: JsonOpts): Buffer {
  const shaped = (): Buffer => Buffer.from(jsonText(shapeId ? shapedJson(p, model, shapeId, o) : p.json()), 'utf8');
  return p.weighted<Buffer>([
    [8, shaped],
    [2, () => truncate(p, shaped())],
    [1, () => Buffer.alloc(0)],
    [1, () => p.bytes(64)],
    [2, () => Buffer.from(p.one(BROKEN_JSON), 'utf8')],
    [1, () => spliceBytes(p, shaped())],
    [1, () => Buffer.concat([Buffer.from('{"a":"'), invalidUtf8(p), Buffer.from('"}')])],
    [1, () => Buffer.from(shapedDeepJson(p, model, shapeId, o), 'utf8')],
    [1, () => Buffer.from(genericDeep(p, 'json'), 'utf8')],
    [1, () => Buffer.from(jsonText(shapeId ? shapedJson(p, model, shapeId, o) : {}), 'utf16le')],
  ]);
}

const DEPTHS = [50, 200, 1000, 5000, 20_000, 100_000];

function shapedDeepJson(p: Pick, model: ServiceModel, shapeId: string | undefined, o: JsonOpts): string {
  const c = shapeId ? findCycle(model, shapeId, o.rest) : null;
  if (!c) return genericDeep(p, 'json');
  return deepJson(deepSteps(c, p.one(DEPTHS)), o.jsonName);
}

function genericDeep(p: Pick, kind: 'json' | 'xml'): string {
  const n = p.one(DEPTHS);
  if (kind === 'xml') return '<a>'.repeat(n) + '</a>'.repeat(n);
  return p.weighted<string>([
    [1, () => '['.repeat(n) + ']'.repeat(n)],
    [1, () => '{"a":'.repeat(n) + '1' + '}'.repeat(n)],
    [1, () => '['.repeat(n)],
  ]);
}

// ---- XML ------------------------------------------------------------------------------------

const BROKEN_XML: readonly string[] = [
  '<', '<a>', '</a>', '<?xml version="1.0"?>', '<!DOCTYPE a>', '<a><b></a></b>', '<a a="1" a="2"/>', '<:a/>', 'plain text',
  '<a xmlns:x="y"><x:b/></a>', '<a><![CDATA[<b>]]></a>', '<a><!-- c --></a>', '<a>\u0000</a>', '\uFEFF<a/>', '<a>&unknown;</a>',
  '<a>&#0;</a>', '<a>&#xD800;</a>', '<a>&#99999999;</a>', '<a>&#x110000;</a>', '<a>&</a>', '<a b=c/>', '<a><b/></a><c/>',
  '<?xml version="1.0" encoding="UTF-16"?><a/>', '<a></A>', '<1a/>', '<a\u0001/>', '<a xmlns="&#0;"/>', '<__proto__><x>1</x></__proto__>',
  '<a><__proto__>1</__proto__><constructor>2</constructor></a>', '<?xml-stylesheet href="x"?><a/>',
];

const ENTITY_XML: readonly string[] = [
  // billion laughs
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><lolz>&lol9;</lolz>',
  // external entities (XXE): must never be read
  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>',
  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><a/>',
  '<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://127.0.0.1:1/x.dtd"><a/>',
  // entity referring to itself / each other
  '<!DOCTYPE a [<!ENTITY e "&e;">]><a>&e;</a>',
  '<!DOCTYPE a [<!ENTITY e1 "&e2;"><!ENTITY e2 "&e1;">]><a>&e1;</a>',
  // entity expanding to markup
  '<!DOCTYPE a [<!ENTITY m "<b>x</b>">]><a>&m;</a>',
  // a large entity used many times
  `<!DOCTYPE a [<!ENTITY big "${'x'.repeat(9000)}">]><a>${'&big;'.repeat(2000)}</a>`,
  // many entities
  `<!DOCTYPE a [${Array.from({ length: 1500 }, (_, i) => `<!ENTITY e${i} "v">`).join('')}]><a>&e1;</a>`,
  // unterminated DOCTYPE
  '<!DOCTYPE a [<!ENTITY e "x"',
];

export interface XmlTarget {
  /** Element name of the document root. */
  root: string;
  /** The shape the root element holds, to name children after members. */
  shapeId?: string;
}

/** An XML document roughly shaped like `target`, wrong in places. */
function shapedXml(p: Pick, model: ServiceModel, t: XmlTarget): string {
  const inner = t.shapeId ? xmlChildren(p, model, t.shapeId, 0) : '';
  const ns = p.chance(50) && model.xmlNamespace ? ` xmlns="${model.xmlNamespace}"` : '';
  return `${p.chance(50) ? '<?xml version="1.0" encoding="UTF-8"?>' : ''}<${t.root}${ns}>${inner}</${t.root}>`;
}

function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xmlChildren(p: Pick, model: ServiceModel, shapeId: string, depth: number): string {
  const shape = model.shapes[shapeId]!;
  if (depth > 4) return '';
  switch (shape.type) {
    case 'structure':
    case 'union': {
      let out = '';
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        if (!p.chance((shape.required ?? []).includes(name) ? 80 : 25)) continue;
        const t = m.traits ?? {};
        if (t.httpHeader || t.httpQuery || t.httpLabel || t.httpPrefixHeaders !== undefined || t.httpPayload) continue;
        const el = (typeof t.xmlName === 'string' && t.xmlName) || name;
        if (t.xmlAttribute) continue;
        const body = p.chance(12) ? xmlEscape(junkScalar(p)) : xmlChildren(p, model, m.target, depth + 1);
        const times = t.xmlFlattened ? p.int(0, 3) : 1;
        for (let i = 0; i < times; i++) out += `<${el}${p.chance(5) ? ' junk="1"' : ''}>${body}</${el}>`;
      }
      if (p.chance(10)) { const n = p.one(['Unknown', '__proto__', 'constructor', 'a-b', 'x']); out += `<${n}>1</${n}>`; }
      return out;
    }
    case 'list': {
      const mm = shape.member!;
      const el = (typeof mm.traits?.xmlName === 'string' && mm.traits.xmlName) || 'member';
      return Array.from({ length: p.int(0, 3) }, () => `<${el}>${xmlChildren(p, model, mm.target, depth + 1)}</${el}>`).join('');
    }
    case 'map':
      return Array.from({ length: p.int(0, 2) }, () => `<entry><key>${xmlEscape(p.one(JUNK_KEYS))}</key><value>${xmlChildren(p, model, shape.value!.target, depth + 1)}</value></entry>`).join('');
    default:
      return xmlEscape(junkScalar(p));
  }
}

export function xmlBody(p: Pick, model: ServiceModel, t: XmlTarget): Buffer {
  const shaped = (): Buffer => Buffer.from(shapedXml(p, model, t), 'utf8');
  return p.weighted<Buffer>([
    [7, shaped],
    [2, () => truncate(p, shaped())],
    [1, () => Buffer.alloc(0)],
    [1, () => p.bytes(64)],
    [2, () => Buffer.from(p.one(BROKEN_XML), 'utf8')],
    [2, () => Buffer.from(p.one(ENTITY_XML), 'utf8')],
    [1, () => spliceBytes(p, shaped())],
    [1, () => Buffer.from(genericDeep(p, 'xml'), 'utf8')],
    [1, () => {
      const c = t.shapeId ? findCycle(model, t.shapeId, true) : null;
      return Buffer.from(c ? `<${t.root}>${deepXml(deepSteps(c, p.one(DEPTHS)))}</${t.root}>` : genericDeep(p, 'xml'), 'utf8');
    }],
    [1, () => Buffer.from(shapedXml(p, model, t), 'utf16le')],
    [1, () => Buffer.from(`<${t.root}>${'<a x="1"/>'.repeat(p.one([1000, 50_000]))}</${t.root}>`)],
  ]);
}

// ---- form-encoded query parameters ----------------------------------------------------------

/** Encodes parameter pairs as a query string, sometimes wrongly. */
export function formEncode(p: Pick, pairs: Array<[string, string]>): Buffer {
  const enc = (s: string): string => {
    const clean = s.replace(/[\uD800-\uDFFF]/g, '\uFFFD');
    return p.weighted<string>([
      [12, () => encodeURIComponent(clean)],
      [1, () => encodeURIComponent(clean) + p.one(['%', '%G', '%zz', '%FF', '%C3%28', '+', '%00', '%2', '&', '=', ';'])],
      [1, () => clean.replace(/[^\x20-\x7e]/g, '?')],
    ]);
  };
  const parts: Buffer[] = pairs.map(([k, v]) => Buffer.from(p.chance(3) ? enc(k) : `${enc(k)}=${enc(v)}`, 'latin1'));
  if (p.chance(8)) parts.splice(p.int(0, parts.length), 0, invalidUtf8(p));
  if (p.chance(5)) parts.push(Buffer.from(p.one(['', '=', '==', '&', '=x', 'a=b=c', '%', '%%%', '+', '++=++'])));
  const out: Buffer[] = [];
  parts.forEach((b, i) => { if (i) out.push(Buffer.from('&')); out.push(b); });
  return Buffer.concat(out);
}

// ---- aws-chunked ----------------------------------------------------------------------------

export interface ChunkPlan {
  /** Chunk payloads, in order; a final zero chunk is always appended unless `noFinal`. */
  chunks: Buffer[];
  /** Size field written for a chunk, when it lies (index → text). */
  lies: Record<number, string>;
  extension: string;
  trailers: string[];
  noFinal: boolean;
  lineEnd: string;
  tail: string;
}

export function chunkPlan(p: Pick): ChunkPlan {
  const chunks = Array.from({ length: p.int(0, 3) }, () => (p.chance(20) ? Buffer.alloc(p.one([8192, 65_536]), 0x61) : p.bytes(40)));
  // Half the plans are well framed, so the decoded body reaches the parser.
  if (p.chance(50)) {
    return { chunks: chunks.filter((c) => c.length), lies: {}, extension: '', trailers: p.chance(30) ? ['x-amz-checksum-crc32:AAAAAA=='] : [], noFinal: false, lineEnd: '\r\n', tail: '\r\n' };
  }
  const lies: Record<number, string> = {};
  if (p.chance(25) && chunks.length) lies[p.int(0, chunks.length - 1)] = p.one(['ffffffffffffffff', 'fffffffffffffff', '7fffffff', '0', '-1', 'zz', '', ' 1', '1 ', '0x10', '100000']);
  const trailers = p.chance(40)
    ? p.some(['x-amz-checksum-crc32:AAAAAA==', 'x-amz-checksum-crc32:!!!', 'x-amz-checksum-sha256:', ':novalue', 'noseparator', '__proto__:x',
      'host:evil.example', 'x-amz-target:TrentService.Encrypt', 'content-type:text/plain', 'constructor:x', `x-long:${'v'.repeat(5000)}`], 40)
    : [];
  return {
    chunks, lies, trailers,
    extension: p.one(['', ';chunk-signature=' + '0'.repeat(64), ';x=y', ';chunk-signature=zz', ';' + 'e'.repeat(5000)]),
    noFinal: p.chance(8),
    lineEnd: p.weighted<string>([[10, () => '\r\n'], [1, () => '\n'], [1, () => '\r']]),
    tail: p.one(['\r\n', '', '\r\n\r\n', 'garbage', '\n']),
  };
}

/** Writes the framing of a plan; `sign(i, data)` gives each chunk's signature when signed. */
export async function chunkBody(plan: ChunkPlan, sign?: (data: Buffer) => Promise<string>): Promise<Buffer> {
  const out: Buffer[] = [];
  const all = plan.noFinal ? plan.chunks : [...plan.chunks, Buffer.alloc(0)];
  for (const [i, data] of all.entries()) {
    const size = plan.lies[i] ?? data.length.toString(16);
    const ext = sign ? `;chunk-signature=${await sign(data)}` : plan.extension;
    out.push(Buffer.from(`${size}${ext}${plan.lineEnd}`, 'latin1'), data);
    if (data.length) out.push(Buffer.from(plan.lineEnd));
  }
  for (const t of plan.trailers) out.push(Buffer.from(`${t}${plan.lineEnd}`, 'latin1'));
  out.push(Buffer.from(plan.tail, 'latin1'));
  return Buffer.concat(out);
}

export function decodedLength(plan: ChunkPlan): number {
  return plan.chunks.reduce((n, c) => n + c.length, 0);
}
