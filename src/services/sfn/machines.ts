/**
 * State machines: create (with AWS's definition validation), describe, list, update (with a
 * new revision, optionally published), delete, and ValidateStateMachineDefinition.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { definitionMessage, validateDefinition, type Diagnostic } from '../../engines/states/validate.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidArn, invalidDefinition, machineDoesNotExist, plainValidation, validation } from './errors.js';
import { sfnState, type MachineRecord, type VersionRecord } from './store.js';
import { tagsOf } from './tags.js';
import { checkArn, checkName, page } from './validate.js';
import { variableReferences } from './variables.js';

const MAX_DEFINITION = 1024 * 1024;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

/** Validates a definition for `type`, throwing InvalidDefinition with AWS's message. */
export function checkDefinition(text: unknown, type: string): string {
  const s = String(text ?? '');
  if (Buffer.byteLength(s) > MAX_DEFINITION) throw validation([`Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEFINITION}`]);
  const { diagnostics } = validateDefinition(s, type);
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length > 0) throw invalidDefinition(definitionMessage(errors));
  return s;
}

function checkRole(roleArn: unknown): string {
  const s = String(roleArn ?? '');
  if (!ROLE_ARN.test(s)) throw invalidArn(s);
  return s;
}

function checkType(t: unknown): 'STANDARD' | 'EXPRESS' {
  if (t === undefined) return 'STANDARD';
  if (t !== 'STANDARD' && t !== 'EXPRESS') throw validation([`Value '${String(t)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`]);
  return t;
}

function revision(definition: string, roleArn: string): string {
  return createHash('sha256').update(`${definition}\n${roleArn}`).digest('hex').slice(0, 32);
}

/** The state machine an ARN names (a version ARN names the machine it belongs to). */
export function findMachine(ctx: Pick<ServiceContext, 'stores'>, arn: unknown): MachineRecord {
  const p = checkArn(arn, ['stateMachine']);
  const base = p.rest.length > 1 ? String(arn).split(':').slice(0, 7).join(':') : String(arn);
  const rec = sfnState(ctx.stores, p.account, p.region).machines.get(base);
  if (!rec) throw machineDoesNotExist(String(arn));
  return rec;
}

/** Publishes the machine's current revision as a new version (or answers the existing one for an unchanged revision). */
export function publish(ctx: ServiceContext, m: MachineRecord, description?: string): VersionRecord {
  const state = sfnState(ctx.stores, ctx.account, ctx.region);
  const latest = [...state.versions.values()].filter((v) => v.machineArn === m.arn).sort((a, b) => b.version - a.version)[0];
  if (latest && latest.revisionId === m.revisionId) return latest;
  const version = m.nextVersion++;
  state.machines.set(m.arn, m);
  const v: VersionRecord = {
    arn: `${m.arn}:${version}`, machineArn: m.arn, version, definition: m.definition, roleArn: m.roleArn, type: m.type, revisionId: m.revisionId,
    creationDate: ctx.clock.nowMs(), loggingConfiguration: m.loggingConfiguration, tracingConfiguration: m.tracingConfiguration,
  };
  if (description !== undefined) v.description = description;
  state.versions.set(v.arn, v);
  return v;
}

