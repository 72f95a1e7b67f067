/**
 * Invitations: the management account invites a standalone account (by id or email), the
 * invited account lists and accepts (or declines) the handshake, and joins under the root.
 * Handshakes expire after 15 days on the clock.
 */
import type { Handler, ServiceContext } from '../types.js';
import { errors } from './errors.js';
import { attachDefaults } from './policy-ops.js';
import { newId, type HandshakeRecord, type OrgStore } from './store.js';
import { envOf, handshakeShape, managedOrg, paginate } from './views.js';

const HANDSHAKE_TTL_MS = 15 * 24 * 3600 * 1000;

// An OPEN handshake past its expiration reads as EXPIRED from then on.
function current(store: OrgStore, h: HandshakeRecord, ctx: ServiceContext): HandshakeRecord {
  if ((h.state === 'OPEN' || h.state === 'REQUESTED') && Date.parse(h.expiresAt) <= ctx.clock.nowMs()) {
    h.state = 'EXPIRED';
    store.saveHandshake(h);
  }
  return h;
}

function shape(store: OrgStore, h: HandshakeRecord): Record<string, unknown> {
  return handshakeShape(h, store.orgOf(h.managementAccount));
}

export const inviteAccountToOrganization: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const { store } = envOf(ctx);
  const target = input['Target'] as { Id: string; Type: string } | undefined;
  if (target?.Type !== 'ACCOUNT' && target?.Type !== 'EMAIL') {
    throw errors.invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type for the handshake party.');
  }
  if (target.Type === 'ACCOUNT' && !/^\d{12}$/.test(target.Id)) {
    throw errors.invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  }
  if (target.Type === 'ACCOUNT' && store.orgOf(target.Id) !== undefined) {
    throw errors.handshakeConstraint('ALREADY_IN_AN_ORGANIZATION', 'The account is already a member of an organization.');
  }
  const open = store.handshakes().some((h) => h.orgId === org.id && h.target.Id === target.Id && current(store, h, ctx).state === 'OPEN');
  if (open) throw errors.duplicateHandshake();
  const now = ctx.clock.nowMs();
  const h: HandshakeRecord = {
    id: newId.handshake(),
    orgId: org.id,
    managementAccount: org.managementAccount,
    action: 'INVITE',
    target: { Id: target.Id, Type: target.Type },
    state: 'OPEN',
    requestedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + HANDSHAKE_TTL_MS).toISOString(),
  };
  if (typeof input['Notes'] === 'string') h.notes = input['Notes'];
  store.saveHandshake(h);
  return { Handshake: shape(store, h) };
};

/** The handshake, if the caller is one of its parties (an EMAIL party: any account outside an organization). */
function mine(ctx: ServiceContext, id: string): HandshakeRecord {
  const { store } = envOf(ctx);
  const h = store.handshake(id);
  const party = h !== undefined && (h.target.Type === 'EMAIL' || h.target.Id === ctx.account || h.managementAccount === ctx.account);
  if (h === undefined || !party) throw errors.handshakeNotFound();
  return current(store, h, ctx);
}

export const acceptHandshake: Handler = (input, ctx) => {
  const h = mine(ctx, String(input['HandshakeId']));
  const { store } = envOf(ctx);
  if (h.managementAccount === ctx.account || h.state !== 'OPEN') throw errors.handshakeTransition();
  if (store.orgOf(ctx.account) !== undefined) {
    throw errors.handshakeConstraint('ALREADY_IN_AN_ORGANIZATION', 'The account is already a member of an organization.');
  }
  const org = store.orgOf(h.managementAccount);
  if (org === undefined || org.id !== h.orgId) throw errors.handshakeNotFound();
  const now = ctx.clock.now().toISOString();
  org.accounts[ctx.account] = {
    id: ctx.account,
    name: `account-${ctx.account}`,
    email: h.target.Type === 'EMAIL' ? h.target.Id : `root+${ctx.account}@drydock.local`,
    state: 'ACTIVE',
    joinedMethod: 'INVITED',
    joinedAt: now,
    parentId: org.rootId,
    tags: {},
  };
  attachDefaults(org, ctx.account);
  store.save(org);
  h.state = 'ACCEPTED';
  store.saveHandshake(h);
  return { Handshake: shape(store, h) };
};

function transition(to: 'DECLINED' | 'CANCELED', allowed: (h: HandshakeRecord, ctx: ServiceContext) => boolean): Handler {
  return (input, ctx) => {
    const h = mine(ctx, String(input['HandshakeId']));
    if (h.state === to) throw errors.handshakeAlreadyInState();
    if (h.state !== 'OPEN' || !allowed(h, ctx)) throw errors.handshakeTransition();
    h.state = to;
    const { store } = envOf(ctx);
    store.saveHandshake(h);
    return { Handshake: shape(store, h) };
  };
}

export const declineHandshake = transition('DECLINED', (h, ctx) => h.managementAccount !== ctx.account);
export const cancelHandshake = transition('CANCELED', (h, ctx) => h.managementAccount === ctx.account);

export const describeHandshake: Handler = (input, ctx) => ({ Handshake: shape(envOf(ctx).store, mine(ctx, String(input['HandshakeId']))) });

function listed(ctx: ServiceContext, input: Record<string, unknown>, pick: (h: HandshakeRecord) => boolean): Record<string, unknown> {
  const { store } = envOf(ctx);
  const filter = input['Filter'] as { ActionType?: string } | undefined;
  const all = store.handshakes().filter(pick).map((h) => current(store, h, ctx))
    .filter((h) => filter?.ActionType === undefined || filter.ActionType === h.action);
  const { page, NextToken } = paginate(all, input);
  return { Handshakes: page.map((h) => shape(store, h)), NextToken };
}

export const listHandshakesForAccount: Handler = (input, ctx) =>
  listed(ctx, input, (h) => h.target.Id === ctx.account || (h.target.Type === 'EMAIL' && envOf(ctx).store.orgOf(ctx.account) === undefined));

export const listHandshakesForOrganization: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  return listed(ctx, input, (h) => h.orgId === org.id);
};
