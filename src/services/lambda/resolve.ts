/** Finding the function, version or alias a request names, with Lambda's not-found messages. */
import type { Stores } from '../../core/store.js';
import type { ServiceContext } from '../types.js';
import { functionNotFound } from './errors.js';
import { parseFunctionName, type FunctionRef } from './names.js';
import { functionArn, lambdaState, type AliasRecord, type FunctionRecord, type LambdaState, type VersionConfig } from './store.js';

export interface Resolved {
  state: LambdaState;
  fn: FunctionRecord;
  ref: FunctionRef;
  /** The version the qualifier leads to (an alias: its main version). */
  cfg: VersionConfig;
  alias?: AliasRecord;
}

/** The function record a request names (any qualifier is not checked here). */
export function findFunction(stores: Stores, ref: FunctionRef): { state: LambdaState; fn: FunctionRecord } {
  const state = lambdaState(stores, ref.account, ref.region);
  const fn = state.functions.get(ref.name);
  if (!fn) throw functionNotFound(functionArn(ref.account, ref.region, ref.name, ref.qualifier));
  return { state, fn };
}

/** The version a qualifier names on a function: `$LATEST`, a number or an alias. */
export function versionOf(fn: FunctionRecord, qualifier: string | undefined): { cfg: VersionConfig; alias?: AliasRecord } | undefined {
  if (qualifier === undefined || qualifier === '$LATEST') return { cfg: fn.latest };
  const v = fn.versions[qualifier];
  if (v) return { cfg: v };
  const alias = fn.aliases[qualifier];
  if (!alias) return undefined;
  const cfg = alias.version === '$LATEST' ? fn.latest : fn.versions[alias.version];
  return cfg ? { cfg, alias } : undefined;
}

/** Resolves FunctionName (+ Qualifier) of an input to a version; not found answers as Lambda does. */
export function resolve(ctx: ServiceContext, input: Record<string, unknown>): Resolved {
  const ref = parseFunctionName(String(input['FunctionName'] ?? ''), input['Qualifier'] as string | undefined, ctx.account, ctx.region);
  const { state, fn } = findFunction(ctx.stores, ref);
  const found = versionOf(fn, ref.qualifier);
  if (!found) throw functionNotFound(functionArn(ref.account, ref.region, ref.name, ref.qualifier));
  return { state, fn, ref, ...found };
}

/** Like {@link resolve} for operations that take only the unqualified function. */
export function resolveFunction(ctx: ServiceContext, input: Record<string, unknown>): { state: LambdaState; fn: FunctionRecord; ref: FunctionRef } {
  const ref = parseFunctionName(String(input['FunctionName'] ?? ''), undefined, ctx.account, ctx.region);
  return { ...findFunction(ctx.stores, ref), ref };
}
