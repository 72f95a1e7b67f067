/** Shared by the v2 handlers: the caller's state, saving, auto-deploy and paging. */
import type { ServiceContext } from '../../types.js';
import { apiOf as find, clean, snapshotOf, v2Id, v2State, type ApiRecord, type V2State } from '../store.js';

export function state(ctx: ServiceContext): V2State {
  return v2State(ctx.stores, ctx.account, ctx.region);
}

export function apiOf(ctx: ServiceContext, id: unknown): ApiRecord {
  return find(state(ctx), id);
}

/**
 * Writes a changed API back. With `deploy`, stages that auto-deploy get a fresh deployment of
 * the API as it now is, as AWS does on every change of routes, integrations or authorizers.
 */
export function save(ctx: ServiceContext, api: ApiRecord, deploy = false): void {
  if (deploy) {
    const auto = Object.values(api.stages).filter((s) => s.AutoDeploy);
    if (auto.length) {
      const d = { DeploymentId: v2Id(6), CreatedDate: ctx.clock.nowMs(), AutoDeployed: true, snapshot: snapshotOf(api) };
      api.deployments[d.DeploymentId] = d;
      for (const s of auto) {
        s.DeploymentId = d.DeploymentId;
        s.LastUpdatedDate = d.CreatedDate;
      }
    }
  }
  state(ctx).apis.set(api.ApiId, api);
}

/** v2 paging: MaxResults (string) and an opaque NextToken. */
export function page<T>(items: T[], input: Record<string, unknown>): { Items: T[]; NextToken?: string } {
  const max = input['MaxResults'] === undefined ? items.length : Number(input['MaxResults']);
  const start = typeof input['NextToken'] === 'string' ? Number(Buffer.from(input['NextToken'], 'base64url').toString()) || 0 : 0;
  const slice = items.slice(start, start + Math.max(1, max));
  const next = start + slice.length < items.length ? Buffer.from(String(start + slice.length)).toString('base64url') : undefined;
  return clean({ Items: slice, NextToken: next });
}

/** Copies the members an Update* call names (those present in `input`) onto `target`. */
export function assignGiven<T extends object>(target: T, input: Record<string, unknown>, members: readonly string[]): T {
  for (const k of members) if (input[k] !== undefined) (target as Record<string, unknown>)[k] = input[k];
  return target;
}
