/**
 * AssumeRoleWithWebIdentity: an OIDC token (GitHub Actions, EKS service accounts, Google…)
 * exchanged for a role session. The token must come from an IAM OIDC provider of the role's
 * account, name one of its client ids as audience and not be expired on Drydock's clock;
 * its signature is checked against the keys {@link keysFor} can find. The role's trust
 * policy then decides with the token's claims as `<provider>:aud`, `:sub`, … keys.
 *
 * The request is unsigned on AWS, so the caller's own identity plays no part.
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { Principal } from '../../core/identity.js';
import type { IamOidcProviderInfo } from '../../core/ports.js';
import type { ContextValue, RequestPrincipal } from '../../engines/iam-policy/index.js';
import type { Handler } from '../types.js';
import { issueCredentials } from './credentials.js';
import {
  accessDenied,
  expiredToken,
  iamUnavailable,
  idpCommunicationError,
  invalidIdentityToken,
  throwProblems,
  validationError,
} from './errors.js';
import { packedPolicySize, readSessionPolicies, withSession, type SessionTags } from './session.js';
import { decideTrust, tagContext } from './trust.js';
import { ARN_LENGTH, checkRange, checkSessionPolicyMembers, checkString, parseRoleArn, SESSION_NAME } from './validate.js';
import { keysFor, normalizeIssuer, signatureValid } from './web-identity-keys.js';

const DEFAULT_DURATION = 3600;
const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

export const assumeRoleWithWebIdentity: Handler = async (input, ctx) => {
  const problems: string[] = [];
  checkString(problems, input['RoleArn'], 'roleArn', ARN_LENGTH);
  checkString(problems, input['RoleSessionName'], 'roleSessionName', SESSION_NAME);
  checkString(problems, input['WebIdentityToken'], 'webIdentityToken', { min: 4, max: 20000 });
  checkString(problems, input['ProviderId'], 'providerId', { min: 4, max: 2048 });
  checkRange(problems, input['DurationSeconds'], 'durationSeconds', 900, 43200);
  checkSessionPolicyMembers(problems, input);
  throwProblems(problems);
  const roleArn = String(input['RoleArn']);
  const sessionName = String(input['RoleSessionName']);
  const token = String(input['WebIdentityToken']);
  const arn = parseRoleArn(roleArn);
  if (arn === undefined) throw validationError(`${roleArn} is invalid`);
  const policies = readSessionPolicies(input);
  const iam = ctx.ports.iam;
  if (iam === undefined) throw iamUnavailable('AssumeRoleWithWebIdentity');

  let claims: JWTPayload;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    claims = decodeJwt(token);
    header = decodeProtectedHeader(token);
  } catch {
    throw invalidIdentityToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  }
  const iss = claims.iss;
  if (typeof iss !== 'string') throw invalidIdentityToken('The ID Token provided is missing the issuer (iss) claim.');
  const provider = iam.oidcProvider?.(arn.account, normalizeIssuer(iss));
  if (provider === undefined) throw invalidIdentityToken(`No OpenIDConnect provider found in your account for ${iss}`);
  const audience = audienceOf(claims, provider);
  const now = ctx.clock.nowMs();
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    const expires = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'missing';
    throw expiredToken(`Token expired: current date/time ${new Date(now).toISOString()} must be before the expiration date/time ${expires}`);
  }
  await checkSignature(ctx.stores, token, header as Parameters<typeof signatureValid>[1], iss);

  const role = arn.isRole ? iam.role(arn.account, arn.roleName) : undefined;
  if (role === undefined) throw accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const tags = tagsOf(claims);
  const sourceIdentity = typeof claims[SOURCE_IDENTITY_CLAIM] === 'string' ? (claims[SOURCE_IDENTITY_CLAIM] as string) : undefined;
  const context = claimContext(provider, claims, audience);
  context['sts:RoleSessionName'] = sessionName;
  context['aws:FederatedProvider'] = provider.arn;
  context['aws:RequestedRegion'] = ctx.region;
  context['aws:SourceIp'] = ctx.sourceIp;
  if (sourceIdentity !== undefined) context['sts:SourceIdentity'] = sourceIdentity;
  tagContext(context, tags.requested, tags.transitive);
  const caller: RequestPrincipal = { type: 'federated', arn: provider.arn, account: role.account, userId: String(claims.sub ?? '') };
  const actions = ['sts:AssumeRoleWithWebIdentity'];
  if (Object.keys(tags.requested).length > 0) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  if (!decideTrust(ctx, role, caller, actions, context).allowed) throw accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');

  const duration = input['DurationSeconds'] === undefined ? DEFAULT_DURATION : Number(input['DurationSeconds']);
  if (duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const packed = packedPolicySize(policies, tags.tags);
  const base: Principal = {
    type: 'assumed-role',
    account: role.account,
    arn: `arn:${arn.partition}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    name: sessionName,
    issuerArn: role.arn,
    issuerName: role.name,
  };
  const principal = withSession(base, { tags, policies, sourceIdentity, issuedAt: ctx.clock.now().toISOString() });
  const out: Record<string, unknown> = {
    Credentials: issueCredentials(ctx, principal, duration),
    SubjectFromWebIdentityToken: String(claims.sub ?? ''),
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    Provider: iss.replace(/^https:\/\//, ''),
    Audience: audience,
  };
  if (policies.policy !== undefined || policies.policyArns !== undefined || Object.keys(tags.tags).length > 0) out['PackedPolicySize'] = packed;
  if (sourceIdentity !== undefined) out['SourceIdentity'] = sourceIdentity;
  return out;
};

/** The client id the token is for: `azp` when present, else the `aud` the provider lists. */
function audienceOf(claims: JWTPayload, provider: IamOidcProviderInfo): string {
  const auds = typeof claims.aud === 'string' ? [claims.aud] : claims.aud ?? [];
  const azp = typeof claims['azp'] === 'string' ? (claims['azp'] as string) : undefined;
  const candidates = azp !== undefined ? [azp, ...auds] : auds;
  const match = candidates.find((a) => provider.clientIds.includes(a));
  if (match === undefined) throw invalidIdentityToken('Incorrect token audience');
  return match;
}

