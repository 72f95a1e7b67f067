/**
 * Validation of a policy document's grammar, in the order IAM reports problems: shape
 * (syntax), version, principal rules for the policy kind, legacy parsing, statement ids,
 * actions and resources present, then the format of resources and actions.
 */
import { PolicyIssue } from './errors.js';
import type { Effect, PolicyKind } from './types.js';
import type { RawStatement } from './statement.js';

/** The versions IAM accepts; 2008-10-17 documents have no policy variables. */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

/** A document that passed validation. */
export interface ValidatedDocument {
  readonly version: PolicyVersion;
  readonly id: string | undefined;
  readonly statements: readonly RawStatement[];
}

const TOP_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', '*']);
const IAM_FAMILY = new Set<PolicyKind>(['identity', 'boundary', 'session', 'trust']);
const NO_PRINCIPAL = new Set<PolicyKind>(['identity', 'boundary', 'session', 'scp']);
const TRUST_ACTION_RE = /^sts:(assumerole|assumerolewithsaml|assumerolewithwebidentity|tagsession|setsourceidentity|setcontext|\*)$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(v: unknown, field: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw new PolicyIssue('syntax', `\`${field}\` must be a string or a list of strings`);
  }
  return list;
}

function scalarList(v: unknown, where: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new PolicyIssue('syntax', `condition value for \`${where}\` must be a string, number, boolean or a list of them`);
  });
}

function shapeCondition(v: unknown): RawStatement['condition'] {
  if (!isObject(v)) throw new PolicyIssue('syntax', '`Condition` must be an object');
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, block] of Object.entries(v)) {
    if (!isObject(block)) throw new PolicyIssue('syntax', `condition operator \`${op}\` must map keys to values`);
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block)) {
      if (!key.includes(':')) throw new PolicyIssue('action-vendor', `condition key \`${key}\` has no vendor prefix`, { value: key });
      keys[key] = scalarList(values, key);
    }
    out[op] = keys;
  }
  return out;
}

function shapeEffect(v: unknown, kind: PolicyKind): Effect {
  if (v === undefined) throw new PolicyIssue('missing-effect', 'statement has no `Effect`');
  if (v === 'Allow' || v === 'Deny') return v;
  if (typeof v !== 'string') throw new PolicyIssue('syntax', '`Effect` must be a string');
  // IAM's legacy parser rejects the right word in the wrong case with its own message.
  if (IAM_FAMILY.has(kind) && (v.toLowerCase() === 'allow' || v.toLowerCase() === 'deny')) {
    throw new PolicyIssue('legacy-parsing', `effect \`${v}\` must be \`Allow\` or \`Deny\` exactly`);
  }
  throw new PolicyIssue('effect-invalid', `effect \`${v}\` is neither \`Allow\` nor \`Deny\``, { value: v });
}

