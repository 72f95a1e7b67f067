/**
 * What IAM's handlers share: the caller's account state, entity look-ups with AWS's
 * not-found wording, Marker/MaxItems pagination, tags, and the URL encoding AWS applies to
 * policy documents in responses.
 */
import type { ServiceContext } from '../types.js';
import { invalidInput, limitExceeded, noSuchEntity, validationError, validationText } from './errors.js';
import { iamState, key, type GroupRec, type IamState, type InstanceProfileRec, type RoleRec, type Tag, type UserRec } from './store.js';

/** The IAM state of the caller's account. */
export function stateOf(ctx: ServiceContext): IamState {
  return iamState(ctx.stores, ctx.account);
}

/** A string input member, or undefined. */
export function str(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** A list-of-strings input member (empty when absent). */
export function strings(input: Record<string, unknown>, name: string): string[] {
  const v = input[name];
  return Array.isArray(v) ? v.map(String) : [];
}

/** The user named (any case), or NoSuchEntity in AWS's words. */
export function getUser(s: IamState, name: string): UserRec {
  const u = s.users.get(key(name));
  if (u === undefined) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return u;
}

/** The group named (any case), or NoSuchEntity in AWS's words. */
export function getGroup(s: IamState, name: string): GroupRec {
  const g = s.groups.get(key(name));
  if (g === undefined) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

/** The role named (any case), or NoSuchEntity in AWS's words. */
export function getRole(s: IamState, name: string): RoleRec {
  const r = s.roles.get(key(name));
  if (r === undefined) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

/** The instance profile named (any case), or NoSuchEntity in AWS's words. */
export function getInstanceProfile(s: IamState, name: string): InstanceProfileRec {
  const p = s.instanceProfiles.get(key(name));
  if (p === undefined) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return p;
}

/** A stored ISO time as the Date handlers answer. */
export function date(isoText: string): Date {
  return new Date(isoText);
}

/**
 * A policy document as AWS returns it in responses: URL-encoded per RFC 3986 (SDKs other
 * than boto3 hand it to the caller still encoded).
 */
export function encodeDocument(doc: string): string {
  return encodeURIComponent(doc).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Keeps the entities whose path starts with PathPrefix (default `/`). */
export function byPathPrefix<T extends { path: string }>(items: Iterable<T>, input: Record<string, unknown>): T[] {
  const prefix = str(input, 'PathPrefix') ?? '/';
  return [...items].filter((x) => x.path.startsWith(prefix));
}

/** Items sorted by name, as IAM lists them. */
export function sortedByName<T extends { name: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
}

/** One page of a list: the items, and the Marker to continue from when truncated. */
export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/**
 * Marker/MaxItems pagination (MaxItems 1–1000, default 100). The marker is opaque to
 * clients: the offset of the next item, encoded.
 */
export function paginate<T>(all: readonly T[], input: Record<string, unknown>, member = 'maxItems'): Page<T> {
  const max = input['MaxItems'] === undefined ? 100 : Number(input['MaxItems']);
  if (max < 1) throw validationError(`Value '${max}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (max > 1000) throw validationError(`Value '${max}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  let start = 0;
  const marker = str(input, 'Marker');
  if (marker !== undefined) {
    const m = /^dd1:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (m === null) throw validationText('Invalid Marker.');
    start = Number(m[1]);
  }
  const items = all.slice(start, start + max);
  const next = start + items.length;
  if (next >= all.length) return { items, IsTruncated: false };
  return { items, IsTruncated: true, Marker: Buffer.from(`dd1:${next}`, 'utf8').toString('base64url') };
}

/** The Marker/IsTruncated members of a page, for spreading into an output. */
export function pageInfo(p: Page<unknown>): { IsTruncated: boolean; Marker?: string } {
  return p.Marker === undefined ? { IsTruncated: p.IsTruncated } : { IsTruncated: p.IsTruncated, Marker: p.Marker };
}

const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

/** Validates the Tags input member of a request; absent → []. */
export function inputTags(input: Record<string, unknown>): Tag[] {
  const raw = input['Tags'];
  if (raw === undefined || raw === null) return [];
  const tags = (raw as Array<Record<string, unknown>>).map((t) => ({ Key: String(t['Key'] ?? ''), Value: String(t['Value'] ?? '') }));
  if (tags.length > MAX_TAGS) {
    throw validationError(`Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  }
  tags.forEach((t, i) => {
    const at = `tags.${i + 1}.member`;
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_KEY_RE.test(t.Key)) {
      throw validationError(`Value '${t.Key}' at '${at}.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`);
    }
    if (t.Value.length > 256 || !TAG_VALUE_RE.test(t.Value)) {
      throw validationError(`Value '${t.Value}' at '${at}.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`);
    }
  });
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key.toLowerCase())) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(t.Key.toLowerCase());
  }
  return tags;
}

/** Tags after adding (or replacing, keys compared without case) `added`; at most 50. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const out = current.filter((t) => !added.some((a) => a.Key.toLowerCase() === t.Key.toLowerCase()));
  out.push(...added);
  if (out.length > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
  return out;
}

/** Tags after removing the TagKeys input member's keys (compared without case). */
export function removeTags(current: readonly Tag[], input: Record<string, unknown>): Tag[] {
  const keys = new Set(strings(input, 'TagKeys').map((k) => k.toLowerCase()));
  return current.filter((t) => !keys.has(t.Key.toLowerCase()));
}

/** A record of tags, for the directory and aws:ResourceTag. */
export function tagMap(tags: readonly Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) out[t.Key] = t.Value;
  return out;
}

/** The `Tags` member of an output: absent when there are none, as AWS answers. */
export function tagsOut(tags: readonly Tag[]): { Tags?: Tag[] } {
  return tags.length === 0 ? {} : { Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) };
}

/** The output of List*Tags: paginated tags. */
export function listTags(tags: readonly Tag[], input: Record<string, unknown>): Record<string, unknown> {
  const p = paginate(tags, input);
  return { Tags: p.items, ...pageInfo(p) };
}
