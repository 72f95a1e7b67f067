// Ruler's comparable numbers: a double in [-5e9, 5e9] becomes the integer
// trunc(1e6 * (5e9 + x)), so comparisons are exact to six decimal places and every
// numeric operator compares those integers. Doing the same double arithmetic as Java
// gives the same rounding, and so the same answers at the edges.

/** The inclusive bound of numeric matching (`-5.0E9` … `5.0E9`). */
export const NUMERIC_LIMIT = 5e9;

/** AWS's message for a numeric operand outside the range. */
export const NUMERIC_RANGE_MESSAGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

/** True when `x` can take part in numeric matching. */
export function inNumericRange(x: number): boolean {
  return x >= -NUMERIC_LIMIT && x <= NUMERIC_LIMIT;
}

/** The comparable form of `x`; callers check {@link inNumericRange} first. */
export function comparable(x: number): number {
  return Math.trunc(1e6 * (NUMERIC_LIMIT + x));
}

/** Comparable form of the lowest and highest representable values. */
export const COMPARABLE_MIN = comparable(-NUMERIC_LIMIT);
export const COMPARABLE_MAX = comparable(NUMERIC_LIMIT);
