import { isAccountId } from './ids.js';

/** Who made a request, as the IAM engine and GetCallerIdentity see it. */
export interface Principal {
  type: 'root' | 'user' | 'assumed-role' | 'federated-user' | 'anonymous' | 'service';
  account: string;
  arn: string;
  /** The `UserId` GetCallerIdentity answers: the account id for root, AIDA…/AROA…:session otherwise. */
  userId: string;
  /** User name, or role session name. */
  name?: string;
  /** What issued a session: the role ARN (with path) for assumed roles, the user ARN for federated users. */
  issuerArn?: string;
  /** Name of the IAM user or role behind the principal (for looking up its policies). */
  issuerName?: string;
  /** Session tags (aws:PrincipalTag/* overrides) and the keys that are transitive. */
  sessionTags?: Record<string, string>;
  transitiveTagKeys?: string[];
  /** Inline session policy and managed session policy ARNs passed when the session was made. */
  sessionPolicy?: string;
  sessionPolicyArns?: string[];
  sourceIdentity?: string;
  /** aws:MultiFactorAuthPresent for the session. */
  mfa?: boolean;
  /** aws:TokenIssueTime. */
  issuedAt?: string;
}

/** A credential Drydock accepts: secret for SigV4 verification and the principal it stands for. */
export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  principal: Principal;
}

export const DEFAULT_ACCOUNT = '000000000000';
const DEFAULT_SECRET = 'test';

export function rootPrincipal(account: string): Principal {
  return { type: 'root', account, arn: `arn:aws:iam::${account}:root`, userId: account };
}

/**
 * An AWS service acting on an account's behalf (`lambda.amazonaws.com` assuming an execution
 * role, `events.amazonaws.com` invoking a target): its ARN is the service principal's name.
 */
export function servicePrincipal(name: string, account: string): Principal {
  return { type: 'service', account, arn: name, userId: name, name };
}

/**
 * Access keys known to Drydock. `test` (and any key with secret `test` that is a 12-digit
 * number) is the root of an account, so a newcomer is never refused; keys made by IAM and STS
 * are registered here and are the only others accepted.
 */
export class Identities {
  readonly #keys = new Map<string, CredentialRecord>();

  register(rec: CredentialRecord): void {
    this.#keys.set(rec.accessKeyId, rec);
  }

  remove(accessKeyId: string): boolean {
    return this.#keys.delete(accessKeyId);
  }

  lookup(accessKeyId: string): CredentialRecord | undefined {
    const known = this.#keys.get(accessKeyId);
    if (known) return known;
    if (accessKeyId === 'test') return { accessKeyId, secretAccessKey: DEFAULT_SECRET, principal: rootPrincipal(DEFAULT_ACCOUNT) };
    if (isAccountId(accessKeyId)) return { accessKeyId, secretAccessKey: DEFAULT_SECRET, principal: rootPrincipal(accessKeyId) };
    return undefined;
  }

  /** Forgets every key, or those matching `which` (e.g. IAM's long-term keys on an IAM reset). */
  clear(which?: (rec: CredentialRecord) => boolean): void {
    if (!which) return this.#keys.clear();
    for (const [id, rec] of this.#keys) if (which(rec)) this.#keys.delete(id);
  }
}
