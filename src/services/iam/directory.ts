/**
 * The {@link IamDirectory} port: what the gateway (authorization), STS (trust policies,
 * role limits) and the simulator read from IAM, over the IAM state of every account.
 */
import type { Principal } from '../../core/identity.js';
import { parseArn } from '../../core/ids.js';
import type { Clock } from '../../core/clock.js';
import type { IamDirectory, IamOidcProviderInfo, IamRoleInfo, IamRoleSpec, IamUserInfo, StoredPolicy } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { tagMap } from './common.js';
import { managedDocument } from './managed.js';
import { codeMatches } from './mfa.js';
import { checkTrustPolicy } from './roles.js';
import { entityArn, iamState, iso, key, uniqueId, type GroupRec, type PolicyHolder, type RoleRec, type UserRec } from './store.js';

/** The policies of one holder (user, group or role): its inline ones, then the attached ones. */
export function holderPolicies(stores: Stores, arn: string, h: PolicyHolder, seen = new Set<string>()): StoredPolicy[] {
  const out: StoredPolicy[] = [];
  for (const [name, document] of Object.entries(h.inline)) out.push({ id: `${arn}/inline/${name}`, name, document });
  for (const policyArn of h.attached) {
    if (seen.has(policyArn)) continue;
    seen.add(policyArn);
    const m = managedDocument(stores, policyArn);
    if (m !== undefined) out.push({ id: policyArn, name: m.name, document: m.document });
  }
  return out;
}

