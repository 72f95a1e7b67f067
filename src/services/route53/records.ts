/**
 * ChangeResourceRecordSets (atomic batches with AWS's validation and InvalidChangeBatch
 * messages) and ListResourceRecordSets (reverse-label order, paged by name, type and set id).
 */
import { AwsError } from '../../core/errors.js';
import { inZone, storedName, type RecordSet } from '../../engines/dns/index.js';
import type { Handler } from '../types.js';
import { invalidChangeBatch, invalidInput } from './errors.js';
import { RECORD_TYPES, valueProblem } from './record-values.js';
import { getZone, newChange, saveZone, stateOf, type ZoneRecord } from './store.js';

const POLICY_FIELDS = ['Weight', 'Region', 'GeoLocation', 'Failover', 'MultiValueAnswer', 'CidrRoutingConfig', 'GeoProximityLocation'] as const;

const describe = (r: RecordSet): string =>
  `[name='${r.Name}', type='${r.Type}'${r.SetIdentifier !== undefined ? `, set-identifier='${r.SetIdentifier}'` : ''}]`;
const changeText = (action: string, r: RecordSet): string =>
  `[Action=${action}, Name=${r.Name}, Type=${r.Type}, SetIdentifier=${r.SetIdentifier ?? 'null'}]`;
const same = (a: RecordSet, b: RecordSet): boolean => a.Name === b.Name && a.Type === b.Type && a.SetIdentifier === b.SetIdentifier;

/** The record set as stored: stored-form name, only the members that are set. */
function normalize(raw: Record<string, unknown>): RecordSet {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) r[k] = v;
  r['Name'] = storedName(String(raw['Name']));
  r['Type'] = String(raw['Type']);
  const alias = raw['AliasTarget'] as Record<string, unknown> | undefined;
  if (alias) r['AliasTarget'] = { HostedZoneId: String(alias['HostedZoneId']), DNSName: storedName(String(alias['DNSName'])), EvaluateTargetHealth: alias['EvaluateTargetHealth'] === true };
  return r as unknown as RecordSet;
}

/** Problems with a record set on its own (InvalidInput) — thrown at once, as AWS does. */
function checkShape(action: string, r: RecordSet): void {
  const where = changeText(action, r);
  if (!RECORD_TYPES.has(r.Type)) throw invalidInput(`Invalid request: Invalid type '${r.Type}' in Change with ${where}`);
  const hasRecords = r.TTL !== undefined || r.ResourceRecords !== undefined;
  if (r.AliasTarget && hasRecords) throw invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with ${where}`);
  if (!r.AliasTarget) {
    if (r.TTL === undefined && r.ResourceRecords === undefined) throw invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with ${where}`);
    if (r.TTL === undefined) throw invalidInput(`Invalid request: Missing field 'TTL' in Change with ${where}`);
    if (!r.ResourceRecords?.length) throw invalidInput(`Invalid request: Missing field 'ResourceRecords' in Change with ${where}`);
    if (r.TTL < 0 || r.TTL > 2147483647) throw invalidInput(`Invalid request: TTL must be between 0 and 2147483647 in Change with ${where}`);
  }
  const policies = POLICY_FIELDS.filter((f) => r[f] !== undefined && !(f === 'MultiValueAnswer' && r[f] === false));
  if (policies.length > 1) throw invalidInput(`Invalid request: Expected at most one routing policy but found ${policies.join(' and ')} in Change with ${where}`);
  if (policies.length === 1 && r.SetIdentifier === undefined) throw invalidInput(`Invalid request: Missing field 'SetIdentifier' in Change with ${where}`);
  if (policies.length === 0 && r.SetIdentifier !== undefined) throw invalidInput(`Invalid request: Missing field 'Weight', 'Region', 'GeoLocation', 'Failover', 'MultiValueAnswer', 'CidrRoutingConfig' or 'GeoProximityLocation' in Change with ${where}`);
  if (r.Weight !== undefined && (r.Weight < 0 || r.Weight > 255)) throw invalidInput(`Invalid request: Weight must be between 0 and 255 in Change with ${where}`);
  const bias = r.GeoProximityLocation?.Bias;
  if (bias !== undefined && (bias < -99 || bias > 99)) throw invalidInput(`Invalid request: Bias must be between -99 and 99 in Change with ${where}`);
  if (r.MultiValueAnswer && r.AliasTarget) throw invalidInput(`Invalid request: Multivalue answer records cannot be alias records in Change with ${where}`);
}

