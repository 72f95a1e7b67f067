/**
 * The input constraints of STS's API (lengths, patterns, ranges) checked the way AWS's
 * front end checks them: every failure is collected and reported together as
 * `Value 'x' at 'member' failed to satisfy constraint: …`, member names in lowerCamelCase.
 */

/** A constraint failure in AWS's words. */
function problem(value: unknown, member: string, constraint: string): string {
  return `Value '${render(value)}' at '${member}' failed to satisfy constraint: Member must ${constraint}`;
}

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${render(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Checks a string member's length and pattern; absent members pass. */
export function checkString(
  problems: string[],
  value: unknown,
  member: string,
  opts: { min?: number; max?: number; pattern?: RegExp; patternText?: string },
): void {
  if (value === undefined || value === null) return;
  const s = String(value);
  if (opts.min !== undefined && s.length < opts.min) problems.push(problem(s, member, `have length greater than or equal to ${opts.min}`));
  if (opts.max !== undefined && s.length > opts.max) problems.push(problem(s, member, `have length less than or equal to ${opts.max}`));
  if (opts.pattern !== undefined && !opts.pattern.test(s)) {
    problems.push(problem(s, member, `satisfy regular expression pattern: ${opts.patternText ?? opts.pattern.source}`));
  }
}

/** Checks a numeric member's range; absent members pass. */
export function checkRange(problems: string[], value: unknown, member: string, min: number, max: number): void {
  if (value === undefined || value === null) return;
  const n = Number(value);
  if (n < min) problems.push(problem(n, member, `have value greater than or equal to ${min}`));
  if (n > max) problems.push(problem(n, member, `have value less than or equal to ${max}`));
}

/** Checks a list member's length. */
export function checkListLength(problems: string[], value: unknown, member: string, max: number): void {
  if (Array.isArray(value) && value.length > max) problems.push(problem(value, member, `have length less than or equal to ${max}`));
}

// Patterns as AWS prints them in its messages, and the equivalent JavaScript regexes.
export const SESSION_NAME = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
export const FEDERATED_NAME = { min: 2, max: 32, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
export const SOURCE_IDENTITY = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
export const EXTERNAL_ID = { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/, patternText: '[\\w+=,.@:\\/-]*' };
export const SERIAL_NUMBER = { min: 9, max: 256, pattern: /^[\w+=/:,.@-]*$/, patternText: '[\\w+=/:,.@-]*' };
export const TOKEN_CODE = { min: 6, max: 6, pattern: /^\d*$/, patternText: '[\\d]*' };
export const ARN_LENGTH = { min: 20, max: 2048 };
export const TAG_KEY = { min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
export const TAG_VALUE = { min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' };
export const SESSION_POLICY = {
  min: 1,
  max: 2048,
  pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/,
  patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
};

/** The parts of a role ARN, or undefined when AWS would call the ARN invalid. */
export function parseRoleArn(arn: string): { partition: string; account: string; roleName: string; isRole: boolean } | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/s.exec(arn);
  if (m === null) return undefined;
  const [, partition, service, , account, resource] = m as unknown as [string, string, string, string, string, string];
  const isRole = service === 'iam' && resource.startsWith('role/') && /^\d{12}$/.test(account);
  return { partition, account, roleName: resource.slice(resource.lastIndexOf('/') + 1), isRole };
}

/** Common checks of the session-policy members shared by AssumeRole*, GetFederationToken. */
export function checkSessionPolicyMembers(problems: string[], input: Record<string, unknown>): void {
  checkString(problems, input['Policy'], 'policy', SESSION_POLICY);
  const arns = input['PolicyArns'];
  checkListLength(problems, arns, 'policyArns', 10);
  if (Array.isArray(arns)) {
    arns.forEach((d: { arn?: string }, i) => checkString(problems, d?.arn, `policyArns.${i + 1}.member.arn`, ARN_LENGTH));
  }
}

/** Checks the Tags and TransitiveTagKeys members' constraints. */
export function checkTagMembers(problems: string[], input: Record<string, unknown>): void {
  const tags = input['Tags'];
  checkListLength(problems, tags, 'tags', 50);
  if (Array.isArray(tags)) {
    tags.forEach((t: { Key?: string; Value?: string }, i) => {
      checkString(problems, t?.Key, `tags.${i + 1}.member.key`, TAG_KEY);
      checkString(problems, t?.Value, `tags.${i + 1}.member.value`, TAG_VALUE);
    });
  }
  const keys = input['TransitiveTagKeys'];
  checkListLength(problems, keys, 'transitiveTagKeys', 50);
  if (Array.isArray(keys)) keys.forEach((k, i) => checkString(problems, k, `transitiveTagKeys.${i + 1}.member`, TAG_KEY));
}
