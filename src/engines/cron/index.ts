/**
 * Schedule expressions — AWS cron (six fields, `L`/`W`/`#`, names), `rate(…)` and Scheduler's
 * `at(…)` — and their next fire times in any IANA time zone (offsets from `Intl`, so daylight
 * saving follows the host's time-zone data). Pure: no clock, no I/O; callers pass instants.
 */
export { parseSchedule, nextFire, isTimeZone, type Schedule, type ParseOptions, type FireOptions } from './schedule.js';
export { CronSyntaxError, parseCron, type Cron } from './cron.js';
export { wallToInstant, zoneOffsetMs } from './tz.js';