/** The zone's record sets while a batch is applied: by name|type|set id, and the keys at each name. */
interface Working { sets: Map<string, RecordSet>; names: Map<string, Set<string>> }

const keyOf = (r: RecordSet): string => `${r.Name}|${r.Type}|${r.SetIdentifier ?? ''}`;

function working(records: RecordSet[]): Working {
  const w: Working = { sets: new Map(), names: new Map() };
  for (const r of records) put(w, r);
  return w;
}

function put(w: Working, r: RecordSet): void {
  const k = keyOf(r);
  w.sets.set(k, r);
  let at = w.names.get(r.Name);
  if (!at) w.names.set(r.Name, (at = new Set()));
  at.add(k);
}

function drop(w: Working, r: RecordSet): void {
  const k = keyOf(r);
  w.sets.delete(k);
  w.names.get(r.Name)?.delete(k);
}

/** Problems of the change against the zone (InvalidChangeBatch), collected for the whole batch. */
function apply(zone: ZoneRecord, w: Working, action: string, r: RecordSet, out: string[]): void {
  if (!inZone(r.Name, zone.Name)) { out.push(`RRSet with DNS name ${r.Name} is not permitted in zone ${zone.Name}`); return; }
  for (const v of r.ResourceRecords ?? []) {
    const p = valueProblem(r.Type, v.Value);
    if (p) { out.push(p); return; }
  }
  if (r.Type === 'CNAME' && (r.ResourceRecords?.length ?? 0) > 1) { out.push(`RRSet of type CNAME with DNS name ${r.Name} contains more than one value.`); return; }
  const existing = w.sets.get(keyOf(r));
  const apex = r.Name === zone.Name;
  if (action === 'DELETE') {
    if (!existing) { out.push(`Tried to delete resource record set ${describe(r)} but it was not found`); return; }
    if (JSON.stringify(comparable(existing)) !== JSON.stringify(comparable(r))) {
      out.push(`Tried to delete resource record set ${describe(r)} but the values provided do not match the current values`);
      return;
    }
    if (apex && r.Type === 'SOA') { out.push('A HostedZone must contain exactly one SOA record.'); return; }
    if (apex && r.Type === 'NS') { out.push('A HostedZone must contain at least one NS record for the zone itself.'); return; }
    drop(w, existing);
    return;
  }
  if (action === 'CREATE' && existing) { out.push(`Tried to create resource record set ${describe(r)} but it already exists`); return; }
  if (r.Type === 'CNAME' && apex) { out.push(`RRSet of type CNAME with DNS name ${r.Name} is not permitted at apex in zone ${zone.Name}`); return; }
  const others = [...(w.names.get(r.Name) ?? [])].map((k) => w.sets.get(k)!).filter((x) => !same(x, r));
  if (others.some((x) => (x.Type === 'CNAME') !== (r.Type === 'CNAME'))) {
    out.push(`RRSet of type ${r.Type} with DNS name ${r.Name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.Name}`);
    return;
  }
  const siblings = others.filter((x) => x.Type === r.Type);
  if (siblings.length > 0 && (siblings[0]!.SetIdentifier === undefined) !== (r.SetIdentifier === undefined)) {
    out.push(`RRSet with DNS name ${r.Name}, type ${r.Type}${r.SetIdentifier !== undefined ? `, SetIdentifier ${r.SetIdentifier}` : ''} cannot be created as other RRSets exist with the same name and type.`);
    return;
  }
  if (siblings.length > 0 && policy(siblings[0]!) !== policy(r)) {
    out.push(`RRSet with DNS name ${r.Name}, type ${r.Type}, SetIdentifier ${r.SetIdentifier} cannot be created because a ${policy(siblings[0]!)} rrset exists with the same name and type.`);
    return;
  }
  put(w, r);
}

