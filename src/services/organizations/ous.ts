/** Handlers for organizational units and the tree: create, rename, delete, children, parents. */
import type { Handler } from '../types.js';
import { errors } from './errors.js';
import { createOu, deleteOu, parentOf, renameOu } from './ops.js';
import { envOf, managedOrg, ouShape, paginate, tagsFromList } from './views.js';

export const createOrganizationalUnit: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const ou = createOu(envOf(ctx), org, String(input['ParentId']), String(input['Name']), tagsFromList(input['Tags']));
  return { OrganizationalUnit: ouShape(org, ou.id) };
};

export const updateOrganizationalUnit: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const ou = renameOu(envOf(ctx), org, String(input['OrganizationalUnitId']), String(input['Name']));
  return { OrganizationalUnit: ouShape(org, ou.id) };
};

export const deleteOrganizationalUnit: Handler = (input, ctx) => {
  deleteOu(envOf(ctx), managedOrg(ctx), String(input['OrganizationalUnitId']));
  return {};
};

export const describeOrganizationalUnit: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const id = String(input['OrganizationalUnitId']);
  if (org.ous[id] === undefined) throw errors.ouNotFound();
  return { OrganizationalUnit: ouShape(org, id) };
};

export const listOrganizationalUnitsForParent: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const parent = String(input['ParentId']);
  if (parent !== org.rootId && org.ous[parent] === undefined) throw errors.parentNotFound();
  const ids = Object.values(org.ous).filter((o) => o.parentId === parent).map((o) => o.id);
  const { page, NextToken } = paginate(ids, input);
  return { OrganizationalUnits: page.map((id) => ouShape(org, id)), NextToken };
};

export const listChildren: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const parent = String(input['ParentId']);
  if (parent !== org.rootId && org.ous[parent] === undefined) throw errors.parentNotFound();
  const type = String(input['ChildType']);
  let ids: string[];
  if (type === 'ACCOUNT') ids = Object.values(org.accounts).filter((a) => a.parentId === parent).map((a) => a.id);
  else if (type === 'ORGANIZATIONAL_UNIT') ids = Object.values(org.ous).filter((o) => o.parentId === parent).map((o) => o.id);
  else throw errors.invalidInput('INVALID_ENUM', 'You specified an invalid value.');
  const { page, NextToken } = paginate(ids, input);
  return { Children: page.map((Id) => ({ Id, Type: type })), NextToken };
};

export const listParents: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const parent = parentOf(org, String(input['ChildId']));
  if (parent === undefined) throw errors.childNotFound();
  const { page, NextToken } = paginate([{ Id: parent, Type: parent === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }], input);
  return { Parents: page, NextToken };
};
