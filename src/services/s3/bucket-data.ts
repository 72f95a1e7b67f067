/**
 * The runtime of one bucket: its objects, bytes and multipart uploads (store collections in
 * the owner's account × region), a sorted key index for listings, and the byte count per
 * storage class that storage metering integrates over clock time.
 */
import type { Collection, Collections } from '../../core/store.js';
import type { ObjectEntry, ObjectVersion, UploadRecord } from './store.js';
import { isBlob, sizeOf, type BlobRef, type StoredBytes } from './blobs.js';

/** A bucket's objects, bytes and uploads, with a sorted key index kept in memory. */
export class BucketData {
  readonly objects: Collection<ObjectEntry>;
  readonly data: Collection<StoredBytes>;
  readonly uploads: Collection<UploadRecord>;
  readonly parts: Collection<StoredBytes>;
  /** Byte-milliseconds stored per storage class since the meter last took them. */
  readonly accrued = new Map<string, number>();
  #sorted: string[] | undefined;
  #bytes: Map<string, number> | undefined;
  #accruedAtMs: number | undefined;

  /** Deletes the file of a body kept as a blob. */
  readonly #dropBlob: (ref: BlobRef) => void;

  constructor(c: Collections, bucket: string, dropBlob: (ref: BlobRef) => void) {
    this.objects = c.collection<ObjectEntry>(`objects/${bucket}`);
    this.data = c.collection<StoredBytes>(`data/${bucket}`);
    this.uploads = c.collection<UploadRecord>(`uploads/${bucket}`);
    this.parts = c.collection<StoredBytes>(`parts/${bucket}`);
    this.#dropBlob = dropBlob;
    this.storedBytes();
  }

  /** Every key with at least one version or delete marker, in S3's (UTF-8 byte) order. */
  sortedKeys(): string[] {
    this.#sorted ??= [...this.objects.keys()].sort(compareKeys);
    return this.#sorted;
  }

  /** Stores a key's versions, keeping the sorted index in step. */
  put(key: string, entry: ObjectEntry): void {
    const isNew = !this.objects.has(key);
    this.objects.set(key, entry);
    if (isNew && this.#sorted) this.#sorted.splice(lowerBound(this.#sorted, key), 0, key);
  }

  /** Forgets a key whose last version went. */
  remove(key: string): void {
    if (!this.objects.delete(key) || !this.#sorted) return;
    const i = lowerBound(this.#sorted, key);
    if (this.#sorted[i] === key) this.#sorted.splice(i, 1);
  }

  /** Stores the bytes of a new version (or part, under `dataKey`) and counts them as stored. */
  storeBytes(collection: 'data' | 'parts', dataKey: string, body: StoredBytes, storageClass: string, nowMs: number, size = sizeOf(body)): void {
    (collection === 'data' ? this.data : this.parts).set(dataKey, body);
    this.adjust(storageClass, size, nowMs);
  }

  /** Releases the bytes of versions that are gone. */
  release(versions: readonly ObjectVersion[], nowMs: number): void {
    for (const v of versions) {
      if (v.dataId === undefined) continue;
      // Copies share bytes in memory but each version owns its own entry (and blob file).
      const stored = this.data.get(v.dataId);
      if (isBlob(stored)) this.#dropBlob(stored);
      if (this.data.delete(v.dataId)) this.adjust(v.storageClass, -v.size, nowMs);
    }
  }

  /** Releases the bytes of an upload's part. */
  releasePart(dataKey: string, storageClass: string, nowMs: number): void {
    const b = this.parts.get(dataKey);
    if (isBlob(b)) this.#dropBlob(b);
    if (b && this.parts.delete(dataKey)) this.adjust(storageClass, -sizeOf(b), nowMs);
  }

  /** Bytes stored now, by storage class. */
  storedBytes(): Map<string, number> {
    if (!this.#bytes) {
      const bytes = new Map<string, number>();
      for (const e of this.objects.values()) {
        for (const v of e.versions) if (v.dataId !== undefined) bytes.set(v.storageClass, (bytes.get(v.storageClass) ?? 0) + v.size);
      }
      for (const u of this.uploads.values()) {
        for (const p of Object.values(u.parts)) bytes.set(u.storageClass, (bytes.get(u.storageClass) ?? 0) + p.size);
      }
      this.#bytes = bytes;
    }
    return this.#bytes;
  }

  /** Adds the byte-time stored since the last call to {@link accrued}. */
  integrate(nowMs: number): void {
    const bytes = this.storedBytes();
    const since = this.#accruedAtMs ?? nowMs;
    const dt = nowMs - since;
    if (dt > 0) for (const [cls, n] of bytes) if (n > 0) this.accrued.set(cls, (this.accrued.get(cls) ?? 0) + n * dt);
    this.#accruedAtMs = Math.max(since, nowMs);
  }

  #adjustBytes(storageClass: string, delta: number): void {
    const bytes = this.#bytes!;
    bytes.set(storageClass, (bytes.get(storageClass) ?? 0) + delta);
  }

  /** Changes the stored byte count of a class, accruing the time before the change first. */
  adjust(storageClass: string, delta: number, nowMs: number): void {
    this.integrate(nowMs);
    this.#adjustBytes(storageClass, delta);
  }

  /** Drops everything (DeleteBucket). */
  clear(): void {
    for (const b of [...this.data.values(), ...this.parts.values()]) if (isBlob(b)) this.#dropBlob(b);
    this.objects.clear();
    this.data.clear();
    this.uploads.clear();
    this.parts.clear();
    this.#sorted = [];
    this.#bytes = new Map();
  }
}

/**
 * Compares keys as S3 sorts them, by UTF-8 bytes, which is code point order: UTF-16 code
 * units agree with it except that surrogates (code points above U+FFFF) sort after U+E000–U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** Index of the first key in `sorted` that is not below `key`. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sorted[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
