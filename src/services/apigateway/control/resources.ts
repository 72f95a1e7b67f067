/** Resources: the path tree of a REST API, with AWS's rules for variable and greedy parts. */
import type { Handler } from '../../types.js';
import { badRequest, conflict } from '../errors.js';
import { applyPatches } from '../patch.js';
import { clean, gatewayId, resourceOf, type ResourceRecord, type RestApiRecord } from '../store.js';
import { page } from './paging.js';
import { apiOf, save } from './rest-apis.js';

export function resourceView(r: ResourceRecord, embedMethods = false): Record<string, unknown> {
  const methods = r.resourceMethods && Object.keys(r.resourceMethods).length ? r.resourceMethods : undefined;
  return clean({
    id: r.id, parentId: r.parentId, pathPart: r.pathPart, path: r.path,
    resourceMethods: methods && (embedMethods ? methods : Object.fromEntries(Object.keys(methods).map((m) => [m, {}]))),
  });
}

function isVariable(part: string): boolean {
  return /^\{[^}]+\}$/.test(part);
}

function children(api: RestApiRecord, parentId: string): ResourceRecord[] {
  return Object.values(api.resources).filter((r) => r.parentId === parentId);
}

function checkPathPart(api: RestApiRecord, parent: ResourceRecord, pathPart: string, selfId?: string): void {
  if (!/^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:@~$&'()*+,;=-]+)$/.test(pathPart)) {
    throw badRequest(`Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`);
  }
  if (parent.pathPart?.endsWith('+}')) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const siblings = children(api, parent.id).filter((r) => r.id !== selfId);
  if (siblings.some((s) => s.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  if (isVariable(pathPart)) {
    const other = siblings.find((s) => isVariable(s.pathPart ?? ''));
    if (other) throw badRequest(`A sibling (${other.pathPart}) of this resource already has a variable path part -- only one is allowed`);
  }
}

/** Recomputes `path` of a resource and its descendants after a move or rename. */
function repath(api: RestApiRecord, r: ResourceRecord): void {
  const parent = api.resources[r.parentId!]!;
  r.path = `${parent.path === '/' ? '' : parent.path}/${r.pathPart}`;
  for (const c of children(api, r.id)) repath(api, c);
}

export const createResource: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const parent = api.resources[String(input['parentId'])];
  if (!parent) throw badRequest('Invalid Resource identifier specified');
  const pathPart = String(input['pathPart']);
  checkPathPart(api, parent, pathPart);
  const r: ResourceRecord = { id: gatewayId(6), parentId: parent.id, pathPart, path: '' };
  api.resources[r.id] = r;
  repath(api, r);
  save(ctx, api);
  return resourceView(r);
};

export const getResource: Handler = (input, ctx) => {
  const embed = ((input['embed'] as string[] | undefined) ?? []).includes('methods');
  return resourceView(resourceOf(apiOf(ctx, input['restApiId']), input['resourceId']), embed);
};

export const getResources: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const embed = ((input['embed'] as string[] | undefined) ?? []).includes('methods');
  const all = Object.values(api.resources).sort((a, b) => a.path.localeCompare(b.path)).map((r) => resourceView(r, embed));
  return page(all, input);
};

export const deleteResource: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const r = resourceOf(api, input['resourceId']);
  if (r.id === api.rootResourceId) throw badRequest('Cannot delete root resource');
  const drop = (id: string): void => {
    for (const c of children(api, id)) drop(c.id);
    delete api.resources[id];
  };
  drop(r.id);
  save(ctx, api);
  return {};
};

export const updateResource: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const r = resourceOf(api, input['resourceId']);
  const isRoot = r.id === api.rootResourceId;
  applyPatches(input['patchOperations'], {
    fields: {
      '/parentId': (v) => {
        if (isRoot) throw badRequest('Root resource cannot update its parentId.');
        const parent = api.resources[v ?? ''];
        if (!parent) throw badRequest('Invalid Resource identifier specified');
        for (let p: ResourceRecord | undefined = parent; p; p = p.parentId ? api.resources[p.parentId] : undefined) {
          if (p.id === r.id) throw badRequest('Resources cannot be cyclical.');
        }
        checkPathPart(api, parent, r.pathPart!, r.id);
        r.parentId = parent.id;
      },
      '/pathPart': (v) => {
        if (isRoot) throw badRequest('Root resource cannot update its pathPart.');
        checkPathPart(api, api.resources[r.parentId!]!, v ?? '', r.id);
        r.pathPart = v;
      },
    },
  });
  if (!isRoot) repath(api, r);
  save(ctx, api);
  return resourceView(r);
};
