/** Function lifecycle: create, read, list, update code and configuration, delete. */
import type { ServiceContext } from '../types.js';
import type { AwsError } from '../../core/errors.js';
import { servicePrincipal } from '../../core/identity.js';
import { checkZip, type CheckedZip } from './code.js';
import { applyConfig, newConfig, showConfig } from './config.js';
import { conflict, invalidParameter, preconditionFailed } from './errors.js';
import { checkLayers } from './layers.js';
import { checkNewName } from './names.js';
import { sessionName } from './launch.js';
import { hostOf, runtimeOf } from './pool.js';
import { resolve, resolveFunction } from './resolve.js';
import { functionArn, lambdaState, type FunctionRecord, type LambdaState, type VersionConfig } from './store.js';
import { checkTags } from './tags.js';
import { publish } from './versions.js';
import { randomUUID } from 'node:crypto';

type In = Record<string, unknown>;

/** The zip a request carries: inline, or read from S3 as the caller. */
async function codeOf(input: In, ctx: ServiceContext): Promise<CheckedZip> {
  const zip = input['ZipFile'] as Uint8Array | undefined;
  if (zip !== undefined) return checkZip(zip);
  const bucket = input['S3Bucket'] as string | undefined;
  const key = input['S3Key'] as string | undefined;
  if (input['ImageUri'] !== undefined) throw invalidParameter('Drydock runs .zip file functions only; container images are not supported.');
  if (bucket === undefined || key === undefined) {
    throw invalidParameter('Please provide a source for function code.');
  }
  let body: Uint8Array;
  try {
    const out = await ctx.call({
      service: 's3', operation: 'GetObject',
      input: { Bucket: bucket, Key: key, ...(input['S3ObjectVersion'] ? { VersionId: input['S3ObjectVersion'] } : {}) },
    });
    body = out['Body'] as Uint8Array;
  } catch (e) {
    const err = e as AwsError;
    throw invalidParameter(`Error occurred while GetObject. S3 Error Code: ${err.code}. S3 Error Message: ${err.message}`);
  }
  return checkZip(body);
}

function storeCode(state: LambdaState, cfg: VersionConfig, zip: CheckedZip): void {
  if (!state.code.has(zip.sha256Hex)) state.code.set(zip.sha256Hex, zip.bytes);
  cfg.codeSha256 = zip.sha256;
  cfg.codeKey = zip.sha256Hex;
  cfg.codeSize = zip.size;
}

export function codeLocation(ctx: ServiceContext, state: LambdaState, cfg: VersionConfig): Record<string, unknown> {
  const url = new URL(ctx.endpoint);
  return { RepositoryType: 'S3', Location: `${url.protocol}//code.lambda-url.${state.region}.${url.host}/${state.account}/${cfg.codeKey}` };
}

export async function createFunction(input: In, ctx: ServiceContext): Promise<In> {
  const ref = checkNewName(String(input['FunctionName'] ?? ''), ctx.account, ctx.region);
  const state = lambdaState(ctx.stores, ref.account, ref.region);
  const nowMs = ctx.clock.nowMs();
  const cfg = newConfig(ref.name, nowMs);
  if (input['PackageType'] === 'Image') throw invalidParameter('Drydock runs .zip file functions only; container images are not supported.');
  applyConfig(cfg, input, ref.name);
  cfg.layers = checkLayers(ctx.stores, state, (input['Layers'] as string[] | undefined) ?? [], cfg.runtime);
  const tags = checkTags((input['Tags'] as Record<string, string> | undefined) ?? {});
  const zip = await codeOf((input['Code'] as In | undefined) ?? {}, ctx);
  if (state.functions.has(ref.name)) throw conflict(`Function already exist: ${ref.name}`);
  await checkRoleAssumable(ctx, ref.name, cfg.role);
  storeCode(state, cfg, zip);
  const fn: FunctionRecord = {
    name: ref.name, account: state.account, region: state.region, latest: cfg, versions: {}, nextVersion: 1, aliases: {},
    policies: {}, policyRevision: randomUUID(), tags, invokeConfigs: {}, provisioned: {}, urls: {},
  };
  state.functions.set(fn.name, fn);
  if (input['Publish'] === true) publish(state, fn, nowMs, undefined);
  return showConfig(state.account, state.region, fn.name, cfg, { state: 'Pending' });
}

/** AWS refuses a role that Lambda cannot assume when the function is created. */
async function checkRoleAssumable(ctx: ServiceContext, fnName: string, role: string): Promise<void> {
  try {
    await ctx.call({
      service: 'sts', operation: 'AssumeRole', json: true, region: ctx.region, principal: servicePrincipal('lambda.amazonaws.com', ctx.account),
      input: { RoleArn: role, RoleSessionName: sessionName(fnName) }, sourceAccount: ctx.account, sourceArn: functionArn(ctx.account, ctx.region, fnName),
    });
  } catch (e) {
    if (process.env['DRYDOCK_DEBUG']) console.error(e);
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  }
}

