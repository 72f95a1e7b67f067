/**
 * Policy size quotas, from the IAM and STS quotas page, the Organizations quotas page and
 * the S3/KMS documentation. IAM does not count white space outside strings; Organizations
 * counts every character of an SCP or RCP; S3 and KMS count bytes.
 */

/** Which quota a document (or an entity's set of inline documents) is held to. */
export type PolicySizeQuota =
  | 'managed'
  | 'user-inline'
  | 'group-inline'
  | 'role-inline'
  | 'trust'
  | 'session'
  | 'scp'
  | 'rcp'
  | 'bucket'
  | 'key';

/** A quota's limit and how documents are measured against it. */
export interface PolicySizeLimit {
  readonly max: number;
  /** `characters`: IAM, white space outside strings ignored; `all-characters`: every character; `bytes`: UTF-8 bytes. */
  readonly measure: 'characters' | 'all-characters' | 'bytes';
  /** True when the limit applies to the sum of an entity's inline documents. */
  readonly aggregate: boolean;
}

/**
 * The limits used:
 * - managed policy: 6,144 characters;
 * - inline policies, summed per entity: user 2,048, group 5,120, role 10,240 characters;
 * - role trust policy: 2,048 characters (the default quota; AWS can raise it to 4,096);
 * - session policies passed to STS: 2,048 characters;
 * - SCP and RCP: 5,120 characters, white space included;
 * - S3 bucket policy: 20 KB; KMS key policy: 32 KB.
 */
export const POLICY_SIZE_LIMITS: Readonly<Record<PolicySizeQuota, PolicySizeLimit>> = {
  managed: { max: 6144, measure: 'characters', aggregate: false },
  'user-inline': { max: 2048, measure: 'characters', aggregate: true },
  'group-inline': { max: 5120, measure: 'characters', aggregate: true },
  'role-inline': { max: 10240, measure: 'characters', aggregate: true },
  trust: { max: 2048, measure: 'characters', aggregate: false },
  session: { max: 2048, measure: 'characters', aggregate: false },
  scp: { max: 5120, measure: 'all-characters', aggregate: false },
  rcp: { max: 5120, measure: 'all-characters', aggregate: false },
  bucket: { max: 20480, measure: 'bytes', aggregate: false },
  key: { max: 32768, measure: 'bytes', aggregate: false },
};

/** Counts the characters of a JSON document, ignoring white space outside string literals. */
export function countPolicyCharacters(doc: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i] as string;
    if (inString) {
      n++;
      if (c === '\\') {
        n++;
        i++;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
      n++;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      n++;
    }
  }
  return n;
}

/** The result of a size check. */
export interface PolicySizeCheck {
  readonly size: number;
  readonly max: number;
  readonly ok: boolean;
}

/**
 * Measures a document (or, for the inline quotas, all of an entity's inline documents)
 * against a quota. The caller turns a failure into the service's error, e.g. IAM's
 * `LimitExceeded` "Cannot exceed quota for PolicySize: 6144" or "Maximum policy size of
 * 10240 bytes exceeded for role Name".
 */
export function checkPolicySize(docs: string | readonly string[], quota: PolicySizeQuota): PolicySizeCheck {
  const limit = POLICY_SIZE_LIMITS[quota];
  const list = typeof docs === 'string' ? [docs] : docs;
  let size = 0;
  for (const d of list) {
    size +=
      limit.measure === 'characters' ? countPolicyCharacters(d) : limit.measure === 'bytes' ? Buffer.byteLength(d, 'utf8') : d.length;
  }
  return { size, max: limit.max, ok: size <= limit.max };
}
