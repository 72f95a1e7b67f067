/**
 * What the rest of Drydock reads from Organizations ({@link OrgDirectory}): an account's
 * organization, its path, and the SCPs and RCPs at every level from the root down. The
 * gateway asks on every request, so answers are cached per organization version.
 */
import type { OrgAccountInfo, OrgDirectory, OrgPolicyLevel } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { chain } from './ops.js';
import { policiesAt } from './policy-ops.js';
import { OrgStore, RCP, SCP, type OrgRecord, type PolicyType } from './store.js';

function levels(org: OrgRecord, account: string, type: PolicyType): OrgPolicyLevel[] {
  if (!org.enabledTypes.includes(type)) return [];
  return chain(org, account).map((level) => ({
    level,
    policies: policiesAt(org, level, type).map((p) => ({ id: p.id, name: p.name, document: p.content })),
  }));
}

/** The organization facts of one member account. */
export function accountInfoOf(org: OrgRecord, account: string): OrgAccountInfo {
  const path = chain(org, account);
  path.pop();
  return {
    orgId: org.id,
    managementAccount: org.managementAccount,
    orgPath: `${org.id}/${path.join('/')}/`,
    scpLevels: levels(org, account, SCP),
    rcpLevels: levels(org, account, RCP),
  };
}

/** The directory over an app's stores. */
export function orgDirectory(stores: Stores): OrgDirectory {
  const cache = new Map<string, { key: string; info: OrgAccountInfo }>();
  return {
    accountInfo(account) {
      const org = OrgStore.of(stores).orgOf(account);
      if (org === undefined) return undefined;
      const key = `${org.id}:${org.version}`;
      const hit = cache.get(account);
      if (hit !== undefined && hit.key === key) return hit.info;
      const info = accountInfoOf(org, account);
      if (cache.size >= 10000) cache.clear();
      cache.set(account, { key, info });
      return info;
    },
  };
}
