// Wall-clock time in an IANA time zone from `Intl`, the only time-zone database Node ships.
// A formatter per zone is cached: building one costs far more than formatting.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time zone name `Intl` knows (`UTC`, `Europe/Paris`, …). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to UTC to get the wall-clock time of `zone` at instant `ms`. */
export function zoneOffsetMs(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant whose wall-clock time in `zone` is `wallMs` (a UTC-encoded wall time). A wall
 * time skipped by a daylight-saving jump lands that much later (02:30 → 03:30); one repeated
 * when clocks go back resolves to its first occurrence.
 */
export function wallToInstant(zone: string, wallMs: number): number {
  const first = wallMs - zoneOffsetMs(zone, wallMs);
  const second = wallMs - zoneOffsetMs(zone, first);
  if (second === first) {
    // Ambiguous hour: prefer the earlier instant when it shows the same wall time.
    const earlier = first - 3_600_000;
    return earlier + zoneOffsetMs(zone, earlier) === wallMs ? earlier : first;
  }
  // Either converged on the second try, or the wall time does not exist (gap): take the later reading.
  return second + zoneOffsetMs(zone, second) === wallMs ? second : Math.max(first, second);
}
