/**
 * Conditional requests and byte ranges as S3 evaluates them: If-Match / If-None-Match /
 * If-Modified-Since / If-Unmodified-Since on reads (304 or 412), conditional writes
 * (`If-None-Match: *`, `If-Match: <etag>`), the `x-amz-copy-source-if-*` family (always 412),
 * and the single byte range S3 serves.
 */
import { epochMs, str } from './common.js';
import { headerNotImplemented, invalidRange, noSuchKey, notModified, preconditionFailed } from './errors.js';
import type { ObjectVersion } from './store.js';

type In = Record<string, unknown>;

/** Whether an If-Match / If-None-Match list names `etag`; quotes and `W/` are optional, `*` matches all. */
export function etagMatches(condition: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return condition.split(',').some((c) => {
    const t = c.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return t === '*' || t === bare;
  });
}

/** Seconds resolution, as HTTP dates carry. */
function secs(ms: number): number {
  return Math.floor(ms / 1000);
}

interface Conditions { ifMatch?: string; ifNoneMatch?: string; ifModifiedSince?: number; ifUnmodifiedSince?: number }

/**
 * The common evaluation: If-Match, then If-Unmodified-Since (only without If-Match), then
 * If-None-Match, then If-Modified-Since (only without If-None-Match; a date in the future is
 * ignored). Returns the header that failed and whether it is a "not modified" outcome.
 */
function evaluate(c: Conditions, v: ObjectVersion, nowMs: number): { header: string; notModified: boolean } | undefined {
  const lm = secs(v.lastModifiedMs);
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, v.etag)) return { header: 'If-Match', notModified: false };
  } else if (c.ifUnmodifiedSince !== undefined && lm > secs(c.ifUnmodifiedSince)) {
    return { header: 'If-Unmodified-Since', notModified: false };
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, v.etag)) return { header: 'If-None-Match', notModified: true };
  } else if (c.ifModifiedSince !== undefined && c.ifModifiedSince <= nowMs && lm <= secs(c.ifModifiedSince)) {
    return { header: 'If-Modified-Since', notModified: true };
  }
  return undefined;
}

/** GetObject / HeadObject preconditions: 412 PreconditionFailed or 304 Not Modified. */
export function checkReadConditions(input: In, v: ObjectVersion, nowMs: number): void {
  const failed = evaluate({
    ifMatch: str(input, 'IfMatch'), ifNoneMatch: str(input, 'IfNoneMatch'),
    ifModifiedSince: epochMs(input['IfModifiedSince']), ifUnmodifiedSince: epochMs(input['IfUnmodifiedSince']),
  }, v, nowMs);
  if (!failed) return;
  if (failed.notModified) {
    const err = notModified();
    Object.assign(err.headers, { etag: v.etag, 'last-modified': new Date(v.lastModifiedMs).toUTCString() });
    throw err;
  }
  throw preconditionFailed(failed.header);
}

/** CopyObject / UploadPartCopy source preconditions: every failure is a 412 naming the copy header. */
export function checkCopySourceConditions(input: In, v: ObjectVersion, nowMs: number): void {
  const failed = evaluate({
    ifMatch: str(input, 'CopySourceIfMatch'), ifNoneMatch: str(input, 'CopySourceIfNoneMatch'),
    ifModifiedSince: epochMs(input['CopySourceIfModifiedSince']), ifUnmodifiedSince: epochMs(input['CopySourceIfUnmodifiedSince']),
  }, v, nowMs);
  if (failed) throw preconditionFailed(`x-amz-copy-source-${failed.header}`);
}

/**
 * Conditional writes (PutObject, CopyObject, CompleteMultipartUpload): `If-None-Match: *`
 * refuses to overwrite, `If-Match: <etag>` requires the current object to have that ETag.
 */
export function checkWriteConditions(input: In, current: ObjectVersion | undefined, key: string): void {
  const ifMatch = str(input, 'IfMatch');
  const ifNoneMatch = str(input, 'IfNoneMatch');
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw headerNotImplemented('If-Match,If-None-Match', 'Multiple conditional request headers present in the request');
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw headerNotImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
    if (current) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (ifMatch.trim() === '*') throw headerNotImplemented('If-Match', "We don't accept the provided value of If-Match header for this API");
    if (!current) throw noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}

/** A satisfiable byte range: first and last byte, inclusive. */
export interface ByteRange { start: number; end: number }

/**
 * Reads a `Range` header against an object of `size` bytes. S3 serves one range; a header it
 * cannot read (several ranges, `bytes=1-0`, garbage) is ignored and the whole object served.
 * A range starting past the end is InvalidRange (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(header, size);
    if (size === 0) return undefined;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (end < start) return undefined;
  if (start >= size) {
    if (size === 0) return undefined;
    throw invalidRange(header, size);
  }
  return { start, end: Math.min(end, size - 1) };
}