function lastSegment(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

/** IAM as the rest of Drydock sees it. */
export class IamDirectoryImpl implements IamDirectory {
  readonly #stores: Stores;
  readonly #clock: Clock | undefined;

  /** `clock` dates the roles made through {@link createRole}; without it they are dated at the epoch. */
  constructor(stores: Stores, clock?: Clock) {
    this.#stores = stores;
    this.#clock = clock;
  }

  policiesFor(principal: Principal): { identity: StoredPolicy[]; boundary?: StoredPolicy } {
    const holder = this.#holderOf(principal);
    if (holder === undefined) return { identity: [] };
    const s = iamState(this.#stores, principal.account);
    const seen = new Set<string>();
    const identity = holderPolicies(this.#stores, holder.arn, holder.rec, seen);
    if (holder.kind === 'user') {
      for (const g of (holder.rec as UserRec).groups) {
        const group = s.groups.get(key(g));
        if (group !== undefined) identity.push(...holderPolicies(this.#stores, entityArn(s.account, 'group', group.path, group.name), group, seen));
      }
    }
    const boundaryArn = (holder.rec as UserRec | RoleRec).boundary;
    const b = boundaryArn === undefined ? undefined : managedDocument(this.#stores, boundaryArn);
    return b === undefined || boundaryArn === undefined ? { identity } : { identity, boundary: { id: boundaryArn, name: b.name, document: b.document } };
  }

  instanceProfileRoles(account: string, profileName: string): string[] | undefined {
    const s = iamState(this.#stores, account);
    const profile = s.instanceProfiles.get(key(profileName));
    if (profile === undefined) return undefined;
    return profile.roles.flatMap((name) => {
      const r = s.roles.get(key(name));
      return r === undefined ? [] : [entityArn(account, 'role', r.path, r.name)];
    });
  }

  role(account: string, roleName: string): IamRoleInfo | undefined {
    const r = iamState(this.#stores, account).roles.get(key(roleName));
    if (r === undefined) return undefined;
    const info: IamRoleInfo = {
      arn: entityArn(account, 'role', r.path, r.name),
      roleId: r.id,
      name: r.name,
      path: r.path,
      account,
      trustPolicy: r.trust,
      maxSessionDuration: r.maxSessionDuration,
      tags: tagMap(r.tags),
    };
    if (r.boundary !== undefined) info.permissionsBoundaryArn = r.boundary;
    return info;
  }

  user(account: string, userName: string): IamUserInfo | undefined {
    const u = iamState(this.#stores, account).users.get(key(userName));
    if (u === undefined) return undefined;
    return { arn: entityArn(account, 'user', u.path, u.name), userId: u.id, name: u.name, path: u.path, account, tags: tagMap(u.tags) };
  }

  /** Makes a role for another service (Organizations' access role); an existing one is left as it is. */
  createRole(account: string, spec: IamRoleSpec): IamRoleInfo {
    const s = iamState(this.#stores, account);
    if (!s.roles.has(key(spec.name))) {
      checkTrustPolicy(spec.trustPolicy);
      const r: RoleRec = {
        name: spec.name, path: '/', id: uniqueId('AROA'), createDate: iso(this.#clock?.now() ?? new Date(0)), inline: {},
        attached: [...(spec.managedPolicyArns ?? [])], trust: spec.trustPolicy, maxSessionDuration: 3600, tags: [],
        ...(spec.description === undefined ? {} : { description: spec.description }),
      };
      s.roles.set(key(spec.name), r);
    }
    return this.role(account, spec.name) as IamRoleInfo;
  }

  /** The account's OIDC provider for an issuer, with or without `https://` and a trailing slash. */
  oidcProvider(account: string, issuerUrl: string): IamOidcProviderInfo | undefined {
    const url = issuerUrl.replace(/^https:\/\//, '').replace(/\/+$/, '');
    const p = iamState(this.#stores, account).oidc.get(`arn:aws:iam::${account}:oidc-provider/${url}`);
    return p === undefined ? undefined : { arn: p.arn, url: p.url, clientIds: [...p.clientIds], thumbprints: [...p.thumbprints] };
  }

  managedPolicy(arn: string): StoredPolicy | undefined {
    const m = managedDocument(this.#stores, arn);
    return m === undefined ? undefined : { id: arn, name: m.name, document: m.document };
  }

  principalTags(principal: Principal): Record<string, string> {
    const holder = this.#holderOf(principal);
    return holder === undefined || holder.kind === 'group' ? {} : tagMap((holder.rec as UserRec | RoleRec).tags);
  }

  /** Tags of an IAM resource ARN (user, role, managed policy, instance profile, provider), for aws:ResourceTag. */
  resourceTags(arn: string): Record<string, string> | undefined {
    const p = parseArn(arn);
    if (p === undefined || p.service !== 'iam' || !/^\d{12}$/.test(p.account)) return undefined;
    const s = iamState(this.#stores, p.account);
    const kind = p.resource.slice(0, p.resource.indexOf('/'));
    const name = key(lastSegment(p.resource));
    const tags =
      kind === 'user' ? s.users.get(name)?.tags
      : kind === 'role' ? s.roles.get(name)?.tags
      : kind === 'policy' ? s.policies.get(name)?.tags
      : kind === 'instance-profile' ? s.instanceProfiles.get(name)?.tags
      : kind === 'oidc-provider' ? s.oidc.get(arn)?.tags
      : kind === 'saml-provider' ? s.saml.get(arn)?.tags
      : undefined;
    return tags === undefined ? undefined : tagMap(tags);
  }

  /** Notes that a role was assumed (GetRole's RoleLastUsed); for STS to call. */
  recordRoleUse(account: string, roleName: string, region: string, when: Date): void {
    const s = iamState(this.#stores, account);
    const r = s.roles.get(key(roleName));
    if (r !== undefined) s.roles.set(key(roleName), { ...r, lastUsed: { date: iso(when), region } });
  }

  /** Notes that an access key signed a request (GetAccessKeyLastUsed); for the gateway to call. */
  recordAccessKeyUse(account: string, accessKeyId: string, service: string, region: string, when: Date): void {
    const s = iamState(this.#stores, account);
    const k = s.accessKeys.get(accessKeyId);
    if (k !== undefined) s.accessKeys.set(accessKeyId, { ...k, lastUsed: { date: iso(when), service, region } });
  }

  /**
   * Whether `code` is the current TOTP code of the MFA device `serialNumber` enabled for a
   * user of `account` (STS GetSessionToken/AssumeRole with SerialNumber and TokenCode).
   */
  checkMfaCode(account: string, serialNumber: string, code: string, now: Date): boolean {
    const d = iamState(this.#stores, account).mfaDevices.get(serialNumber);
    return d !== undefined && d.user !== undefined && codeMatches(d, code, now);
  }

  // The user, role or group whose policies apply to a principal.
  #holderOf(p: Principal): { kind: 'user' | 'role' | 'group'; arn: string; rec: PolicyHolder } | undefined {
    const s = iamState(this.#stores, p.account);
    if (p.type === 'user' || p.type === 'federated-user') {
      const name = p.type === 'user' ? p.issuerName ?? p.name ?? lastSegment(p.arn) : p.issuerName ?? lastSegment(p.issuerArn ?? '');
      const u = s.users.get(key(name));
      return u === undefined ? undefined : { kind: 'user', arn: entityArn(s.account, 'user', u.path, u.name), rec: u };
    }
    if (p.type === 'assumed-role') {
      const name = p.issuerName ?? (p.issuerArn !== undefined ? lastSegment(p.issuerArn) : /assumed-role\/([^/]+)\//.exec(p.arn)?.[1]);
      const r = name === undefined ? undefined : s.roles.get(key(name));
      return r === undefined ? undefined : { kind: 'role', arn: entityArn(s.account, 'role', r.path, r.name), rec: r };
    }
    return undefined;
  }
}

/** The policies of a user, group or role named by its ARN (for SimulatePrincipalPolicy). */
export function policiesOfEntity(stores: Stores, arn: string): { kind: 'user' | 'group' | 'role'; identity: StoredPolicy[]; boundaryArn?: string; tags: Record<string, string>; id: string } | undefined {
  const p = parseArn(arn);
  if (p === undefined || p.service !== 'iam') return undefined;
  const s = iamState(stores, p.account);
  const kind = p.resource.slice(0, p.resource.indexOf('/'));
  const name = key(lastSegment(p.resource));
  if (kind === 'group') {
    const g: GroupRec | undefined = s.groups.get(name);
    return g === undefined ? undefined : { kind: 'group', identity: holderPolicies(stores, arn, g), tags: {}, id: g.id };
  }
  if (kind !== 'user' && kind !== 'role') return undefined;
  const dir = new IamDirectoryImpl(stores);
  const rec = kind === 'user' ? s.users.get(name) : s.roles.get(name);
  if (rec === undefined) return undefined;
  const principal: Principal = kind === 'user'
    ? { type: 'user', account: p.account, arn, userId: rec.id, name: rec.name }
    : { type: 'assumed-role', account: p.account, arn, userId: rec.id, issuerName: rec.name };
  const out = { kind, identity: dir.policiesFor(principal).identity, tags: tagMap(rec.tags), id: rec.id } as const;
  return rec.boundary === undefined ? out : { ...out, boundaryArn: rec.boundary };
}