function shapeStatement(s: unknown, index: number, kind: PolicyKind): RawStatement {
  if (!isObject(s)) throw new PolicyIssue('syntax', 'each statement must be an object');
  for (const field of Object.keys(s)) {
    if (!STATEMENT_FIELDS.has(field)) throw new PolicyIssue('unknown-field', `unknown statement field \`${field}\``, { value: field });
  }
  for (const [a, b] of [['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']]) {
    if (s[a as string] !== undefined && s[b as string] !== undefined) {
      throw new PolicyIssue('syntax', `a statement cannot have both \`${a}\` and \`${b}\``);
    }
  }
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyIssue('syntax', '`Sid` must be a string');
  const list = (field: string): string[] | undefined => (s[field] === undefined ? undefined : stringList(s[field], field));
  return {
    index,
    effect: shapeEffect(s.Effect, kind),
    ...(s.Sid === undefined ? {} : { sid: s.Sid as string }),
    ...optional('action', list('Action')),
    ...optional('notAction', list('NotAction')),
    ...optional('resource', list('Resource')),
    ...optional('notResource', list('NotResource')),
    ...optional('principal', s.Principal),
    ...optional('notPrincipal', s.NotPrincipal),
    ...optional('condition', s.Condition === undefined ? undefined : shapeCondition(s.Condition)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function checkPrincipalRules(st: RawStatement, kind: PolicyKind): void {
  const has = st.principal !== undefined || st.notPrincipal !== undefined;
  if (NO_PRINCIPAL.has(kind) && has) {
    throw new PolicyIssue('principal-prohibited', `\`${kind}\` policies cannot name a principal`);
  }
  if ((kind === 'resource' || kind === 'trust' || kind === 'key' || kind === 'rcp') && !has) {
    throw new PolicyIssue('principal-missing', `\`${kind}\` policy statements must name a principal`);
  }
  if ((kind === 'trust' || kind === 'rcp') && st.notPrincipal !== undefined) {
    throw new PolicyIssue('field-prohibited', `\`${kind}\` policies cannot use \`NotPrincipal\``, { value: 'NotPrincipal' });
  }
  if (kind === 'rcp' && st.principal !== '*') {
    throw new PolicyIssue('principal-invalid', 'resource control policies must use `"Principal": "*"`', { value: String(st.principal) });
  }
  if (kind === 'trust') {
    for (const f of ['resource', 'notResource'] as const) {
      if (st[f] !== undefined) {
        const field = f === 'resource' ? 'Resource' : 'NotResource';
        throw new PolicyIssue('field-prohibited', `a trust policy cannot have \`${field}\``, { value: field });
      }
    }
  }
}

// Splits on colons outside `${…}`, so `${aws:username}` stays in one segment.
function arnSegments(r: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < r.length; i++) {
    if (r[i] === '$' && r[i + 1] === '{') {
      const end = r.indexOf('}', i);
      if (end > 0) {
        cur += r.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (r[i] === ':' && out.length < 5) {
      out.push(cur);
      cur = '';
    } else {
      cur += r[i];
    }
  }
  out.push(cur);
  return out;
}

function checkResourceFormat(r: string): void {
  if (r === '*') return;
  const segs = arnSegments(r);
  if (segs.length < 2 || segs[0] !== 'arn') throw new PolicyIssue('resource-format', `resource \`${r}\` is not an arn or \`*\``, { value: r });
  const partition = segs[1] ?? '';
  if (!PARTITIONS.has(partition)) {
    throw new PolicyIssue('resource-partition', `partition \`${partition}\` is not valid in \`${r}\``, { value: r, partition });
  }
  const service = segs[2];
  if (service === undefined || service === '' || /[*?]/.test(service)) {
    throw new PolicyIssue('resource-vendor', `resource \`${r}\` must name its service without wildcards`, { value: r });
  }
  if (segs.length < 6) throw new PolicyIssue('legacy-parsing', `resource \`${r}\` has fewer than six arn segments`, { value: r });
  // IAM refuses a region in IAM ARNs; S3 ARNs with a region or account (access points,
  // `arn:aws:s3::*:bucket`) are accepted, as AWS's own managed policies show.
  if (service === 'iam' && segs[3] !== '' && segs[3] !== '*') {
    throw new PolicyIssue('resource-region', `\`${service}\` resource \`${r}\` cannot name a region`, { value: r, service });
  }
}

function checkActionFormat(a: string, kind: PolicyKind): void {
  if (a === '*') {
    if (kind === 'trust') throw new PolicyIssue('trust-action', 'a trust policy may only allow sts assume-role actions');
    return;
  }
  const parts = a.split(':');
  if (parts.length === 1) throw new PolicyIssue('action-vendor', `action \`${a}\` has no service prefix`, { value: a });
  if (parts.length > 2) throw new PolicyIssue('action-colon', `action \`${a}\` has more than one colon`, { value: a });
  const vendor = parts[0] as string;
  if (!/^[a-zA-Z0-9-]+$/.test(vendor)) {
    throw new PolicyIssue('action-vendor-invalid', `service prefix \`${vendor}\` is not valid`, { value: vendor });
  }
  const lower = a.toLowerCase();
  if (kind === 'trust' && !TRUST_ACTION_RE.test(lower) && !(lower.startsWith('sts:') && lower.includes('*'))) {
    throw new PolicyIssue('trust-action', `a trust policy cannot allow \`${a}\``);
  }
}

/** Validates a parsed JSON document for a policy kind; throws {@link PolicyIssue}. */
export function validateDocument(doc: unknown, kind: PolicyKind): ValidatedDocument {
  if (!isObject(doc)) throw new PolicyIssue('json', 'a policy must be a json object');
  for (const field of Object.keys(doc)) {
    if (!TOP_FIELDS.has(field)) throw new PolicyIssue('unknown-field', `unknown policy field \`${field}\``, { value: field });
  }
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw new PolicyIssue('syntax', '`Id` must be a string');
  if (doc.Version !== undefined && typeof doc.Version !== 'string') throw new PolicyIssue('syntax', '`Version` must be a string');
  if (doc.Statement === undefined) throw new PolicyIssue('missing-statement', 'policy has no `Statement`');
  const rawList = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (rawList.length === 0) throw new PolicyIssue('syntax', '`Statement` must not be empty');
  const statements = rawList.map((s, i) => shapeStatement(s, i, kind));

  const version = doc.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyIssue('version', `version \`${String(version)}\` is not 2012-10-17 or 2008-10-17`);
  }
  for (const st of statements) checkPrincipalRules(st, kind);

  const sids = new Set<string>();
  for (const st of statements) {
    if (st.sid === undefined || st.sid === '') continue;
    if (sids.has(st.sid)) throw new PolicyIssue('sid-unique', `statement id \`${st.sid}\` is used twice`);
    sids.add(st.sid);
    if (IAM_FAMILY.has(kind) && !/^[0-9A-Za-z]*$/.test(st.sid)) {
      throw new PolicyIssue('sid-format', `statement id \`${st.sid}\` must be alphanumeric`);
    }
  }
  for (const st of statements) {
    if ((st.action ?? st.notAction ?? []).length === 0) throw new PolicyIssue('missing-actions', 'statement has no actions');
  }
  for (const st of statements) {
    if (kind !== 'trust' && (st.resource ?? st.notResource ?? []).length === 0) {
      throw new PolicyIssue('missing-resources', 'statement has no resources');
    }
  }
  for (const st of statements) for (const r of st.resource ?? st.notResource ?? []) checkResourceFormat(r);
  for (const st of statements) {
    if (kind === 'trust' && st.notAction !== undefined) {
      throw new PolicyIssue('trust-action', 'a trust policy cannot use `NotAction`');
    }
    for (const a of st.action ?? st.notAction ?? []) checkActionFormat(a, kind);
  }
  return { version, id: doc.Id as string | undefined, statements };
}
