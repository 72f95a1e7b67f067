/**
 * Access keys and service-specific credentials. An access key made here is real: it is
 * registered with the app's identities and signs requests as its user until it is made
 * Inactive or deleted.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../core/identity.js';
import { accessKeyId, secretAccessKey } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { date, getUser, pageInfo, paginate, stateOf, str } from './common.js';
import { checkEnum, limitExceeded, noSuchEntity, validationError, validationText } from './errors.js';
import { iso, uniqueId, type AccessKeyRec, type IamState, type ServiceCredentialRec } from './store.js';
import { userPrincipal } from './users.js';

const KEYS_PER_USER = 2;
const STATUSES = ['Active', 'Inactive'] as const;

interface Owner {
  /** The user's name as created; `''` for the account root user's own keys. */
  name: string;
  principal: Principal;
}

// Whose keys: the named user, else the calling user, else (for the root user) the root's own.
function ownerOf(s: IamState, input: Record<string, unknown>, ctx: ServiceContext): Owner {
  const named = str(input, 'UserName');
  const p = ctx.principal;
  if (named === undefined && p.type === 'root') return { name: '', principal: p };
  if (named === undefined && p.type !== 'user') throw validationText('Must specify userName when calling with non-User credentials');
  const u = getUser(s, named ?? p.issuerName ?? p.name ?? p.arn.slice(p.arn.lastIndexOf('/') + 1));
  return { name: u.name, principal: userPrincipal(s.account, u) };
}

function getKey(s: IamState, id: string, owner?: Owner): AccessKeyRec {
  const k = s.accessKeys.get(id);
  if (k === undefined || (owner !== undefined && k.user !== owner.name)) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return k;
}

/** CreateAccessKey: a real key, registered so it signs requests as its user at once; two per user. */
export const createAccessKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const owner = ownerOf(s, input, ctx);
  const count = [...s.accessKeys.values()].filter((k) => k.user === owner.name).length;
  if (count >= KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
  const k: AccessKeyRec = { id: accessKeyId('AKIA'), secret: secretAccessKey(), user: owner.name, status: 'Active', createDate: iso(ctx.clock.now()) };
  s.accessKeys.set(k.id, k);
  ctx.identities.register({ accessKeyId: k.id, secretAccessKey: k.secret, principal: owner.principal });
  return {
    AccessKey: { UserName: owner.name || s.account, AccessKeyId: k.id, Status: k.status, SecretAccessKey: k.secret, CreateDate: date(k.createDate) },
  };
};

/** UpdateAccessKey: Inactive keys are refused by the gateway until made Active again. */
export const updateAccessKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const owner = ownerOf(s, input, ctx);
  const k = getKey(s, String(input['AccessKeyId']), owner);
  const status = checkEnum(input['Status'], 'status', STATUSES);
  s.accessKeys.set(k.id, { ...k, status });
  if (status === 'Active') ctx.identities.register({ accessKeyId: k.id, secretAccessKey: k.secret, principal: owner.principal });
  else ctx.identities.remove(k.id);
  return {};
};

/** DeleteAccessKey: the key stops working at once. */
export const deleteAccessKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const k = getKey(s, String(input['AccessKeyId']), ownerOf(s, input, ctx));
  s.accessKeys.delete(k.id);
  ctx.identities.remove(k.id);
  return {};
};

/** ListAccessKeys: the user's keys (the caller's own without UserName). */
export const listAccessKeys: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const owner = ownerOf(s, input, ctx);
  const keys = [...s.accessKeys.values()].filter((k) => k.user === owner.name);
  const p = paginate(keys, input);
  return {
    AccessKeyMetadata: p.items.map((k) => ({ UserName: k.user || s.account, AccessKeyId: k.id, Status: k.status, CreateDate: date(k.createDate) })),
    ...pageInfo(p),
  };
};

/** GetAccessKeyLastUsed: `N/A` until the gateway reports a use. */
export const getAccessKeyLastUsed: Handler = (input, ctx) => {
  const k = getKey(stateOf(ctx), String(input['AccessKeyId']));
  const used = k.lastUsed === undefined
    ? { ServiceName: 'N/A', Region: 'N/A' }
    : { LastUsedDate: date(k.lastUsed.date), ServiceName: k.lastUsed.service, Region: k.lastUsed.region };
  return { UserName: k.user || stateOf(ctx).account, AccessKeyLastUsed: used };
};

