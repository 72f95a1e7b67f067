/**
 * What a new session carries besides its credentials: session policies, session tags
 * (with the transitive ones inherited through role chaining) and their packed size.
 */
import { lazyZlib } from '../../core/lazy-zlib.js';
import type { Principal } from '../../core/identity.js';
import { MalformedPolicyError, parsePolicy } from '../../engines/iam-policy/index.js';
import { invalidParameter, malformedPolicy, packedPolicyTooLarge } from './errors.js';

/** Session policies of a request, validated. */
export interface SessionPolicies {
  policy?: string;
  policyArns?: string[];
}

/** Parses the inline session policy (AWS's MalformedPolicyDocument on failure) and reads the ARNs. */
export function readSessionPolicies(input: Record<string, unknown>): SessionPolicies {
  const out: SessionPolicies = {};
  const policy = input['Policy'];
  if (typeof policy === 'string') {
    try {
      parsePolicy(policy, { kind: 'session' });
    } catch (e) {
      if (e instanceof MalformedPolicyError) throw malformedPolicy(e.message);
      throw e;
    }
    out.policy = policy;
  }
  const arns = input['PolicyArns'];
  if (Array.isArray(arns) && arns.length > 0) {
    out.policyArns = arns.map((d: { arn?: string }) => String(d?.arn ?? ''));
    for (const arn of out.policyArns) {
      if (!/^arn:[^:]+:iam::(\d{12}|aws):policy\/.+$/.test(arn)) throw invalidParameter(`${arn} is invalid`);
    }
  }
  return out;
}

/** Session tags after inheritance: all tags and the keys that pass on to chained sessions. */
export interface SessionTags {
  tags: Record<string, string>;
  transitive: string[];
  /** The tags given in this request (aws:RequestTag/*). */
  requested: Record<string, string>;
}

/**
 * Reads Tags and TransitiveTagKeys and adds the caller's transitive tags, which a chained
 * session inherits and may not set again (keys compare case-insensitively).
 */
export function readSessionTags(input: Record<string, unknown>, caller: Principal): SessionTags {
  const requested: Record<string, string> = {};
  const seen = new Set<string>();
  for (const t of (input['Tags'] as { Key: string; Value: string }[] | undefined) ?? []) {
    const lower = t.Key.toLowerCase();
    if (seen.has(lower)) throw invalidParameter('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
    requested[t.Key] = t.Value ?? '';
  }
  const transitiveAsked = (input['TransitiveTagKeys'] as string[] | undefined) ?? [];
  for (const k of transitiveAsked) {
    if (!seen.has(k.toLowerCase())) throw invalidParameter('The specified transitive tag key must be included in the requested tags.');
  }
  const tags: Record<string, string> = {};
  const transitive: string[] = [];
  if (caller.type === 'assumed-role') {
    for (const key of caller.transitiveTagKeys ?? []) {
      const value = caller.sessionTags?.[key];
      if (value === undefined) continue;
      if (seen.has(key.toLowerCase())) {
        throw invalidParameter("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
      }
      tags[key] = value;
      transitive.push(key);
    }
  }
  Object.assign(tags, requested);
  const requestedKeys = new Map(Object.keys(requested).map((k) => [k.toLowerCase(), k]));
  for (const k of transitiveAsked) transitive.push(requestedKeys.get(k.toLowerCase()) ?? k);
  return { tags, transitive: [...new Set(transitive)], requested };
}

// The packed form is AWS's compressed binary of session policies and tags; its exact
// encoding is not published. Drydock estimates it as the deflated size over this budget,
// so small policies use a few percent and 50 long random tags overflow, as on AWS.
const PACKED_BUDGET_BYTES = 2048;

/**
 * The PackedPolicySize percentage of a session's policies and tags.
 *
 * @throws PackedPolicyTooLarge above 100%.
 */
export function packedPolicySize(policies: SessionPolicies, tags: Record<string, string>): number {
  const parts: string[] = [];
  if (policies.policy !== undefined) parts.push(JSON.stringify(JSON.parse(policies.policy)));
  parts.push(...(policies.policyArns ?? []));
  for (const [k, v] of Object.entries(tags)) parts.push(k, v);
  if (parts.length === 0) return 0;
  const packed = lazyZlib().deflateRawSync(Buffer.from(parts.join('\u0000'), 'utf8')).length;
  const percent = Math.ceil((packed * 100) / PACKED_BUDGET_BYTES);
  if (percent > 100) throw packedPolicyTooLarge(percent);
  return percent;
}

/** Fills the session fields of a principal that are present (no undefined keys, so it stores cleanly). */
export function withSession(
  base: Principal,
  s: { tags?: SessionTags; policies?: SessionPolicies; sourceIdentity?: string; mfa?: boolean; issuedAt: string },
): Principal {
  const p: Principal = { ...base, issuedAt: s.issuedAt };
  if (s.tags !== undefined && Object.keys(s.tags.tags).length > 0) p.sessionTags = s.tags.tags;
  if (s.tags !== undefined && s.tags.transitive.length > 0) p.transitiveTagKeys = s.tags.transitive;
  if (s.policies?.policy !== undefined) p.sessionPolicy = s.policies.policy;
  if (s.policies?.policyArns !== undefined) p.sessionPolicyArns = s.policies.policyArns;
  if (s.sourceIdentity !== undefined) p.sourceIdentity = s.sourceIdentity;
  if (s.mfa !== undefined) p.mfa = s.mfa;
  return p;
}
