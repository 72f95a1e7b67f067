/**
 * A stand-in IAM directory for STS and Organizations tests, installed on the app's ports
 * in place of the IAM service: roles with trust policies, OIDC providers, principal tags.
 */
import type { Principal } from '../../../src/core/identity.js';
import type { IamDirectory, IamOidcProviderInfo, IamRoleInfo, IamRoleSpec, StoredPolicy } from '../../../src/core/ports.js';
import type { RunningDrydock } from '../../../src/embedded/index.js';

/**
 * Installs a fake IAM on a running Drydock. The IAM and Organizations services are loaded
 * first, so that their own install (which fills the ports) cannot replace the fake later.
 */
export async function installFakeIam(dd: RunningDrydock, iam = new FakeIam()): Promise<FakeIam> {
  await Promise.all([dd.app.service('iam'), dd.app.service('organizations')]);
  dd.app.ports.iam = iam;
  return iam;
}

export class FakeIam implements IamDirectory {
  readonly roles = new Map<string, IamRoleInfo & { managedPolicyArns?: string[] }>();
  readonly providers = new Map<string, IamOidcProviderInfo>();
  readonly tags = new Map<string, Record<string, string>>();
  /** Identity policies by user or role ARN. */
  readonly identity = new Map<string, StoredPolicy[]>();
  #next = 1;

  addRole(account: string, name: string, trust: object | string, opts: { maxSessionDuration?: number; tags?: Record<string, string>; path?: string } = {}): IamRoleInfo {
    const path = opts.path ?? '/';
    const role: IamRoleInfo = {
      arn: `arn:aws:iam::${account}:role${path}${name}`,
      roleId: `AROA${String(this.#next++).padStart(17, '0')}`,
      name,
      path,
      account,
      trustPolicy: typeof trust === 'string' ? trust : JSON.stringify(trust),
      maxSessionDuration: opts.maxSessionDuration ?? 3600,
      tags: opts.tags ?? {},
    };
    this.roles.set(`${account}/${name}`, role);
    return role;
  }

  addOidcProvider(account: string, url: string, clientIds: string[]): IamOidcProviderInfo {
    const bare = url.replace(/^https?:\/\//, '');
    const p = { arn: `arn:aws:iam::${account}:oidc-provider/${bare}`, url: bare, clientIds, thumbprints: [] };
    this.providers.set(`${account}/${bare.toLowerCase()}`, p);
    return p;
  }

  /** Gives a user or role (by ARN) an identity policy. */
  allow(arn: string, document: object): void {
    const list = this.identity.get(arn) ?? [];
    list.push({ id: `${arn}/inline/p${list.length}`, name: `p${list.length}`, document: JSON.stringify(document) });
    this.identity.set(arn, list);
  }

  policiesFor(p: Principal): { identity: StoredPolicy[] } {
    return { identity: this.identity.get(p.issuerArn ?? p.arn) ?? [] };
  }

  role(account: string, roleName: string): IamRoleInfo | undefined {
    return this.roles.get(`${account}/${roleName}`);
  }

  user(): undefined {
    return undefined;
  }

  managedPolicy(): undefined {
    return undefined;
  }

  principalTags(p: Principal): Record<string, string> {
    return this.tags.get(p.issuerArn ?? p.arn) ?? {};
  }

  createRole(account: string, spec: IamRoleSpec): IamRoleInfo {
    const existing = this.role(account, spec.name);
    if (existing !== undefined) return existing;
    const role = this.addRole(account, spec.name, spec.trustPolicy);
    this.roles.set(`${account}/${spec.name}`, { ...role, managedPolicyArns: spec.managedPolicyArns ?? [] });
    return role;
  }

  oidcProvider(account: string, issuerUrl: string): IamOidcProviderInfo | undefined {
    return this.providers.get(`${account}/${issuerUrl.replace(/^https?:\/\//, '').toLowerCase()}`);
  }
}
