/**
 * The request context: the condition keys of one request, normalized once (lowercase
 * keys, string values), including the global keys AWS derives from the principal and the
 * clock. Caller-supplied keys win over derived ones, so a service can set or clear any key.
 */
import { parseDate, parseIp, type IpValue } from './scalars.js';
import type { AuthzRequest, ContextValue, RequestPrincipal } from './types.js';

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

/**
 * The role ARN behind a session: `issuerArn` when given, else derived from
 * `arn:aws:sts::123456789012:assumed-role/Name/session` (without the role's path).
 */
export function issuerArnOf(p: RequestPrincipal): string | undefined {
  if (p.issuerArn !== undefined) return p.issuerArn;
  if (p.type !== 'assumed-role') return undefined;
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(p.arn);
  return m === null ? undefined : `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
}

function normalize(value: ContextValue | undefined): readonly string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  return value.length === 0 ? undefined : value;
}

function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** The normalized condition context of one request. */
export class RequestContext {
  readonly #values = new Map<string, readonly string[]>();
  readonly #dates = new Map<string, number>();
  readonly #ips = new Map<string, IpValue | undefined>();

  /** A lookup for policy variables; bound once so matchers can pass it around. */
  readonly lookup = (key: string): string | undefined => {
    const v = this.#values.get(key);
    // Multivalued keys cannot be policy variables.
    return v !== undefined && v.length === 1 ? v[0] : undefined;
  };

  constructor(request: AuthzRequest) {
    const p = request.principal;
    const set = (key: string, value: ContextValue | undefined): void => {
      const v = normalize(value);
      if (v === undefined) this.#values.delete(key);
      else this.#values.set(key, v);
    };
    const isService = p.type === 'service';
    set('aws:principalarn', isService ? undefined : p.type === 'assumed-role' ? issuerArnOf(p) ?? p.arn : p.arn);
    set('aws:principalaccount', isService ? undefined : p.account);
    set('aws:principaltype', PRINCIPAL_TYPE[p.type]);
    set('aws:userid', isService ? undefined : p.userId);
    if (p.type === 'user') set('aws:username', p.arn.slice(p.arn.lastIndexOf('/') + 1));
    set('aws:principalisawsservice', isService);
    if (isService) set('aws:principalservicename', p.arn);
    set('aws:principalorgid', p.orgId);
    set('aws:principalorgpaths', p.orgPaths);
    for (const [k, v] of Object.entries(p.tags ?? {})) set(`aws:principaltag/${k.toLowerCase()}`, v);
    for (const [k, v] of Object.entries(p.sessionTags ?? {})) set(`aws:principaltag/${k.toLowerCase()}`, v);
    set('aws:currenttime', isoSeconds(request.now));
    set('aws:epochtime', Math.floor(request.now.getTime() / 1000));
    const resourceAccount = request.resourcePolicy?.resourceAccount ?? request.resourceAccount;
    set('aws:resourceaccount', resourceAccount);
    for (const [k, v] of Object.entries(request.context)) set(k.toLowerCase(), v);
  }

  /** The values of a key (lowercase), or undefined when the key is absent. */
  values(key: string): readonly string[] | undefined {
    return this.#values.get(key);
  }

  /** All keys present, lowercase (for explanations and the simulator). */
  keys(): string[] {
    return [...this.#values.keys()];
  }

  /** A context value parsed as a date, memoized for the request. */
  dateOf(value: string): number {
    let ms = this.#dates.get(value);
    if (ms === undefined) {
      ms = parseDate(value);
      this.#dates.set(value, ms);
    }
    return ms;
  }

  /** A context value parsed as an IP address, memoized for the request. */
  ipOf(value: string): IpValue | undefined {
    if (this.#ips.has(value)) return this.#ips.get(value);
    const ip = parseIp(value);
    this.#ips.set(value, ip);
    return ip;
  }
}
