/**
 * Sessions an AWS service takes on a customer's role to act for them (EventBridge calling a
 * target, Scheduler running a schedule): AssumeRole made as the service principal, so the
 * role's trust policy decides, then reused for 15 minutes per service and role.
 */
import { randomBytes } from 'node:crypto';
import { servicePrincipal, type Principal } from '../core/identity.js';
import type { ServiceHost } from './types.js';

export interface RoleSession { principal: Principal; accessKeyId: string; untilMs: number }

const REUSE_MS = 15 * 60_000;
const sessions = new WeakMap<ServiceHost, Map<string, RoleSession>>();

/** A session of `roleArn` assumed by `service` (e.g. `events.amazonaws.com`) in `account`. */
export async function roleSession(host: ServiceHost, service: string, roleArn: string, account: string, region: string): Promise<RoleSession> {
  let cache = sessions.get(host);
  if (!cache) sessions.set(host, (cache = new Map()));
  const key = `${service}\n${roleArn}`;
  const hit = cache.get(key);
  const now = host.clock.nowMs();
  if (hit && hit.untilMs > now) return hit;
  const out = await host.call({
    service: 'sts', operation: 'AssumeRole', region, principal: servicePrincipal(service, account),
    input: { RoleArn: roleArn, RoleSessionName: randomBytes(16).toString('hex') },
  });
  const accessKeyId = (out['Credentials'] as { AccessKeyId: string }).AccessKeyId;
  const session = { principal: host.identities.lookup(accessKeyId)!.principal, accessKeyId, untilMs: now + REUSE_MS };
  cache.set(key, session);
  return session;
}