/** Re-registers every active access key of every account (at start, with a data directory). */
export function registerStoredKeys(s: IamState, register: (id: string, secret: string, principal: Principal) => void): void {
  for (const k of s.accessKeys.values()) {
    if (k.status !== 'Active') continue;
    if (k.user === '') {
      register(k.id, k.secret, { type: 'root', account: s.account, arn: `arn:aws:iam::${s.account}:root`, userId: s.account });
      continue;
    }
    const u = s.users.get(k.user.toLowerCase());
    if (u !== undefined) register(k.id, k.secret, userPrincipal(s.account, u));
  }
}

// Services that issue service-specific credentials.
const CREDENTIAL_SERVICES = new Set(['codecommit.amazonaws.com', 'cassandra.amazonaws.com', 'bedrock.amazonaws.com']);
const CREDENTIALS_PER_SERVICE = 2;

function credentialOut(c: ServiceCredentialRec, withPassword: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    CreateDate: date(c.createDate), ServiceName: c.serviceName, ServiceSpecificCredentialId: c.id,
    ServiceUserName: c.serviceUserName, Status: c.status, UserName: c.user,
  };
  if (withPassword) out['ServicePassword'] = c.password;
  return out;
}

function servicePassword(): string {
  return randomBytes(33).toString('base64');
}

// AWS checks the id's form, then the user, then that the credential exists.
function getCredential(s: IamState, input: Record<string, unknown>, ctx: ServiceContext): ServiceCredentialRec {
  const id = String(input['ServiceSpecificCredentialId']);
  if (!/^\w+$/.test(id)) {
    throw validationError("Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+");
  }
  const owner = ownerOf(s, input, ctx);
  const c = s.serviceCredentials.get(id);
  if (c === undefined || c.user !== owner.name) throw noSuchEntity(`No such credential ${id} exists`);
  return c;
}

/** CreateServiceSpecificCredential: a user name and password for CodeCommit, Keyspaces or Bedrock. */
export const createServiceSpecificCredential: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const service = String(input['ServiceName']);
  if (!CREDENTIAL_SERVICES.has(service)) throw noSuchEntity(`No such service ${service} is supported for Service Specific Credentials`);
  const existing = [...s.serviceCredentials.values()].filter((c) => c.user === u.name && c.serviceName === service);
  if (existing.length >= CREDENTIALS_PER_SERVICE) {
    throw limitExceeded(`Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${CREDENTIALS_PER_SERVICE}`);
  }
  const c: ServiceCredentialRec = {
    id: uniqueId('ACCA'), user: u.name, serviceName: service, serviceUserName: `${u.name}-at-${s.account}`,
    password: servicePassword(), status: 'Active', createDate: iso(ctx.clock.now()),
  };
  s.serviceCredentials.set(c.id, c);
  return { ServiceSpecificCredential: credentialOut(c, true) };
};

/** ListServiceSpecificCredentials: the user's credentials, without passwords. */
export const listServiceSpecificCredentials: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const owner = ownerOf(s, input, ctx);
  const service = str(input, 'ServiceName');
  const list = [...s.serviceCredentials.values()].filter((c) => c.user === owner.name && (service === undefined || c.serviceName === service));
  return { ServiceSpecificCredentials: list.map((c) => credentialOut(c, false)) };
};

/** UpdateServiceSpecificCredential: Active or Inactive. */
export const updateServiceSpecificCredential: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const status = checkEnum(input['Status'], 'status', STATUSES);
  const c = getCredential(s, input, ctx);
  s.serviceCredentials.set(c.id, { ...c, status });
  return {};
};

/** ResetServiceSpecificCredential: a new password for the credential. */
export const resetServiceSpecificCredential: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = { ...getCredential(s, input, ctx), password: servicePassword() };
  s.serviceCredentials.set(c.id, c);
  return { ServiceSpecificCredential: credentialOut(c, true) };
};

/** DeleteServiceSpecificCredential: removes the credential. */
export const deleteServiceSpecificCredential: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  s.serviceCredentials.delete(getCredential(s, input, ctx).id);
  return {};
};
