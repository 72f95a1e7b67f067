// A deliberately naive reference evaluator for the differential test. It reads raw JSON
// every time, builds a fresh regex for every comparison, knows only IAM users, and covers
// the subset the generator produces: Action/NotAction, Resource/NotResource with
// ${aws:username}, Principal/NotPrincipal with AWS ARNs and accounts, String*/Null
// conditions with IfExists and set qualifiers, identity, boundary, SCP levels, and a
// resource policy in the same or another account. Slow and obvious on purpose.
type Json = any;

export interface RefUser { arn: string; account: string; name: string; tags: Record<string, string> }
export interface RefRequest {
  user: RefUser;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  identity: Json[];
  boundary?: Json;
  scpLevels: Json[][];
  resourcePolicy?: { doc: Json; account: string };
}
export type RefDecision = { decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny'; type?: string };

const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const glob = (p: string, s: string) =>
  new RegExp(`^${[...p].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : esc(c))).join('')}$`, 's').test(s);

function arnMatch(pattern: string, value: string, user: RefUser): boolean {
  const p = pattern.split('${aws:username}').join(user.name);
  const split = (s: string) => { const x = s.split(':'); return [...x.slice(0, 5), x.slice(5).join(':')]; };
  if (p.startsWith('arn:') && value.startsWith('arn:') && p.split(':').length >= 6 && value.split(':').length >= 6) {
    const ps = split(p), vs = split(value);
    return ps.every((seg, i) => glob(seg, vs[i] as string));
  }
  return glob(p, value);
}

function conditionHolds(cond: Json, ctx: Record<string, string[]>): boolean {
  for (const [op, block] of Object.entries(cond ?? {})) {
    for (const [key, raw] of Object.entries(block as Json)) {
      const want = list(raw).map(String);
      const have = ctx[key.toLowerCase()] ?? [];
      const base = op.replace(/^For(AllValues|AnyValue):/, '').replace(/IfExists$/, '');
      const neg = base.includes('Not');
      const one = (v: string) => want.some((w) => (base.includes('Like') ? glob(w, v) : w === v));
      let ok: boolean;
      if (base === 'Null') ok = want.includes(String(have.length === 0));
      else if (have.length === 0) ok = op.endsWith('IfExists') || op.startsWith('ForAllValues') || (neg && !op.startsWith('ForAny'));
      else if (op.startsWith('ForAllValues')) ok = have.every((v) => one(v) !== neg);
      else if (op.startsWith('ForAnyValue')) ok = have.some((v) => one(v) !== neg);
      else ok = have.some(one) !== neg;
      if (!ok) return false;
    }
  }
  return true;
}

function principalNames(p: Json, u: RefUser): 'direct' | 'account' | undefined {
  if (p === '*') return 'direct';
  let best: 'account' | undefined;
  for (const v of list(p.AWS)) {
    if (v === '*' || v === u.arn) return 'direct';
    if (v === u.account || v === `arn:aws:iam::${u.account}:root`) best = 'account';
  }
  return best;
}

function applies(s: Json, r: RefRequest, ctx: Record<string, string[]>): 'direct' | 'account' | undefined {
  const actionHit = list(s.Action ?? s.NotAction).some((a: string) => glob(a.toLowerCase(), r.action.toLowerCase()));
  if (actionHit === (s.NotAction !== undefined)) return undefined;
  const resHit = list(s.Resource ?? s.NotResource).some((p: string) => arnMatch(p, r.resource, r.user));
  if (resHit === (s.NotResource !== undefined)) return undefined;
  let how: 'direct' | 'account' | undefined = 'direct';
  if (s.Principal !== undefined) how = principalNames(s.Principal, r.user);
  if (s.NotPrincipal !== undefined) {
    const names = list(s.NotPrincipal.AWS);
    const excluded = names.includes(r.user.arn) && (names.includes(r.user.account) || names.includes(`arn:aws:iam::${r.user.account}:root`));
    how = excluded ? undefined : 'direct';
  }
  return how !== undefined && conditionHolds(s.Condition, ctx) ? how : undefined;
}

export function referenceEvaluate(r: RefRequest): RefDecision {
  const ctx: Record<string, string[]> = { 'aws:username': [r.user.name] };
  for (const [k, v] of Object.entries(r.user.tags)) ctx[`aws:principaltag/${k.toLowerCase()}`] = [v];
  for (const [k, v] of Object.entries(r.context)) ctx[k.toLowerCase()] = list(v);
  const stmts = (d: Json) => list(d?.Statement);
  const hits = (docs: Json[], effect: string) => docs.flatMap(stmts).filter((s) => s.Effect === effect).map((s) => applies(s, r, ctx)).filter((h) => h !== undefined);
  const groups: [string, Json[]][] = [
    ['scp', r.scpLevels.flat()], ['resource', r.resourcePolicy ? [r.resourcePolicy.doc] : []],
    ['identity', r.identity], ['boundary', r.boundary ? [r.boundary] : []],
  ];
  for (const [type, docs] of groups) if (hits(docs, 'Deny').length > 0) return { decision: 'ExplicitDeny', type };
  for (const level of r.scpLevels) if (hits(level, 'Allow').length === 0) return { decision: 'ImplicitDeny', type: 'scp' };
  const res = r.resourcePolicy ? hits([r.resourcePolicy.doc], 'Allow') : [];
  const identityOk = hits(r.identity, 'Allow').length > 0;
  const boundaryOk = !r.boundary || hits([r.boundary], 'Allow').length > 0;
  const cross = r.resourcePolicy !== undefined && r.resourcePolicy.account !== r.user.account;
  if (!cross && res.includes('direct')) return { decision: 'Allow' };
  if (!identityOk) return { decision: 'ImplicitDeny', type: 'identity' };
  if (!boundaryOk) return { decision: 'ImplicitDeny', type: 'boundary' };
  if (cross && res.length === 0) return { decision: 'ImplicitDeny', type: 'resource' };
  return { decision: 'Allow' };
}
