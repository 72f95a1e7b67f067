/**
 * Pattern validation errors. The engine throws {@link InvalidPatternError}; the service that
 * received the pattern maps it to its own error: EventBridge, Pipes and Lambda answer
 * `InvalidEventPatternException` (HTTP 400), SNS answers `InvalidParameter` (HTTP 400).
 * `message` carries AWS's text for the dialect; `detail` is ours.
 */

/** Which service's rules and wording apply. */
export type Dialect = 'eventbridge' | 'sns';

/** Why a pattern was refused; stable codes a provider can switch on. */
export type PatternErrorCode =
  | 'json'
  | 'structure'
  | 'match-value'
  | 'operator'
  | 'numeric'
  | 'anything-but'
  | 'cidr'
  | 'wildcard'
  | 'exists'
  | 'or'
  | 'too-complex'
  | 'too-many-keys'
  | 'too-long'
  | 'nested';

/** A position in the pattern text, as Jackson reports it (1-based line and column). */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

/**
 * Thrown inside the reader and compiler, before the dialect's wording is applied.
 * `locations` holds zero, one or (where Ruler re-wraps its own error) two positions.
 */
export class PatternIssue extends Error {
  readonly code: PatternErrorCode;
  readonly locations: readonly SourceLocation[];
  readonly path: string | undefined;

  constructor(code: PatternErrorCode, awsReason: string, locations: readonly SourceLocation[] = [], path?: string) {
    super(awsReason);
    this.name = 'PatternIssue';
    this.code = code;
    this.locations = locations;
    this.path = path;
  }
}

/** A pattern or filter policy AWS would refuse. */
export class InvalidPatternError extends Error {
  /** Stable reason code. */
  readonly code: PatternErrorCode;
  /** The dialect whose rules refused it. */
  readonly dialect: Dialect;
  /** AWS's reason text without prefix or location (`Empty arrays are not allowed`). */
  readonly awsReason: string;
  /** The AWS error code a provider should answer with. */
  readonly awsErrorCode: string;
  /** Where Jackson would have pointed, when AWS reports a location. */
  readonly location: SourceLocation | undefined;
  /** Our explanation: lowercase, field names in backticks. */
  readonly detail: string;

  constructor(dialect: Dialect, issue: PatternIssue, source: string) {
    super(formatMessage(dialect, issue, source));
    this.name = 'InvalidPatternError';
    this.code = issue.code;
    this.dialect = dialect;
    this.awsReason = issue.message;
    this.awsErrorCode = awsErrorCode(dialect, issue.code);
    this.location = issue.locations[0];
    const lower = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
    this.detail = issue.path === undefined ? lower : `field \`${issue.path}\`: ${lower}`;
  }
}

/** Jackson (2.9-2.12) truncates the quoted source after this many characters. */
const SNIPPET = 500;

/** `[Source: (String)"…"; line: L, column: C]`, as Jackson's JsonLocation prints it. */
export function jacksonLocation(source: string, loc: SourceLocation): string {
  const cut = source.length > SNIPPET ? `"${source.slice(0, SNIPPET)}"[truncated ${source.length - SNIPPET} chars]` : `"${source}"`;
  return `[Source: (String)${cut}; line: ${loc.line}, column: ${loc.column}]`;
}

function awsErrorCode(dialect: Dialect, code: PatternErrorCode): string {
  if (code === 'too-long' && dialect === 'eventbridge') return 'ValidationException';
  return dialect === 'sns' ? 'InvalidParameter' : 'InvalidEventPatternException';
}

function formatMessage(dialect: Dialect, issue: PatternIssue, source: string): string {
  if (dialect === 'sns') {
    // The scope error is the one SNS words without the `FilterPolicy:` prefix.
    return issue.code === 'nested' ? `Invalid parameter: ${issue.message}` : `Invalid parameter: FilterPolicy: ${issue.message}`;
  }
  if (issue.code === 'too-long') return issue.message;
  const at = issue.locations.map((l) => `\n at ${jacksonLocation(source, l)}`).join('');
  return `Event pattern is not valid. Reason: ${issue.message}${at}`;
}

/**
 * SNS words the same refusal differently per call: `SetSubscriptionAttributes` answers
 * `Invalid parameter: FilterPolicy: …`, `Subscribe` answers
 * `Invalid parameter: Attributes Reason: FilterPolicy: …`.
 */
export function snsErrorMessage(error: InvalidPatternError, call: 'Subscribe' | 'SetSubscriptionAttributes'): string {
  const body = error.code === 'nested' ? error.awsReason : `FilterPolicy: ${error.awsReason}`;
  return call === 'Subscribe' ? `Invalid parameter: Attributes Reason: ${body}` : `Invalid parameter: ${body}`;
}
