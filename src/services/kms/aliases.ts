/**
 * Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. Names start with `alias/`;
 * `alias/aws/` is reserved for AWS managed keys (created on first use, see resolve.ts). An
 * alias works wherever a KeyId is accepted for cryptographic calls and DescribeKey, by name
 * or as an alias ARN.
 */
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import * as E from './errors.js';
import { date } from './metadata.js';
import { paginate } from './paging.js';
import { requireNotPendingDeletion, resolveKey, stateOf } from './resolve.js';
import { aliasArn, type AliasRecord } from './store.js';

const ALIAS_PATTERN = /^[a-zA-Z0-9:/_-]+$/;

/** CreateAlias: a new name for a customer key in the caller's account and region. */
export const createAlias: Handler = (input, ctx) => {
  const name = checkName(input['AliasName']);
  const state = stateOf(ctx);
  if (state.aliases.has(name)) throw E.alreadyExists(`An alias with the name ${aliasArn(ctx.account, ctx.region, name)} already exists`);
  const { key } = resolveKey(ctx, input['TargetKeyId'], { aliases: false });
  if (key.account !== ctx.account) throw E.invalidKeyId(String(input['TargetKeyId']));
  requireNotPendingDeletion(key);
  const now = ctx.clock.nowMs();
  state.aliases.set(name, { name, arn: aliasArn(ctx.account, ctx.region, name), targetKeyId: key.keyId, createdMs: now, updatedMs: now });
  return {};
};

/** UpdateAlias: points an existing alias at another key. */
export const updateAlias: Handler = (input, ctx) => {
  const name = checkName(input['AliasName']);
  const state = stateOf(ctx);
  const alias = state.aliases.get(name);
  if (!alias) throw E.aliasNotFound(aliasArn(ctx.account, ctx.region, name));
  const { key } = resolveKey(ctx, input['TargetKeyId'], { aliases: false });
  if (key.account !== ctx.account) throw E.invalidKeyId(String(input['TargetKeyId']));
  requireNotPendingDeletion(key);
  state.aliases.set(name, { ...alias, targetKeyId: key.keyId, updatedMs: ctx.clock.nowMs() });
  return {};
};

/** DeleteAlias: the key is unaffected. */
export const deleteAlias: Handler = (input, ctx) => {
  const name = checkName(input['AliasName']);
  const state = stateOf(ctx);
  if (!state.aliases.delete(name)) throw E.aliasNotFound(aliasArn(ctx.account, ctx.region, name));
  return {};
};

/** ListAliases: every alias of the account and region, or those of one key. */
export const listAliases: Handler = (input, ctx) => {
  const state = stateOf(ctx);
  const keyId = input['KeyId'] === undefined ? undefined : resolveKey(ctx, input['KeyId'], { aliases: false }).key.keyId;
  const aliases = [...state.aliases.values()]
    .filter((a) => keyId === undefined || a.targetKeyId === keyId)
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(aliases.map(entry), input, 100, 50);
  return { Aliases: page.items, ...page.more };
};

function entry(a: AliasRecord): Record<string, unknown> {
  return { AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId, CreationDate: date(a.createdMs), LastUpdatedDate: date(a.updatedMs) };
}

function checkName(v: unknown): string {
  const name = typeof v === 'string' ? v : '';
  if (!name.startsWith('alias/')) {
    throw E.validation('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (name.length > 256) throw E.tooLong('aliasName', 256, name);
  if (!ALIAS_PATTERN.test(name) || name === 'alias/') {
    throw E.validation(`1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`);
  }
  if (name.startsWith('alias/aws/')) {
    throw new AwsError('InvalidAliasNameException', 'Aliases that begin with alias/aws/ are reserved.', 400);
  }
  return name;
}
