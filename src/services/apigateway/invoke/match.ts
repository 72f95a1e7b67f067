/**
 * Finds the resource and method a request path names, as API Gateway does: a literal path
 * part beats a `{variable}`, which beats a greedy `{proxy+}`; a method beats `ANY`.
 */
import type { MethodRecord, ResourceRecord } from '../store.js';

export interface RouteMatch {
  resource: ResourceRecord;
  method: MethodRecord;
  pathParameters: Record<string, string>;
}

function childrenOf(resources: Record<string, ResourceRecord>): Map<string, ResourceRecord[]> {
  const byParent = new Map<string, ResourceRecord[]>();
  for (const r of Object.values(resources)) {
    if (r.parentId === undefined) continue;
    const list = byParent.get(r.parentId) ?? [];
    list.push(r);
    byParent.set(r.parentId, list);
  }
  return byParent;
}

function rank(part: string): number {
  if (/^\{.+\+\}$/.test(part)) return 2;
  return /^\{.+\}$/.test(part) ? 1 : 0;
}

/** Walks the tree; returns every resource the segments can reach, best first. */
function walk(
  byParent: Map<string, ResourceRecord[]>, at: ResourceRecord, segments: string[], params: Record<string, string>,
  out: { resource: ResourceRecord; params: Record<string, string> }[],
): void {
  if (segments.length === 0) {
    out.push({ resource: at, params });
    return;
  }
  const kids = [...(byParent.get(at.id) ?? [])].sort((a, b) => rank(a.pathPart!) - rank(b.pathPart!));
  for (const k of kids) {
    const part = k.pathPart!;
    const r = rank(part);
    if (r === 0 && part === segments[0]) walk(byParent, k, segments.slice(1), params, out);
    else if (r === 1) walk(byParent, k, segments.slice(1), { ...params, [part.slice(1, -1)]: segments[0]! }, out);
    else if (r === 2) out.push({ resource: k, params: { ...params, [part.slice(1, -2)]: segments.join('/') } });
  }
}

/** The resource and method for `httpMethod` on `path` (e.g. `/pets/1`), or why there is none. */
export function matchRoute(
  resources: Record<string, ResourceRecord>, rootId: string, httpMethod: string, path: string,
): RouteMatch | undefined {
  const root = resources[rootId];
  if (!root) return undefined;
  const segments = path.split('/').filter((s) => s !== '').map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
  const found: { resource: ResourceRecord; params: Record<string, string> }[] = [];
  walk(childrenOf(resources), root, segments, {}, found);
  for (const f of found) {
    const methods = f.resource.resourceMethods ?? {};
    const method = methods[httpMethod] ?? methods['ANY'];
    if (method) return { resource: f.resource, method, pathParameters: f.params };
  }
  return undefined;
}
