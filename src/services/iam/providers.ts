/** Identity providers: OpenID Connect (web identity federation) and SAML. */
import { randomUUID } from 'node:crypto';
import type { Handler } from '../types.js';
import { date, inputTags, listTags, mergeTags, removeTags, stateOf, str, strings, tagsOut } from './common.js';
import { alreadyExists, checkName, invalidInput, noSuchEntity, validationText } from './errors.js';
import { iso, type IamState, type OidcRec, type SamlRec } from './store.js';

const MAX_THUMBPRINTS = 5;
const MAX_CLIENT_IDS = 100;

function getOidc(s: IamState, arn: string): OidcRec {
  const p = s.oidc.get(arn);
  if (p === undefined) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

function checkThumbprints(list: string[]): string[] {
  if (list.length > MAX_THUMBPRINTS) throw invalidInput(`Thumbprint list must contain fewer than ${MAX_THUMBPRINTS} entries.`);
  for (const t of list) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw validationText(`Thumbprint ${t} must be 40 hexadecimal characters.`);
  return list;
}

function checkClientIds(list: string[]): string[] {
  if (list.length > MAX_CLIENT_IDS) throw invalidInput(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
  for (const c of list) if (c.length < 1 || c.length > 255) throw validationText(`Client ID ${c} must be between 1 and 255 characters.`);
  return [...new Set(list)];
}

/** CreateOpenIDConnectProvider: an https issuer, its audiences (client ids) and optional thumbprints. */
export const createOpenIDConnectProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const url = String(input['Url']);
  const m = /^https:\/\/([^\s]+?)\/?$/.exec(url);
  if (m === null) throw validationText('Invalid Open ID Connect Provider URL');
  const host = m[1] as string;
  const arn = `arn:aws:iam::${s.account}:oidc-provider/${host}`;
  if (s.oidc.has(arn)) throw alreadyExists(`Provider with url ${url} already exists.`);
  const p: OidcRec = {
    arn, url: host, clientIds: checkClientIds(strings(input, 'ClientIDList')), thumbprints: checkThumbprints(strings(input, 'ThumbprintList')),
    createDate: iso(ctx.clock.now()), tags: inputTags(input),
  };
  s.oidc.set(arn, p);
  return { OpenIDConnectProviderArn: arn, ...tagsOut(p.tags) };
};

/** GetOpenIDConnectProvider: the issuer without its scheme, as AWS answers it. */
export const getOpenIDConnectProvider: Handler = (input, ctx) => {
  const p = getOidc(stateOf(ctx), String(input['OpenIDConnectProviderArn']));
  return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: date(p.createDate), ...tagsOut(p.tags) };
};

/** DeleteOpenIDConnectProvider: removes the provider. */
export const deleteOpenIDConnectProvider: Handler = (input, ctx) => {
  // Deleting a provider that does not exist succeeds, as on AWS.
  stateOf(ctx).oidc.delete(String(input['OpenIDConnectProviderArn']));
  return {};
};

/** ListOpenIDConnectProviders: the ARNs of the providers. */
export const listOpenIDConnectProviders: Handler = (_input, ctx) => ({
  OpenIDConnectProviderList: [...stateOf(ctx).oidc.values()].map((p) => ({ Arn: p.arn })),
});

/** AddClientIDToOpenIDConnectProvider: adds an audience (idempotent). */
export const addClientIDToOpenIDConnectProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getOidc(s, String(input['OpenIDConnectProviderArn']));
  s.oidc.set(p.arn, { ...p, clientIds: checkClientIds([...p.clientIds, String(input['ClientID'])]) });
  return {};
};

/** RemoveClientIDFromOpenIDConnectProvider: removes an audience. */
export const removeClientIDFromOpenIDConnectProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getOidc(s, String(input['OpenIDConnectProviderArn']));
  s.oidc.set(p.arn, { ...p, clientIds: p.clientIds.filter((c) => c !== String(input['ClientID'])) });
  return {};
};

/** UpdateOpenIDConnectProviderThumbprint: replaces the thumbprints. */
export const updateOpenIDConnectProviderThumbprint: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getOidc(s, String(input['OpenIDConnectProviderArn']));
  s.oidc.set(p.arn, { ...p, thumbprints: checkThumbprints(strings(input, 'ThumbprintList')) });
  return {};
};

