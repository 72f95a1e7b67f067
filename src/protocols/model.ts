import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Drydock's API models: AWS's own Smithy schemas from the pinned `@aws-sdk/client-*`
 * packages, extracted at build time by `scripts/extract-models.mjs` into `models/*.json`.
 * This module is the only reader of that format; everything else asks it for shapes.
 */

export type ProtocolName = 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'awsQuery' | 'ec2Query' | 'restXml';

export type ShapeType =
  | 'structure' | 'union' | 'list' | 'map'
  | 'string' | 'number' | 'boolean' | 'blob' | 'timestamp' | 'document' | 'bigInteger' | 'bigDecimal';

/** Traits kept from the model: HTTP bindings, XML/JSON/query naming and error metadata. */
export interface Traits {
  http?: [method: string, uri: string, code: number];
  httpError?: number;
  error?: 'client' | 'server';
  awsQueryError?: [code: string, status: number];
  httpHeader?: string;
  httpQuery?: string;
  httpLabel?: boolean;
  httpPayload?: boolean;
  httpPrefixHeaders?: string;
  httpQueryParams?: boolean;
  httpResponseCode?: boolean;
  xmlName?: string;
  xmlFlattened?: boolean | 1;
  xmlAttribute?: boolean | 1;
  xmlNamespace?: string | [prefix: string, uri: string];
  jsonName?: string;
  ec2QueryName?: string;
  timestampFormat?: 'date-time' | 'http-date' | 'epoch-seconds';
  streaming?: boolean | 1;
  eventPayload?: boolean | 1;
  sensitive?: boolean;
  idempotencyToken?: boolean;
  idempotent?: boolean;
  hostLabel?: boolean | 1;
  endpoint?: [hostPrefix: string];
  httpChecksum?: unknown;
  [other: string]: unknown;
}

export interface Member { target: string; traits?: Traits }

export interface Shape {
  type: ShapeType;
  traits?: Traits;
  /** structure/union */
  members?: Record<string, Member>;
  required?: string[];
  error?: boolean;
  /** list */
  member?: Member;
  /** map */
  key?: Member;
  value?: Member;
}

export interface Operation { input: string; output: string; traits?: Traits }

export interface ServiceModel {
  service: string;
  sdkId: string;
  protocol: ProtocolName;
  apiVersion: string;
  namespace: string;
  signingName: string;
  endpointPrefix: string;
  targetPrefix?: string;
  xmlNamespace?: string;
  awsQueryCompatible?: boolean;
  sdkPackage: string;
  operations: Record<string, Operation>;
  errors: string[];
  shapes: Record<string, Shape>;
}

export interface ModelIndexEntry {
  protocol: ProtocolName;
  signingName: string;
  endpointPrefix: string;
  targetPrefix?: string;
  apiVersion: string;
  operations: number;
}

const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');
const UNIT: Shape = { type: 'structure', members: {} };

let index: Record<string, ModelIndexEntry> | undefined;
const loaded = new Map<string, ServiceModel>();

/** The small index of every extracted model, read once (the full models load lazily). */
export function modelIndex(): Record<string, ModelIndexEntry> {
  index ??= JSON.parse(readFileSync(join(MODELS_DIR, 'index.json'), 'utf8')) as Record<string, ModelIndexEntry>;
  return index;
}

/** The full model of one service, parsed on first use so that start-up stays cheap. */
export function loadModel(service: string): ServiceModel {
  let model = loaded.get(service);
  if (!model) {
    if (!modelIndex()[service]) throw new Error(`no model for service \`${service}\``);
    model = JSON.parse(readFileSync(join(MODELS_DIR, `${service}.json`), 'utf8')) as ServiceModel;
    model.shapes['#unit'] = UNIT;
    loaded.set(service, model);
  }
  return model;
}

/** Resolves a shape id of a model; the model is trusted, so a missing id is a bug. */
export function shapeOf(model: ServiceModel, id: string): Shape {
  const s = model.shapes[id];
  if (!s) throw new Error(`${model.service}: unknown shape ${id}`);
  return s;
}

/** Member traits over target traits, as Smithy applies them (merged once per member: models never change). */
export function mergedTraits(model: ServiceModel, m: Member): Traits {
  const t = shapeOf(model, m.target).traits;
  if (!t) return m.traits ?? {};
  if (!m.traits) return t;
  let merged = mergedCache.get(m);
  if (!merged) mergedCache.set(m, merged = Object.assign({}, t, m.traits));
  return merged;
}
const mergedCache = new WeakMap<Member, Traits>();

/** The shape without its `required` list, for a top structure whose required members the caller checks (made once per shape). */
export function withoutRequired(shape: Shape): Shape {
  let s = unrequired.get(shape);
  if (!s) unrequired.set(shape, s = Object.assign({}, shape, { required: undefined }));
  return s;
}
const unrequired = new WeakMap<Shape, Shape>();

/** The error shape of a code in this service, if the model declares it. */
export function errorShape(model: ServiceModel, code: string): Shape | undefined {
  const s = model.shapes[code];
  return s?.error ? s : undefined;
}

/** Maps an awsQuery wire error code (e.g. `AWS.SimpleQueueService.NonExistentQueue`) from a shape name. */
export function queryErrorCode(model: ServiceModel, code: string): { code: string; status?: number } {
  const q = errorShape(model, code)?.traits?.awsQueryError;
  return q ? { code: q[0], status: q[1] } : { code };
}