async function checkSignature(stores: Parameters<typeof keysFor>[0], token: string, header: Parameters<typeof signatureValid>[1], iss: string): Promise<void> {
  let jwks;
  try {
    jwks = await keysFor(stores, iss);
  } catch (e) {
    throw idpCommunicationError(
      `Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements: ${(e as Error).message}`,
    );
  }
  if (jwks === undefined) return;
  if (!(await signatureValid(token, header, jwks))) {
    throw invalidIdentityToken('The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.');
  }
}

/** `<provider url>:<claim>` keys for the trust policy, as AWS provides aud, oaud, azp, sub, amr. */
function claimContext(provider: IamOidcProviderInfo, claims: JWTPayload, audience: string): Record<string, ContextValue> {
  const c: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (k.includes('://')) continue;
    if (typeof v === 'string') c[`${provider.url}:${k}`] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) c[`${provider.url}:${k}`] = v as string[];
  }
  c[`${provider.url}:aud`] = audience;
  if (typeof claims['azp'] === 'string' && claims.aud !== undefined) c[`${provider.url}:oaud`] = claims.aud as string | string[];
  return c;
}

/** Session tags a provider may put in the token's `https://aws.amazon.com/tags` claim. */
function tagsOf(claims: JWTPayload): SessionTags {
  const raw = claims[TAGS_CLAIM] as { principal_tags?: Record<string, string[] | string>; transitive_tag_keys?: string[] } | undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw?.principal_tags ?? {})) tags[k] = Array.isArray(v) ? String(v[0] ?? '') : String(v);
  const transitive = (raw?.transitive_tag_keys ?? []).filter((k) => k in tags);
  return { tags, transitive, requested: tags };
}
