/**
 * The app facilities that background work needs (scheduled rules, retries, S3 events, the
 * delivery port), remembered per app when the service installs: a handler's ctx reaches them
 * through its stores. Also the role sessions EventBridge takes to call targets that need one.
 */
import { servicePrincipal, type Principal } from '../../core/identity.js';
import type { Stores } from '../../core/store.js';
import type { ServiceHost } from '../types.js';
import { roleSession as sharedRoleSession } from '../role-sessions.js';

const hosts = new WeakMap<Stores, ServiceHost>();

export function rememberHost(host: ServiceHost): void {
  hosts.set(host.stores, host);
}

export function hostFor(stores: Stores): ServiceHost {
  const h = hosts.get(stores);
  if (!h) throw new Error('events service is not installed in this app');
  return h;
}

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

export function eventsPrincipal(account: string): Principal {
  return servicePrincipal(EVENTS_PRINCIPAL, account);
}

/** A session of `roleArn` assumed by EventBridge (the role's trust policy decides), reused for 15 minutes. */
export function roleSession(host: ServiceHost, roleArn: string, account: string, region: string): Promise<{ principal: Principal; accessKeyId: string }> {
  return sharedRoleSession(host, EVENTS_PRINCIPAL, roleArn, account, region);
}
