/** SSH public keys (CodeCommit) and X.509 signing certificates of users. */
import { createHash, X509Certificate } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { date, getUser, pageInfo, paginate, stateOf, str } from './common.js';
import { checkEnum, limitExceeded, noSuchEntity, validationText } from './errors.js';
import { iso, uniqueId, type IamState, type SigningCertRec, type SshKeyRec } from './store.js';

const STATUSES = ['Active', 'Inactive'] as const;
const SSH_KEYS_PER_USER = 5;
const CERTS_PER_USER = 2;
const SSH_RE = /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)) ([A-Za-z0-9+/]+={0,2})(?:\s.*)?$/s;

// The MD5 fingerprint AWS shows for an SSH key: colon-separated hex of the key blob.
function fingerprint(body: string): string {
  const m = SSH_RE.exec(body.trim());
  const blob = m !== null ? Buffer.from(m[2] as string, 'base64') : Buffer.from(body);
  return createHash('md5').update(blob).digest('hex').match(/../g)?.join(':') ?? '';
}

function sshOut(k: SshKeyRec, withBody: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { UserName: k.user, SSHPublicKeyId: k.id, Status: k.status, UploadDate: date(k.uploadDate) };
  return withBody ? { ...out, Fingerprint: k.fingerprint, SSHPublicKeyBody: k.body } : out;
}

function getSshKey(s: IamState, user: string, id: string): SshKeyRec {
  const k = s.sshKeys.get(id);
  if (k === undefined || k.user !== user) throw noSuchEntity(`The Public Key with id ${id} cannot be found.`);
  return k;
}

/** UploadSSHPublicKey: an OpenSSH (or PEM) public key with its MD5 fingerprint; five per user. */
export const uploadSSHPublicKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const body = String(input['SSHPublicKeyBody']).trim();
  if (!SSH_RE.test(body) && !body.startsWith('-----BEGIN')) {
    throw new AwsError('UnrecognizedPublicKeyEncodingException', 'Public key encoding is not recognized.', 400);
  }
  const print = fingerprint(body);
  const mine = [...s.sshKeys.values()].filter((k) => k.user === u.name);
  if (mine.some((k) => k.fingerprint === print)) throw new AwsError('DuplicateSSHPublicKeyException', 'The public key is already associated with this user.', 400);
  if (mine.length >= SSH_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for SSHPublicKeysPerUser: ${SSH_KEYS_PER_USER}`);
  const k: SshKeyRec = { id: uniqueId('APKA'), user: u.name, body, fingerprint: print, status: 'Active', uploadDate: iso(ctx.clock.now()) };
  s.sshKeys.set(k.id, k);
  return { SSHPublicKey: sshOut(k, true) };
};

/** GetSSHPublicKey: the key as uploaded (PEM is not converted). */
export const getSSHPublicKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  checkEnum(input['Encoding'], 'encoding', ['SSH', 'PEM']);
  const u = getUser(s, String(input['UserName']));
  return { SSHPublicKey: sshOut(getSshKey(s, u.name, String(input['SSHPublicKeyId'])), true) };
};

/** ListSSHPublicKeys: the user's keys without bodies. */
export const listSSHPublicKeys: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'UserName') ?? (ctx.principal.type === 'user' ? ctx.principal.issuerName ?? ctx.principal.name : undefined);
  const user = name === undefined ? undefined : getUser(s, name).name;
  const p = paginate([...s.sshKeys.values()].filter((k) => user === undefined || k.user === user), input);
  return { SSHPublicKeys: p.items.map((k) => sshOut(k, false)), ...pageInfo(p) };
};

/** UpdateSSHPublicKey: Active or Inactive. */
export const updateSSHPublicKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const status = checkEnum(input['Status'], 'status', STATUSES);
  const u = getUser(s, String(input['UserName']));
  const k = getSshKey(s, u.name, String(input['SSHPublicKeyId']));
  s.sshKeys.set(k.id, { ...k, status });
  return {};
};

/** DeleteSSHPublicKey: removes the key. */
export const deleteSSHPublicKey: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  s.sshKeys.delete(getSshKey(s, u.name, String(input['SSHPublicKeyId'])).id);
  return {};
};

// Whose certificates: the named user, else the calling user, else the root user's own (`''`).
function certOwner(s: IamState, input: Record<string, unknown>, ctx: ServiceContext): string {
  const named = str(input, 'UserName');
  if (named !== undefined) return getUser(s, named).name;
  const p = ctx.principal;
  if (p.type === 'root') return '';
  if (p.type === 'user') return getUser(s, p.issuerName ?? p.name ?? '').name;
  throw validationText('Must specify userName when calling with non-User credentials');
}

function certOut(s: IamState, c: SigningCertRec): Record<string, unknown> {
  return { UserName: c.user || s.account, CertificateId: c.id, CertificateBody: c.body, Status: c.status, UploadDate: date(c.uploadDate) };
}

function getCert(s: IamState, owner: string, id: string): SigningCertRec {
  const c = s.signingCerts.get(id);
  if (c === undefined || c.user !== owner) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
  return c;
}

/** Parses a PEM certificate as AWS checks it; throws MalformedCertificate. */
export function parseCertificate(body: string): X509Certificate {
  try {
    return new X509Certificate(body);
  } catch {
    throw new AwsError('MalformedCertificateException', 'Certificate body is malformed.', 400);
  }
}

/** UploadSigningCertificate: an X.509 certificate, parsed to check it; two per user. */
export const uploadSigningCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const owner = certOwner(s, input, ctx);
  const body = String(input['CertificateBody']).trim();
  const cert = parseCertificate(body);
  const mine = [...s.signingCerts.values()].filter((c) => c.user === owner);
  if (mine.some((c) => new X509Certificate(c.body).fingerprint256 === cert.fingerprint256)) {
    throw new AwsError('DuplicateCertificateException', 'The certificate is already associated with a user.', 409);
  }
  if (mine.length >= CERTS_PER_USER) throw limitExceeded(`Cannot exceed quota for SigningCertificatesPerUser: ${CERTS_PER_USER}`);
  const c: SigningCertRec = {
    // AWS's certificate ids are 28 base32 characters without a kind prefix.
    id: (uniqueId('') + uniqueId('')).slice(0, 28),
    user: owner, body, status: 'Active', uploadDate: iso(ctx.clock.now()),
  };
  s.signingCerts.set(c.id, c);
  return { Certificate: certOut(s, c) };
};

/** ListSigningCertificates: the user's (or the root user's) certificates. */
export const listSigningCertificates: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const owner = certOwner(s, input, ctx);
  const p = paginate([...s.signingCerts.values()].filter((c) => c.user === owner), input);
  return { Certificates: p.items.map((c) => certOut(s, c)), ...pageInfo(p) };
};

/** UpdateSigningCertificate: Active or Inactive. */
export const updateSigningCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const status = checkEnum(input['Status'], 'status', STATUSES);
  const c = getCert(s, certOwner(s, input, ctx), String(input['CertificateId']));
  s.signingCerts.set(c.id, { ...c, status });
  return {};
};

/** DeleteSigningCertificate: removes the certificate. */
export const deleteSigningCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  s.signingCerts.delete(getCert(s, certOwner(s, input, ctx), String(input['CertificateId'])).id);
  return {};
};
