/**
 * The request context: the condition keys of one request, case-insensitive, including
 * the global keys AWS derives from the principal and the clock. Caller-supplied keys win
 * over derived ones (a `null` clears one), so a service can set or override any key.
 *
 * Derived keys are computed only when a policy asks for them: most requests touch a
 * handful of keys, and building all of them up front dominated evaluation time.
 */
import { parseDate, parseIp, type IpValue } from './scalars.js';
import type { AuthzRequest, ContextValue, RequestPrincipal } from './types.js';
import type { VarLookup } from './variables.js';

const PRINCIPAL_TYPE: Record<RequestPrincipal['type'], string | undefined> = {
  root: 'Account',
  user: 'User',
  role: 'AssumedRole',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  federated: 'WebIdentityUser',
  anonymous: 'Anonymous',
  service: undefined,
};

const ISSUERS = new WeakMap<RequestPrincipal, string | null>();

/**
 * The role ARN behind a session: `issuerArn` when given, else derived from
 * `arn:aws:sts::123456789012:assumed-role/Name/session` (without the role's path).
 */
export function issuerArnOf(p: RequestPrincipal): string | undefined {
  if (p.issuerArn !== undefined) return p.issuerArn;
  if (p.type !== 'assumed-role') return undefined;
  let issuer = ISSUERS.get(p);
  if (issuer === undefined) {
    const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(p.arn);
    issuer = m === null ? null : `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
    ISSUERS.set(p, issuer);
  }
  return issuer ?? undefined;
}

function normalize(value: ContextValue | undefined): readonly string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  return value.length === 0 ? undefined : value;
}

let lastMs = Number.NaN;
let lastIso = '';

// AWS renders aws:CurrentTime to the second; memoized because requests share seconds.
function isoSeconds(d: Date): string {
  const ms = Math.floor(d.getTime() / 1000) * 1000;
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = `${new Date(ms).toISOString().slice(0, 19)}Z`;
  }
  return lastIso;
}

function tagValue(tags: Readonly<Record<string, string>> | undefined, lowerKey: string): string | undefined {
  if (tags === undefined) return undefined;
  for (const k in tags) if (k.toLowerCase() === lowerKey) return tags[k];
  return undefined;
}

const ABSENT: readonly string[] = [];

/** The condition context of one request. */
export class RequestContext {
  readonly #request: AuthzRequest;
  readonly #given = new Map<string, ContextValue>();
  readonly #memo = new Map<string, readonly string[]>();
  #dates: Map<string, number> | undefined;
  #ips: Map<string, IpValue | undefined> | undefined;

  /** Policy-variable lookup, bound once per request: single-valued keys only. */
  readonly lookup: VarLookup;

  constructor(request: AuthzRequest) {
    this.#request = request;
    const ctx = request.context;
    for (const k in ctx) this.#given.set(k.toLowerCase(), ctx[k] as ContextValue);
    this.lookup = (key) => {
      const v = this.values(key);
      // Multivalued keys cannot be policy variables.
      return v !== undefined && v.length === 1 ? v[0] : undefined;
    };
  }

  /** The values of a key (lowercase), or undefined when the key is absent. */
  values(key: string): readonly string[] | undefined {
    let v = this.#memo.get(key);
    if (v === undefined) {
      v = (this.#given.has(key) ? normalize(this.#given.get(key)) : this.#derive(key)) ?? ABSENT;
      this.#memo.set(key, v);
    }
    return v === ABSENT ? undefined : v;
  }

  /** A context value parsed as a date, memoized for the request. */
  dateOf(value: string): number {
    this.#dates ??= new Map();
    let ms = this.#dates.get(value);
    if (ms === undefined) {
      ms = parseDate(value);
      this.#dates.set(value, ms);
    }
    return ms;
  }

  /** A context value parsed as an IP address, memoized for the request. */
  ipOf(value: string): IpValue | undefined {
    this.#ips ??= new Map();
    if (this.#ips.has(value)) return this.#ips.get(value);
    const ip = parseIp(value);
    this.#ips.set(value, ip);
    return ip;
  }

  // The global keys AWS sets from the principal, the clock and the resource's account.
  #derive(key: string): readonly string[] | undefined {
    const req = this.#request;
    const p = req.principal;
    const service = p.type === 'service';
    const one = (v: string | undefined): readonly string[] | undefined => (v === undefined ? undefined : [v]);
    switch (key) {
      case 'aws:principalarn':
        return service ? undefined : one(p.type === 'assumed-role' ? issuerArnOf(p) ?? p.arn : p.arn);
      case 'aws:principalaccount':
        return service ? undefined : one(p.account);
      case 'aws:principaltype':
        return one(PRINCIPAL_TYPE[p.type]);
      case 'aws:userid':
        return service ? undefined : one(p.userId);
      case 'aws:username':
        return p.type === 'user' ? one(p.arn.slice(p.arn.lastIndexOf('/') + 1)) : undefined;
      case 'aws:principalisawsservice':
        return [String(service)];
      case 'aws:principalservicename':
        return service ? one(p.arn) : undefined;
      case 'aws:principalorgid':
        return one(p.orgId);
      case 'aws:principalorgpaths':
        return p.orgPaths === undefined || p.orgPaths.length === 0 ? undefined : p.orgPaths;
      case 'aws:currenttime':
        return [isoSeconds(req.now)];
      case 'aws:epochtime':
        return [String(Math.floor(req.now.getTime() / 1000))];
      case 'aws:resourceaccount':
        return one(req.resourcePolicy?.resourceAccount ?? req.resourceAccount);
      default:
        break;
    }
    if (key.startsWith('aws:principaltag/')) {
      const tag = key.slice(17);
      return one(tagValue(p.sessionTags, tag) ?? tagValue(p.tags, tag));
    }
    return undefined;
  }
}