const policy = (r: RecordSet): string => POLICY_FIELDS.find((f) => r[f] !== undefined && r[f] !== false) ?? 'simple';
const comparable = (r: RecordSet): RecordSet => ({ ...r, ResourceRecords: r.ResourceRecords?.map((v) => ({ Value: v.Value })) });

export const changeResourceRecordSets: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const zone = getZone(state, input['HostedZoneId']);
  const batch = input['ChangeBatch'] as { Changes?: Record<string, unknown>[]; Comment?: string };
  const changes = batch.Changes ?? [];
  if (changes.length === 0) throw invalidInput('1 validation error detected: Value \'[]\' at \'changeBatch.changes\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  if (changes.length > 1000) throw invalidChangeBatch(['Number of records limit of 1000 exceeded.']);
  const problems: string[] = [];
  const w = working(zone.records);
  const seen = new Set<string>();
  for (const c of changes) {
    const action = String(c['Action']);
    if (!['CREATE', 'DELETE', 'UPSERT'].includes(action)) throw invalidInput(`Invalid request: Invalid action '${action}'`);
    const r = normalize(c['ResourceRecordSet'] as Record<string, unknown>);
    checkShape(action, r);
    const key = `${r.Name}|${r.Type}|${r.SetIdentifier ?? ''}`;
    if (seen.has(key) && action !== 'DELETE') {
      problems.push(`The request contains an invalid set of changes for a resource record set '${r.Type} ${r.Name}'`);
      continue;
    }
    seen.add(key);
    if (r.HealthCheckId !== undefined && !state.healthChecks.has(r.HealthCheckId)) {
      throw new AwsError('NoSuchHealthCheck', `A health check with id ${r.HealthCheckId} does not exist.`, 404);
    }
    apply(zone, w, action, r, problems);
  }
  if (problems.length) throw invalidChangeBatch(problems);
  zone.records = [...w.sets.values()];
  saveZone(state, zone);
  return { ChangeInfo: newChange(state, ctx.clock.nowMs(), batch.Comment) };
};

/** Route 53's listing order: name with labels reversed, then type, then set identifier. */
const orderKey = (r: RecordSet): string => `${r.Name.split('.').reverse().join('.')}\u0000${r.Type}\u0000${r.SetIdentifier ?? ''}`;

export const listResourceRecordSets: Handler = (input, ctx) => {
  const zone = getZone(stateOf(ctx.stores, ctx.account), input['HostedZoneId']);
  const max = input['MaxItems'] === undefined ? 100 : Math.min(300, Math.max(1, Number(input['MaxItems'])));
  const startName = input['StartRecordName'] as string | undefined;
  const startType = input['StartRecordType'] as string | undefined;
  if (startType !== undefined && startName === undefined) throw invalidInput('The input is not valid: StartRecordType requires StartRecordName.');
  if (startType !== undefined && !RECORD_TYPES.has(startType)) throw invalidInput(`Invalid type '${startType}'`);
  const sorted = [...zone.records].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  let from = 0;
  if (startName !== undefined) {
    const probe = orderKey({ Name: storedName(startName), Type: startType ?? '', SetIdentifier: input['StartRecordIdentifier'] as string | undefined });
    from = sorted.findIndex((r) => orderKey(r) >= probe);
    if (from < 0) from = sorted.length;
  }
  const page = sorted.slice(from, from + max);
  const next = sorted[from + max];
  return {
    ResourceRecordSets: page, IsTruncated: next !== undefined, MaxItems: max,
    ...(next ? { NextRecordName: next.Name, NextRecordType: next.Type, ...(next.SetIdentifier !== undefined ? { NextRecordIdentifier: next.SetIdentifier } : {}) } : {}),
  };
};
