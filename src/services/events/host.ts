/**
 * The app facilities that background work needs (scheduled rules, retries, S3 events, the
 * delivery port), remembered per app when the service installs: a handler's ctx reaches them
 * through its stores. Also the role sessions EventBridge takes to call targets that need one.
 */
import { randomBytes } from 'node:crypto';
import { servicePrincipal, type Principal } from '../../core/identity.js';
import type { Stores } from '../../core/store.js';
import type { ServiceHost } from '../types.js';

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

interface Session { principal: Principal; accessKeyId: string; untilMs: number }
const sessions = new WeakMap<ServiceHost, Map<string, Session>>();

/** A session of `roleArn` assumed by EventBridge (the role's trust policy decides), reused for 15 minutes. */
export async function roleSession(host: ServiceHost, roleArn: string, account: string, region: string): Promise<{ principal: Principal; accessKeyId: string }> {
  let cache = sessions.get(host);
  if (!cache) sessions.set(host, (cache = new Map()));
  const hit = cache.get(roleArn);
  const now = host.clock.nowMs();
  if (hit && hit.untilMs > now) return hit;
  const out = await host.call({
    service: 'sts', operation: 'AssumeRole', region, principal: eventsPrincipal(account),
    input: { RoleArn: roleArn, RoleSessionName: randomBytes(16).toString('hex') },
  });
  const key = (out['Credentials'] as { AccessKeyId: string }).AccessKeyId;
  const principal = host.identities.lookup(key)!.principal;
  const session = { principal, accessKeyId: key, untilMs: now + 15 * 60_000 };
  cache.set(roleArn, session);
  return session;
}
