/** Handlers for member accounts: create (with its status), describe, list, move. */
import type { Handler } from '../types.js';
import { errors } from './errors.js';
import { createAccount, moveAccount } from './ops.js';
import { accountShape, createStatusShape, envOf, managedOrg, paginate, tagsFromList } from './views.js';

export const createAccountHandler: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const status = createAccount(envOf(ctx), org, {
    name: String(input['AccountName']),
    email: String(input['Email']),
    roleName: input['RoleName'] as string | undefined,
    tags: tagsFromList(input['Tags']),
  });
  // AWS answers before the account exists; its status is read with DescribeCreateAccountStatus.
  return { CreateAccountStatus: createStatusShape(org, status.id, 'IN_PROGRESS') };
};

export const describeCreateAccountStatus: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const id = String(input['CreateAccountRequestId']);
  if (org.createStatuses[id] === undefined) throw errors.createStatusNotFound();
  return { CreateAccountStatus: createStatusShape(org, id) };
};

export const listCreateAccountStatus: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const states = input['States'] as string[] | undefined;
  const all = Object.values(org.createStatuses)
    .filter((s) => states === undefined || states.length === 0 || states.includes(s.state))
    .map((s) => createStatusShape(org, s.id));
  const { page, NextToken } = paginate(all, input);
  return { CreateAccountStatuses: page, NextToken };
};

export const listAccounts: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const { page, NextToken } = paginate(Object.keys(org.accounts), input);
  return { Accounts: page.map((id) => accountShape(org, id)), NextToken };
};

export const listAccountsForParent: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const parent = String(input['ParentId']);
  if (parent !== org.rootId && org.ous[parent] === undefined) throw errors.parentNotFound();
  const ids = Object.values(org.accounts).filter((a) => a.parentId === parent).map((a) => a.id);
  const { page, NextToken } = paginate(ids, input);
  return { Accounts: page.map((id) => accountShape(org, id)), NextToken };
};

export const describeAccount: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const id = String(input['AccountId']);
  if (org.accounts[id] === undefined) throw errors.accountNotFound();
  return { Account: accountShape(org, id) };
};

export const moveAccountHandler: Handler = (input, ctx) => {
  moveAccount(envOf(ctx), managedOrg(ctx), String(input['AccountId']), String(input['SourceParentId']), String(input['DestinationParentId']));
  return {};
};
