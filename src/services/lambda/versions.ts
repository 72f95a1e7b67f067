/** Published versions and aliases (with weighted routing between two versions). */
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../types.js';
import { showConfig } from './config.js';
import { conflict, invalidParameter, notFound, preconditionFailed } from './errors.js';
import { page } from './functions.js';
import { checkAliasName } from './names.js';
import { resolveFunction } from './resolve.js';
import { functionArn, type AliasRecord, type FunctionRecord, type LambdaState, type VersionConfig } from './store.js';

type In = Record<string, unknown>;

/** Publishes $LATEST as the next version, unless it is unchanged since the last one was published. */
export function publish(state: LambdaState, fn: FunctionRecord, nowMs: number, description: string | undefined): VersionConfig {
  const last = fn.versions[String(fn.nextVersion - 1)];
  if (last && fn.publishedRevision === fn.latest.revisionId) return last;
  const v: VersionConfig = { ...structuredClone(fn.latest), version: String(fn.nextVersion), revisionId: randomUUID(), lastModifiedMs: nowMs };
  if (description !== undefined) v.description = description;
  fn.versions[v.version] = v;
  fn.nextVersion++;
  fn.publishedRevision = fn.latest.revisionId;
  state.functions.set(fn.name, fn);
  return v;
}

export function publishVersion(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const sha = input['CodeSha256'] as string | undefined;
  if (sha !== undefined && sha !== fn.latest.codeSha256) {
    throw invalidParameter(`CodeSHA256 (${sha}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
  }
  const rev = input['RevisionId'] as string | undefined;
  if (rev !== undefined && rev !== fn.latest.revisionId) throw preconditionFailed();
  const v = publish(state, fn, ctx.clock.nowMs(), input['Description'] as string | undefined);
  return showConfig(state.account, state.region, fn.name, v);
}

export function listVersionsByFunction(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const rows = [fn.latest, ...Object.values(fn.versions).sort((a, b) => Number(a.version) - Number(b.version))]
    .map((v) => showConfig(state.account, state.region, fn.name, v));
  return page(rows, input, 'Versions');
}

function showAlias(state: LambdaState, fn: FunctionRecord, a: AliasRecord): In {
  const out: In = {
    AliasArn: functionArn(state.account, state.region, fn.name, a.name), Name: a.name, FunctionVersion: a.version,
    Description: a.description, RevisionId: a.revisionId,
  };
  if (Object.keys(a.weights).length > 0) out['RoutingConfig'] = { AdditionalVersionWeights: { ...a.weights } };
  return out;
}

function checkVersion(state: LambdaState, fn: FunctionRecord, version: string): void {
  if (version !== '$LATEST' && !fn.versions[version]) {
    throw notFound(`Function not found: ${functionArn(state.account, state.region, fn.name, version)}`);
  }
}

function checkRouting(state: LambdaState, fn: FunctionRecord, main: string, routing: In | undefined): Record<string, number> {
  const weights = ((routing?.['AdditionalVersionWeights'] as Record<string, number> | undefined) ?? {});
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  for (const [v, w] of entries) {
    if (!(w >= 0 && w <= 1)) throw invalidParameter(`Value ${w} at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Member must have value between 0.0 and 1.0`);
    checkVersion(state, fn, v);
    if (v === main) throw invalidParameter(`Invalid function version ${main}. Function version ${main} is already included in routing configuration.`);
    if (main === '$LATEST' || v === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  }
  return { ...weights };
}

export function createAlias(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const name = String(input['Name'] ?? '');
  checkAliasName(name);
  const version = String(input['FunctionVersion'] ?? '');
  checkVersion(state, fn, version);
  if (fn.aliases[name]) throw conflict(`Alias already exists: ${functionArn(state.account, state.region, fn.name, name)}`);
  const alias: AliasRecord = {
    name, version, description: (input['Description'] as string | undefined) ?? '',
    weights: checkRouting(state, fn, version, input['RoutingConfig'] as In | undefined), revisionId: randomUUID(),
  };
  fn.aliases[name] = alias;
  state.functions.set(fn.name, fn);
  return showAlias(state, fn, alias);
}

function aliasOf(ctx: ServiceContext, input: In): { state: LambdaState; fn: FunctionRecord; alias: AliasRecord } {
  const { state, fn } = resolveFunction(ctx, input);
  const name = String(input['Name'] ?? '');
  const alias = fn.aliases[name];
  if (!alias) throw notFound(`Cannot find alias arn: ${functionArn(state.account, state.region, fn.name, name)}`);
  return { state, fn, alias };
}

export function getAlias(input: In, ctx: ServiceContext): In {
  const { state, fn, alias } = aliasOf(ctx, input);
  return showAlias(state, fn, alias);
}

export function updateAlias(input: In, ctx: ServiceContext): In {
  const { state, fn, alias } = aliasOf(ctx, input);
  const rev = input['RevisionId'] as string | undefined;
  if (rev !== undefined && rev !== alias.revisionId) throw preconditionFailed();
  if (input['FunctionVersion'] !== undefined) {
    checkVersion(state, fn, String(input['FunctionVersion']));
    alias.version = String(input['FunctionVersion']);
  }
  if (input['Description'] !== undefined) alias.description = String(input['Description']);
  if (input['RoutingConfig'] !== undefined) alias.weights = checkRouting(state, fn, alias.version, input['RoutingConfig'] as In);
  alias.revisionId = randomUUID();
  state.functions.set(fn.name, fn);
  return showAlias(state, fn, alias);
}

export function deleteAlias(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const name = String(input['Name'] ?? '');
  delete fn.aliases[name];
  delete fn.provisioned[name];
  state.functions.set(fn.name, fn);
  return {};
}

export function listAliases(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const v = input['FunctionVersion'] as string | undefined;
  const rows = Object.values(fn.aliases).filter((a) => v === undefined || a.version === v).sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => showAlias(state, fn, a));
  return page(rows, input, 'Aliases');
}

/** The version an alias sends one invocation to: its main version, or by weight the other. */
export function routeAlias(alias: AliasRecord): string {
  const entries = Object.entries(alias.weights);
  if (entries.length === 0) return alias.version;
  const [other, weight] = entries[0]!;
  return Math.random() < weight ? other : alias.version;
}
