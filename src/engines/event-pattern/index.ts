/**
 * The event-pattern engine: validates EventBridge event patterns and SNS filter policies as
 * AWS does (AWS's messages, Jackson's error locations, AWS's limits), compiles them once,
 * and matches events against one pattern or many at once, explaining each decision.
 *
 * Shared by EventBridge rules, archives and `TestEventPattern`, Pipes and Lambda filter
 * criteria, and SNS subscription filter policies. Pure: no I/O, no clock, no imports from
 * the rest of Drydock. Specification: docs/engines/event-pattern.md.
 */
export { compilePattern, Pattern, EVENTBRIDGE_PATTERN_LIMITS, type CompileOptions, type Explanation } from './pattern.js';
export { PatternSet, matchAll } from './pattern-set.js';
export { compileFilterPolicy, FilterPolicy, snsAttributesToEvent, type SnsMessage, type SnsMessageAttribute } from './sns.js';
export { SNS_FILTER_POLICY_LIMITS, type FilterPolicyScope } from './sns-limits.js';
export {
  InvalidPatternError,
  snsErrorMessage,
  type Dialect,
  type PatternErrorCode,
  type SourceLocation,
} from './errors.js';
export type { Branch, FieldSpec } from './compile.js';
export type { Matcher, MatcherKind, Scalar } from './matchers.js';
export { NUMERIC_LIMIT } from './numbers.js';
export { WILDCARD_COMPLEXITY_LIMIT } from './wildcard.js';
