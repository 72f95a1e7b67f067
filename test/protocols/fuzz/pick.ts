// Imperative generation on top of fast-check's `fc.gen()`: every choice is drawn from an
// arbitrary, so fast-check still shrinks a failing request towards the simplest choices (the
// first entry of every list below is the plainest one, and shrinking heads there).

import fc from 'fast-check';

export class Pick {
  constructor(readonly g: fc.GeneratorValue) {}

  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }

  /** True with probability `percent`/100 (shrinks to false). */
  chance(percent: number): boolean {
    return this.int(0, 99) >= 100 - percent;
  }

  one<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)]!;
  }

  /** Runs one of the builders, chosen by weight; shrinks towards the first. */
  weighted<T>(choices: ReadonlyArray<readonly [number, () => T]>): T {
    const total = choices.reduce((n, [w]) => n + w, 0);
    let r = this.int(0, total - 1);
    for (const [w, f] of choices) {
      if (r < w) return f();
      r -= w;
    }
    return choices[choices.length - 1]![1]();
  }

  /** A short printable string (full unicode when `unicode`). */
  text(maxLength = 12, unicode = false): string {
    return this.g(fc.string, { maxLength, unit: unicode ? 'grapheme' : 'grapheme-ascii' });
  }

  bytes(maxLength: number, minLength = 0): Buffer {
    return Buffer.from(this.g(fc.uint8Array, { minLength, maxLength }));
  }

  json(): unknown {
    return this.g(fc.jsonValue, { maxDepth: 3 });
  }

  /** A subset of `values` (each kept with probability `percent`). */
  some<T>(values: readonly T[], percent: number): T[] {
    return values.filter(() => this.chance(percent));
  }
}

/** Strings that break scalar parsing in every codec: numbers, booleans, timestamps, base64. */
export const JUNK_SCALARS: readonly string[] = [
  '', 'x', '0', '-1', 'true', 'false', 'TRUE', 'null', 'NaN', 'Infinity', '-Infinity', '1e400', '-1e-400',
  '9'.repeat(40), '0x1F', '1_000', ' 1 ', '1.5', '-0', '2024-13-45T99:99:99Z', '2024-01-01T00:00:00Z',
  'Thu, 01 Jan 1970 00:00:00 GMT', '253402300800', '-62135596800', '1e20', '!!!!', 'a', '====', 'YQ', 'YQ==',
  '\u0000', '\u0001\u0002', '\uFEFF', '\uD800', '\uDFFF', '💥', 'é', '<', '&', '&amp;', ']]>', '"', "'", '\\',
  '../../etc/passwd', '%', '%%', '%zz', '{}', '[]', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];

/** Keys that collide with Object.prototype or are otherwise awkward as map keys / member names. */
export const JUNK_KEYS: readonly string[] = [
  'a', '', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
  '0', '-1', '1.5', 'a.b', 'a[0]', '\u0000', 'é', '💥', 'x'.repeat(300),
];

/** Percent-encoding mistakes and awkward bytes for paths and query strings (wire form, ASCII). */
export const BAD_ESCAPES: readonly string[] = [
  '%', '%2', '%G0', '%zz', '%%', '%FF', '%C3%28', '%E0%80', '%ED%A0%80', '%F4%90%80%80', '%C0%AF', '%00',
  '%2F', '%2f', '%5C', '%25', '%2525', '%u0041', '+', '%20', '..', '.', '%2E%2E', '~', '!', "'()*", ';', ',', '@', ':', '$',
];

/** Text for one path segment or query component, on the wire (ASCII, maybe mis-encoded). */
export function wireComponent(p: Pick): string {
  return p.weighted<string>([
    [4, () => encodeURIComponent(p.text(10))],
    [3, () => p.one(BAD_ESCAPES)],
    [3, () => encodeURIComponent(p.text(4)) + p.one(BAD_ESCAPES) + encodeURIComponent(p.text(4))],
    [2, () => encodeURIComponent(p.text(8, true))],
    [1, () => p.one(JUNK_SCALARS.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '')))) ],
    [1, () => 'a'.repeat(p.one([256, 1025, 8193, 70_000]))],
  ]);
}

/** One junk scalar for query values, XML text and header values. */
export function junkScalar(p: Pick): string {
  return p.weighted<string>([
    [5, () => p.one(JUNK_SCALARS)],
    [3, () => p.text(16)],
    [1, () => p.text(16, true)],
    [1, () => 'x'.repeat(p.one([1024, 65_537, 300_000]))],
  ]);
}