/** TagOpenIDConnectProvider: adds or replaces tags. */
export const tagOpenIDConnectProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getOidc(s, String(input['OpenIDConnectProviderArn']));
  s.oidc.set(p.arn, { ...p, tags: mergeTags(p.tags, inputTags(input)) });
  return {};
};

/** UntagOpenIDConnectProvider: removes tags. */
export const untagOpenIDConnectProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getOidc(s, String(input['OpenIDConnectProviderArn']));
  s.oidc.set(p.arn, { ...p, tags: removeTags(p.tags, input) });
  return {};
};

/** ListOpenIDConnectProviderTags: the provider's tags. */
export const listOpenIDConnectProviderTags: Handler = (input, ctx) =>
  listTags(getOidc(stateOf(ctx), String(input['OpenIDConnectProviderArn'])).tags, input);

function getSaml(s: IamState, arn: string): SamlRec {
  const p = s.saml.get(arn);
  if (p === undefined) throw noSuchEntity(`SAMLProvider ${arn} not found`);
  return p;
}

// The metadata's own validUntil, when it states one.
function validUntilOf(metadata: string): string | undefined {
  const v = /validUntil="([^"]+)"/.exec(metadata)?.[1];
  return v !== undefined && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined;
}

function samlOut(p: SamlRec): Record<string, unknown> {
  const out: Record<string, unknown> = { Arn: p.arn, CreateDate: date(p.createDate) };
  if (p.validUntil !== '') out['ValidUntil'] = date(p.validUntil);
  return out;
}

/** CreateSAMLProvider: keeps the metadata; ValidUntil comes from the metadata's own validUntil. */
export const createSAMLProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['Name'], 'name', 128);
  const arn = `arn:aws:iam::${s.account}:saml-provider/${name}`;
  if (s.saml.has(arn)) throw alreadyExists(`SAMLProvider ${name} already exists`);
  const metadata = String(input['SAMLMetadataDocument']);
  const p: SamlRec = {
    arn, name, metadata, createDate: iso(ctx.clock.now()), validUntil: validUntilOf(metadata) ?? '', uuid: randomUUID(), tags: inputTags(input),
  };
  s.saml.set(arn, p);
  return { SAMLProviderArn: arn, ...tagsOut(p.tags) };
};

/** GetSAMLProvider: the metadata and dates. */
export const getSAMLProvider: Handler = (input, ctx) => {
  const p = getSaml(stateOf(ctx), String(input['SAMLProviderArn']));
  const { Arn: _arn, ...rest } = samlOut(p);
  return { SAMLProviderUUID: p.uuid, SAMLMetadataDocument: p.metadata, ...rest, ...tagsOut(p.tags) };
};

/** UpdateSAMLProvider: replaces the metadata. */
export const updateSAMLProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getSaml(s, String(input['SAMLProviderArn']));
  const metadata = str(input, 'SAMLMetadataDocument') ?? p.metadata;
  s.saml.set(p.arn, { ...p, metadata, validUntil: validUntilOf(metadata) ?? p.validUntil });
  return { SAMLProviderArn: p.arn };
};

/** DeleteSAMLProvider: removes the provider. */
export const deleteSAMLProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  s.saml.delete(getSaml(s, String(input['SAMLProviderArn'])).arn);
  return {};
};

/** ListSAMLProviders: the providers with their dates. */
export const listSAMLProviders: Handler = (_input, ctx) => ({ SAMLProviderList: [...stateOf(ctx).saml.values()].map(samlOut) });

/** TagSAMLProvider: adds or replaces tags. */
export const tagSAMLProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getSaml(s, String(input['SAMLProviderArn']));
  s.saml.set(p.arn, { ...p, tags: mergeTags(p.tags, inputTags(input)) });
  return {};
};

/** UntagSAMLProvider: removes tags. */
export const untagSAMLProvider: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getSaml(s, String(input['SAMLProviderArn']));
  s.saml.set(p.arn, { ...p, tags: removeTags(p.tags, input) });
  return {};
};

/** ListSAMLProviderTags: the provider's tags. */
export const listSAMLProviderTags: Handler = (input, ctx) => listTags(getSaml(stateOf(ctx), String(input['SAMLProviderArn'])).tags, input);