export function getFunction(input: In, ctx: ServiceContext): In {
  const r = resolve(ctx, input);
  const out: In = {
    Configuration: showConfig(r.state.account, r.state.region, r.fn.name, r.cfg, r.alias ? { arnQualifier: r.alias.name } : {}),
    Code: codeLocation(ctx, r.state, r.cfg),
  };
  if (r.ref.qualifier === undefined && Object.keys(r.fn.tags).length > 0) out['Tags'] = { ...r.fn.tags };
  if (r.fn.reserved !== undefined) out['Concurrency'] = { ReservedConcurrentExecutions: r.fn.reserved };
  return out;
}

export function getFunctionConfiguration(input: In, ctx: ServiceContext): In {
  const r = resolve(ctx, input);
  return showConfig(r.state.account, r.state.region, r.fn.name, r.cfg, r.alias ? { arnQualifier: r.alias.name } : {});
}

export function listFunctions(input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const all = input['FunctionVersion'] === 'ALL';
  const rows: In[] = [];
  for (const fn of [...state.functions.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    rows.push(showConfig(state.account, state.region, fn.name, fn.latest));
    if (all) for (const v of Object.values(fn.versions)) rows.push(showConfig(state.account, state.region, fn.name, v));
  }
  return page(rows, input, 'Functions');
}

/** Marker paging as Lambda's list operations do it (MaxItems 1–10000, default 50). */
export function page(rows: In[], input: In, member: string): In {
  const max = (input['MaxItems'] as number | undefined) ?? 50;
  if (max < 1 || max > 10000) throw invalidParameter(`Value ${max} at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`);
  const start = input['Marker'] ? Number(input['Marker']) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid marker');
  const out: In = { [member]: rows.slice(start, start + max) };
  if (start + max < rows.length) out['NextMarker'] = String(start + max);
  return out;
}

export function deleteFunction(input: In, ctx: ServiceContext): In {
  const r = resolve(ctx, input);
  const q = r.ref.qualifier;
  const rt = runtimeOf(r.state, hostOf(ctx.stores));
  if (q === undefined) {
    r.state.functions.delete(r.fn.name);
    rt.retire(r.fn.name);
    if (r.fn.reserved !== undefined) rt.reservationsChanged();
    for (const [id, m] of r.state.mappings) if (m.functionArn.startsWith(functionArn(r.state.account, r.state.region, r.fn.name))) r.state.mappings.delete(id);
    return {};
  }
  if (r.alias) throw invalidParameter('Deletion of aliases is not currently supported.');
  if (q === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  const usedBy = Object.values(r.fn.aliases).find((a) => a.version === q || a.weights[q] !== undefined);
  if (usedBy) throw conflict(`Unable to delete version because the following aliases reference it: [${usedBy.name}]`);
  delete r.fn.versions[q];
  delete r.fn.provisioned[q];
  r.state.functions.set(r.fn.name, r.fn);
  rt.retire(r.fn.name, q);
  return {};
}

function checkRevision(input: In, fn: FunctionRecord): void {
  const rev = input['RevisionId'] as string | undefined;
  if (rev !== undefined && rev !== fn.latest.revisionId) throw preconditionFailed();
}

export async function updateFunctionCode(input: In, ctx: ServiceContext): Promise<In> {
  const { state, fn } = resolveFunction(ctx, input);
  checkRevision(input, fn);
  const zip = await codeOf(input, ctx);
  const archs = input['Architectures'] as string[] | undefined;
  if (archs !== undefined) applyConfig(fn.latest, { Architectures: archs }, fn.name);
  if (input['DryRun'] === true) return showConfig(state.account, state.region, fn.name, { ...fn.latest, codeSha256: zip.sha256, codeSize: zip.size });
  storeCode(state, fn.latest, zip);
  touched(ctx, state, fn);
  if (input['Publish'] === true) publish(state, fn, ctx.clock.nowMs(), undefined);
  return updating(state, fn);
}

export async function updateFunctionConfiguration(input: In, ctx: ServiceContext): Promise<In> {
  const { state, fn } = resolveFunction(ctx, input);
  checkRevision(input, fn);
  const next = structuredClone(fn.latest);
  applyConfig(next, input, fn.name);
  if (input['Layers'] !== undefined) next.layers = checkLayers(ctx.stores, state, input['Layers'] as string[], next.runtime);
  if (input['Role'] !== undefined && input['Role'] !== fn.latest.role) await checkRoleAssumable(ctx, fn.name, next.role);
  fn.latest = next;
  touched(ctx, state, fn);
  return updating(state, fn);
}

/** A changed $LATEST gets a new revision, and its warm environments are retired. */
function touched(ctx: ServiceContext, state: LambdaState, fn: FunctionRecord): void {
  fn.latest.revisionId = randomUUID();
  fn.latest.lastModifiedMs = ctx.clock.nowMs();
  state.functions.set(fn.name, fn);
  runtimeOf(state, hostOf(ctx.stores)).retire(fn.name, '$LATEST');
}

function updating(state: LambdaState, fn: FunctionRecord): In {
  const out = showConfig(state.account, state.region, fn.name, fn.latest);
  return { ...out, LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating' };
}