export const createStateMachine: Handler = (input, ctx) => {
  const name = checkName(input['name']);
  const type = checkType(input['type']);
  const definition = checkDefinition(input['definition'], type);
  const roleArn = checkRole(input['roleArn']);
  if (input['versionDescription'] !== undefined && input['publish'] !== true) throw plainValidation('Version description can only be set when publish is true');
  const state = sfnState(ctx.stores, ctx.account, ctx.region);
  const arn = `arn:aws:states:${ctx.region}:${ctx.account}:stateMachine:${name}`;
  const existing = state.machines.get(arn);
  const logging = (input['loggingConfiguration'] as Record<string, unknown> | undefined) ?? { level: 'OFF', includeExecutionData: false };
  const tracing = (input['tracingConfiguration'] as Record<string, unknown> | undefined) ?? { enabled: false };
  if (existing) {
    // CreateStateMachine is idempotent for an identical request.
    if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
      return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
    }
    throw new AwsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`, 400);
  }
  const rec: MachineRecord = {
    arn, name, type, definition, roleArn, creationDate: ctx.clock.nowMs(), revisionId: revision(definition, roleArn),
    loggingConfiguration: logging, tracingConfiguration: tracing, tags: tagsOf(input['tags']), nextVersion: 1,
  };
  if (input['encryptionConfiguration'] !== undefined) rec.encryptionConfiguration = input['encryptionConfiguration'] as Record<string, unknown>;
  state.machines.set(arn, rec);
  const out: Record<string, unknown> = { stateMachineArn: arn, creationDate: new Date(rec.creationDate) };
  if (input['publish'] === true) out['stateMachineVersionArn'] = publish(ctx, rec, input['versionDescription'] as string | undefined).arn;
  return out;
};

export const describeStateMachine: Handler = (input, ctx) => {
  const arn = String(input['stateMachineArn'] ?? '');
  const p = checkArn(arn, ['stateMachine']);
  const state = sfnState(ctx.stores, p.account, p.region);
  if (p.rest.length > 1) {
    const v = state.versions.get(arn);
    if (!v) throw machineDoesNotExist(arn);
    const out: Record<string, unknown> = {
      stateMachineArn: v.arn, name: p.rest[0], definition: v.definition, roleArn: v.roleArn, type: v.type, creationDate: new Date(v.creationDate),
      status: 'ACTIVE', loggingConfiguration: v.loggingConfiguration, tracingConfiguration: v.tracingConfiguration, revisionId: v.revisionId,
    };
    if (v.description !== undefined) out['description'] = v.description;
    return withVariables(out, v.definition);
  }
  const m = findMachine(ctx, arn);
  const out: Record<string, unknown> = {
    stateMachineArn: m.arn, name: m.name, definition: m.definition, roleArn: m.roleArn, type: m.type, creationDate: new Date(m.creationDate),
    status: 'ACTIVE', loggingConfiguration: m.loggingConfiguration, tracingConfiguration: m.tracingConfiguration,
  };
  if (m.updateDate !== undefined) out['revisionId'] = m.revisionId;
  if (m.encryptionConfiguration) out['encryptionConfiguration'] = m.encryptionConfiguration;
  return withVariables(out, m.definition);
};

function withVariables(out: Record<string, unknown>, definition: string): Record<string, unknown> {
  const refs = variableReferences(definition);
  if (Object.keys(refs).length > 0) out['variableReferences'] = refs;
  return out;
}

export const listStateMachines: Handler = (input, ctx) => {
  const all = [...sfnState(ctx.stores, ctx.account, ctx.region).machines.values()].sort((a, b) => a.creationDate - b.creationDate || a.name.localeCompare(b.name));
  const { items, nextToken } = page(all, input);
  return {
    stateMachines: items.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: new Date(m.creationDate) })),
    ...(nextToken ? { nextToken } : {}),
  };
};

export const updateStateMachine: Handler = (input, ctx) => {
  const m = findMachine(ctx, input['stateMachineArn']);
  if (String(input['stateMachineArn']).split(':').length > 7) throw invalidArn(String(input['stateMachineArn']));
  const changes = ['definition', 'roleArn', 'loggingConfiguration', 'tracingConfiguration'].filter((k) => input[k] !== undefined);
  if (changes.length === 0 && input['publish'] !== true) {
    throw new AwsError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified', 400);
  }
  if (input['versionDescription'] !== undefined && input['publish'] !== true) throw plainValidation('Version description can only be set when publish is true');
  if (input['definition'] !== undefined) m.definition = checkDefinition(input['definition'], m.type);
  if (input['roleArn'] !== undefined) m.roleArn = checkRole(input['roleArn']);
  if (input['loggingConfiguration'] !== undefined) m.loggingConfiguration = input['loggingConfiguration'] as Record<string, unknown>;
  if (input['tracingConfiguration'] !== undefined) m.tracingConfiguration = input['tracingConfiguration'] as Record<string, unknown>;
  if (input['encryptionConfiguration'] !== undefined) m.encryptionConfiguration = input['encryptionConfiguration'] as Record<string, unknown>;
  m.revisionId = revision(m.definition, m.roleArn) === m.revisionId ? m.revisionId : randomUUID();
  m.updateDate = ctx.clock.nowMs();
  sfnState(ctx.stores, ctx.account, ctx.region).machines.set(m.arn, m);
  const out: Record<string, unknown> = { updateDate: new Date(m.updateDate), revisionId: m.revisionId };
  if (input['publish'] === true) out['stateMachineVersionArn'] = publish(ctx, m, input['versionDescription'] as string | undefined).arn;
  return out;
};

export const deleteStateMachine: Handler = (input, ctx) => {
  const arn = String(input['stateMachineArn'] ?? '');
  const p = checkArn(arn, ['stateMachine']);
  if (p.rest.length > 1) throw invalidArn(arn);
  const state = sfnState(ctx.stores, p.account, p.region);
  state.machines.delete(arn);
  for (const [k, v] of state.versions) if (v.machineArn === arn) state.versions.delete(k);
  for (const [k, a] of state.aliases) if (a.machineArn === arn) state.aliases.delete(k);
  return {};
};

export const validateStateMachineDefinition: Handler = (input) => {
  const type = checkType(input['type']);
  const severity = input['severity'] ?? 'ERROR';
  const max = input['maxResults'] === undefined || input['maxResults'] === 0 ? 100 : Number(input['maxResults']);
  const { diagnostics } = validateDefinition(String(input['definition'] ?? ''), type);
  const shown: Diagnostic[] = diagnostics.filter((d) => severity === 'WARNING' || d.severity === 'ERROR');
  return {
    result: diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
    diagnostics: shown.slice(0, max),
    truncated: shown.length > max,
  };
};
