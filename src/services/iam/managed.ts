/**
 * Managed policies seen the same way whether AWS owns them (`arn:aws:iam::aws:policy/…`,
 * from the catalog) or the account does (its `policies` collection), with the per-account
 * counts AWS reports: how many users, groups and roles attach each, and use it as a boundary.
 */
import { parseArn } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import { noSuchEntity, validationText } from './errors.js';
import { awsManagedDates, awsManagedDocument, awsManagedPolicy, isAwsManagedArn } from './managed-catalog.js';
import { iamState, key, type IamState, type PolicyRec } from './store.js';
import { date, tagsOut } from './common.js';

/** A managed policy, AWS's or the account's. */
export interface ManagedView {
  arn: string;
  name: string;
  path: string;
  id: string;
  defaultVersionId: string;
  createDate: Date;
  updateDate: Date;
  /** The customer policy's record; undefined for AWS managed policies. */
  rec?: PolicyRec;
}

/** The customer managed policy with this ARN in this account's state. */
export function customerPolicy(s: IamState, arn: string): PolicyRec | undefined {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const rec = s.policies.get(key(name));
  return rec !== undefined && rec.arn === arn ? rec : undefined;
}

/** A managed policy visible to the account (AWS's, or its own), or undefined. */
export function findManaged(s: IamState, arn: string): ManagedView | undefined {
  if (isAwsManagedArn(arn)) {
    const p = awsManagedPolicy(arn);
    const d = p && awsManagedDates(arn);
    if (p === undefined || d === undefined) return undefined;
    return { arn, name: p.name, path: p.path, id: p.id, defaultVersionId: p.defaultVersionId, ...d };
  }
  const rec = customerPolicy(s, arn);
  if (rec === undefined) return undefined;
  return {
    arn, name: rec.name, path: rec.path, id: rec.id, defaultVersionId: rec.defaultVersion,
    createDate: date(rec.createDate), updateDate: date(rec.updateDate), rec,
  };
}

/** Refuses a PolicyArn that is not an ARN, as AWS does before looking it up. */
export function checkPolicyArn(arn: string): void {
  const p = parseArn(arn);
  if (p === undefined || p.service === '' || p.resource === '') throw validationText('Invalid ARN:  Could not be parsed!');
}

/** The policy to attach (or use as a boundary), with AWS's not-found wording. */
export function attachable(s: IamState, arn: string): ManagedView {
  checkPolicyArn(arn);
  const view = findManaged(s, arn);
  if (view === undefined) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return view;
}

/** The policy for Get/Delete/version operations, with AWS's not-found wording. */
export function existing(s: IamState, arn: string): ManagedView {
  checkPolicyArn(arn);
  const view = findManaged(s, arn);
  if (view === undefined) throw noSuchEntity(`Policy ${arn} was not found.`);
  return view;
}

/** Per-account attachment and boundary counts of every managed policy in use. */
export interface Usage {
  attachments: Map<string, number>;
  boundaries: Map<string, number>;
}

/** Counts attachments and boundary uses across the account's users, groups and roles. */
export function usage(s: IamState): Usage {
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  const bump = (m: Map<string, number>, arn: string): void => void m.set(arn, (m.get(arn) ?? 0) + 1);
  for (const u of s.users.values()) {
    u.attached.forEach((a) => bump(attachments, a));
    if (u.boundary !== undefined) bump(boundaries, u.boundary);
  }
  for (const g of s.groups.values()) g.attached.forEach((a) => bump(attachments, a));
  for (const r of s.roles.values()) {
    r.attached.forEach((a) => bump(attachments, a));
    if (r.boundary !== undefined) bump(boundaries, r.boundary);
  }
  return { attachments, boundaries };
}

/** The `Policy` structure of CreatePolicy/GetPolicy (and, without description, ListPolicies). */
export function policyOut(v: ManagedView, u: Usage, opts: { description?: boolean; tags?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    PolicyName: v.name,
    PolicyId: v.id,
    Arn: v.arn,
    Path: v.path,
    DefaultVersionId: v.defaultVersionId,
    AttachmentCount: u.attachments.get(v.arn) ?? 0,
    PermissionsBoundaryUsageCount: u.boundaries.get(v.arn) ?? 0,
    IsAttachable: true,
    CreateDate: v.createDate,
    UpdateDate: v.updateDate,
  };
  if (opts.description === true && v.rec?.description !== undefined) out['Description'] = v.rec.description;
  if (opts.tags === true && v.rec !== undefined) Object.assign(out, tagsOut(v.rec.tags));
  return out;
}

/** The default version's document of any managed policy, looked up across accounts. */
export function managedDocument(stores: Stores, arn: string): { name: string; document: string } | undefined {
  if (isAwsManagedArn(arn)) {
    const p = awsManagedPolicy(arn);
    const doc = p && awsManagedDocument(arn);
    return p === undefined || doc === undefined ? undefined : { name: p.name, document: doc };
  }
  const account = parseArn(arn)?.account;
  if (account === undefined || !/^\d{12}$/.test(account)) return undefined;
  const rec = customerPolicy(iamState(stores, account), arn);
  const doc = rec?.versions.find((v) => v.id === rec.defaultVersion)?.document;
  return rec === undefined || doc === undefined ? undefined : { name: rec.name, document: doc };
}
