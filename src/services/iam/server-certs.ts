/** Server certificates (for load balancers and CloudFront, before ACM): upload, read, rename, delete. */
import { createPrivateKey } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import {
  byPathPrefix, date, inputTags, listTags, mergeTags, pageInfo, paginate, removeTags, sortedByName, stateOf, str, tagsOut,
} from './common.js';
import { parseCertificate } from './credentials.js';
import { alreadyExists, checkName, checkPath, noSuchEntity } from './errors.js';
import { iso, key, uniqueId, type IamState, type ServerCertRec } from './store.js';

function getCert(s: IamState, name: string): ServerCertRec {
  const c = s.serverCerts.get(key(name));
  if (c === undefined) throw noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
  return c;
}

function metadata(s: IamState, c: ServerCertRec): Record<string, unknown> {
  return {
    Path: c.path, ServerCertificateName: c.name, ServerCertificateId: c.id,
    Arn: `arn:aws:iam::${s.account}:server-certificate${c.path}${c.name}`, UploadDate: date(c.uploadDate), Expiration: date(c.expiration),
  };
}

/** UploadServerCertificate: checks the certificate, the key and that they match; Expiration from the certificate. */
export const uploadServerCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['ServerCertificateName'], 'serverCertificateName', 128);
  const path = checkPath(input['Path']);
  const body = String(input['CertificateBody']).trim();
  const cert = parseCertificate(body);
  let privateKey;
  try {
    privateKey = createPrivateKey(String(input['PrivateKey']));
  } catch {
    throw new AwsError('MalformedCertificateException', 'Private key is malformed.', 400);
  }
  if (!cert.checkPrivateKey(privateKey)) throw new AwsError('KeyPairMismatchException', 'Certificate and private key do not match.', 400);
  const chain = str(input, 'CertificateChain');
  if (chain !== undefined) parseCertificate(chain);
  if (s.serverCerts.has(key(name))) throw alreadyExists(`The Server Certificate with name ${name} already exists.`);
  const c: ServerCertRec = {
    name, path, id: uniqueId('ASCA'), body, uploadDate: iso(ctx.clock.now()), expiration: new Date(cert.validTo).toISOString(), tags: inputTags(input),
    ...(chain === undefined ? {} : { chain: chain.trim() }),
  };
  s.serverCerts.set(key(name), c);
  return { ServerCertificateMetadata: metadata(s, c), ...tagsOut(c.tags) };
};

/** GetServerCertificate: metadata, body and chain (never the private key). */
export const getServerCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = getCert(s, String(input['ServerCertificateName']));
  const out: Record<string, unknown> = { ServerCertificateMetadata: metadata(s, c), CertificateBody: c.body, ...tagsOut(c.tags) };
  if (c.chain !== undefined) out['CertificateChain'] = c.chain;
  return { ServerCertificate: out };
};

/** ListServerCertificates: metadata by name, filtered by PathPrefix. */
export const listServerCertificates: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = paginate(sortedByName(byPathPrefix(s.serverCerts.values(), input)), input);
  return { ServerCertificateMetadataList: p.items.map((c) => metadata(s, c)), ...pageInfo(p) };
};

/** UpdateServerCertificate: renames or moves the certificate. */
export const updateServerCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = getCert(s, String(input['ServerCertificateName']));
  const name = input['NewServerCertificateName'] === undefined ? c.name : checkName(input['NewServerCertificateName'], 'newServerCertificateName', 128);
  const path = input['NewPath'] === undefined ? c.path : checkPath(input['NewPath'], 'newPath');
  if (key(name) !== key(c.name) && s.serverCerts.has(key(name))) throw alreadyExists(`The Server Certificate with name ${name} already exists.`);
  s.serverCerts.delete(key(c.name));
  s.serverCerts.set(key(name), { ...c, name, path });
  return {};
};

/** DeleteServerCertificate: removes it. */
export const deleteServerCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  s.serverCerts.delete(key(getCert(s, String(input['ServerCertificateName'])).name));
  return {};
};

/** TagServerCertificate: adds or replaces tags. */
export const tagServerCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = getCert(s, String(input['ServerCertificateName']));
  s.serverCerts.set(key(c.name), { ...c, tags: mergeTags(c.tags, inputTags(input)) });
  return {};
};

/** UntagServerCertificate: removes tags. */
export const untagServerCertificate: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = getCert(s, String(input['ServerCertificateName']));
  s.serverCerts.set(key(c.name), { ...c, tags: removeTags(c.tags, input) });
  return {};
};

/** ListServerCertificateTags: the certificate's tags. */
export const listServerCertificateTags: Handler = (input, ctx) => listTags(getCert(stateOf(ctx), String(input['ServerCertificateName'])).tags, input);
