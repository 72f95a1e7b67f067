/** Layers: versions of a zip unpacked into a function's /opt, in the order the function lists them. */
import type { Stores } from '../../core/store.js';
import type { ServiceContext } from '../types.js';
import { checkZip } from './code.js';
import { checkRuntime, lastModified } from './config.js';
import { invalidParameter, notFound, validation } from './errors.js';
import { page } from './functions.js';
import { lambdaState, layerArn, type LambdaState, type LayerVersionRecord } from './store.js';

type In = Record<string, unknown>;

const LAYER_VERSION_RE = /^arn:[a-zA-Z0-9-]+:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/;

/** Checks a function's layer list: at most five, existing, one version per layer. */
export function checkLayers(stores: Stores, state: LambdaState, arns: string[], _runtime: string | undefined): string[] {
  if (arns.length > 5) throw invalidParameter('Cannot reference more than 5 layers.');
  const seen = new Map<string, string>();
  for (const arn of arns) {
    const m = LAYER_VERSION_RE.exec(arn);
    if (!m) throw validation(`[${arns.join(', ')}]`, 'layers', 'Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]');
    const owner = m[2] === state.account && m[1] === state.region ? state : lambdaState(stores, m[2]!, m[1]!);
    if (!owner.layers.get(`${m[3]}:${m[4]}`)) throw invalidParameter(`Layer version ${arn} does not exist.`);
    const base = arn.slice(0, arn.lastIndexOf(':'));
    const prev = seen.get(base);
    if (prev) throw invalidParameter(`Two different versions of the same layer are not allowed to be referenced in the same function. ${prev} and ${arn} are versions of the same layer.`);
    seen.set(base, arn);
  }
  return [...arns];
}

function show(state: LambdaState, l: LayerVersionRecord, withContent: boolean): In {
  const out: In = {
    LayerVersionArn: layerArn(state.account, state.region, l.name, l.version), Version: l.version, Description: l.description,
    CreatedDate: lastModified(l.createdMs), CompatibleRuntimes: l.compatibleRuntimes, CompatibleArchitectures: l.compatibleArchitectures,
  };
  if (l.licenseInfo !== undefined) out['LicenseInfo'] = l.licenseInfo;
  if (withContent) {
    out['LayerArn'] = layerArn(state.account, state.region, l.name);
    out['Content'] = { CodeSha256: Buffer.from(l.codeSha256, 'hex').toString('base64'), CodeSize: l.codeSize, Location: '' };
  }
  return out;
}

function versionsOf(state: LambdaState, name: string): LayerVersionRecord[] {
  return [...state.layers.values()].filter((l) => l.name === name).sort((a, b) => b.version - a.version);
}

export async function publishLayerVersion(input: In, ctx: ServiceContext): Promise<In> {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const name = String(input['LayerName'] ?? '');
  if (!/^[a-zA-Z0-9-_]{1,140}$/.test(name)) throw validation(name, 'layerName', 'Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+');
  const content = (input['Content'] as In | undefined) ?? {};
  let bytes = content['ZipFile'] as Uint8Array | undefined;
  if (bytes === undefined && content['S3Bucket'] !== undefined) {
    const out = await ctx.call({ service: 's3', operation: 'GetObject', input: { Bucket: content['S3Bucket'], Key: content['S3Key'] } });
    bytes = out['Body'] as Uint8Array;
  }
  if (bytes === undefined) throw invalidParameter('Please provide a source for the layer content.');
  const runtimes = (input['CompatibleRuntimes'] as string[] | undefined) ?? [];
  for (const r of runtimes) checkRuntime(r);
  const zip = checkZip(bytes);
  if (!state.code.has(zip.sha256Hex)) state.code.set(zip.sha256Hex, zip.bytes);
  const version = (versionsOf(state, name)[0]?.version ?? 0) + 1;
  const rec: LayerVersionRecord = {
    name, version, description: (input['Description'] as string | undefined) ?? '', codeSha256: zip.sha256Hex, codeSize: zip.size,
    compatibleRuntimes: runtimes, compatibleArchitectures: (input['CompatibleArchitectures'] as string[] | undefined) ?? [],
    createdMs: ctx.clock.nowMs(),
  };
  if (input['LicenseInfo'] !== undefined) rec.licenseInfo = String(input['LicenseInfo']);
  state.layers.set(`${name}:${version}`, rec);
  return show(state, rec, true);
}

function layerVersion(state: LambdaState, name: string, version: number): LayerVersionRecord {
  if (version < 1) throw invalidParameter('Layer Version Cannot be less than 1');
  const l = state.layers.get(`${name}:${version}`);
  if (!l) throw notFound('The resource you requested does not exist.');
  return l;
}

export function getLayerVersion(input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  return show(state, layerVersion(state, String(input['LayerName']), Number(input['VersionNumber'])), true);
}

export function getLayerVersionByArn(input: In, ctx: ServiceContext): In {
  const arn = String(input['Arn'] ?? '');
  const m = LAYER_VERSION_RE.exec(arn);
  if (!m) throw validation(arn, 'arn', 'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)');
  const state = lambdaState(ctx.stores, m[2]!, m[1]!);
  return show(state, layerVersion(state, m[3]!, Number(m[4])), true);
}

export function deleteLayerVersion(input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  state.layers.delete(`${String(input['LayerName'])}:${Number(input['VersionNumber'])}`);
  return {};
}

export function listLayerVersions(input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const rt = input['CompatibleRuntime'] as string | undefined;
  const rows = versionsOf(state, String(input['LayerName'])).filter((l) => rt === undefined || l.compatibleRuntimes.includes(rt)).map((l) => show(state, l, false));
  return page(rows, input, 'LayerVersions');
}

export function listLayers(input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const names = [...new Set([...state.layers.values()].map((l) => l.name))].sort();
  const rows = names.map((name) => ({
    LayerName: name, LayerArn: layerArn(state.account, state.region, name), LatestMatchingVersion: show(state, versionsOf(state, name)[0]!, false),
  }));
  return page(rows, input, 'Layers');
}
