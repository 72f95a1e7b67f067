/**
 * Message signatures as SNS makes them, so that SNS message validators accept Drydock's
 * messages: an RSA key and a self-signed certificate made once per app (kept in the app's
 * store, so a data directory keeps them), the canonical string to sign of each message type,
 * and SignatureVersion 1 (SHA1withRSA) or 2 (SHA256withRSA).
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Stores } from '../../core/store.js';
import { selfSignedCertificate } from './der.js';

interface SigningMaterial {
  privateKeyPem: string;
  certificatePem: string;
  /** The file name AWS's form of SigningCertURL ends with: `SimpleNotificationService-<hash>.pem`. */
  fileName: string;
}

const DAY_MS = 86_400_000;
const KEY = 'default';

/** The app's signing key and certificate, made on first use (RSA 2048, valid ten years). */
export function signingMaterial(stores: Stores, clock: Clock): SigningMaterial {
  const c = stores.global('sns', (cs) => ({ signing: cs.collection<SigningMaterial>('signing') }));
  let m = c.signing.get(KEY);
  if (!m) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = clock.nowMs();
    const certificatePem = selfSignedCertificate(privateKey, {
      commonName: 'sns.amazonaws.com', organization: 'Drydock (local AWS emulator)',
      notBeforeMs: now - DAY_MS, notAfterMs: now + 3650 * DAY_MS,
    });
    const hash = createHash('md5').update(certificatePem).digest('hex');
    m = {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      certificatePem,
      fileName: `SimpleNotificationService-${hash}.pem`,
    };
    c.signing.set(KEY, m);
  }
  return m;
}

/** The certificate's URL: served by Drydock's admin API (see admin-routes.ts). */
export function signingCertUrl(endpoint: string, m: SigningMaterial): string {
  return `${endpoint.replace(/\/+$/, '')}/_drydock/sns/${m.fileName}`;
}

/** The fields of a message that take part in its signature. */
export interface SignedFields {
  Type: string;
  Message: string;
  MessageId: string;
  Timestamp: string;
  TopicArn: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/**
 * AWS's canonical string to sign: `name\nvalue\n` for each field, in the documented order —
 * Notification: Message, MessageId, Subject (when present), Timestamp, TopicArn, Type;
 * SubscriptionConfirmation and UnsubscribeConfirmation: Message, MessageId, SubscribeURL,
 * Timestamp, Token, TopicArn, Type.
 */
export function stringToSign(f: SignedFields): string {
  const names = f.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;
  let out = '';
  for (const n of names) {
    const v = f[n];
    if (v !== undefined) out += `${n}\n${v}\n`;
  }
  return out;
}

const keys = new Map<string, ReturnType<typeof createPrivateKey>>();

/** The base64 signature of a message: version 1 signs with SHA1withRSA, version 2 with SHA256withRSA. */
export function signMessage(m: SigningMaterial, f: SignedFields, version: '1' | '2'): string {
  let key = keys.get(m.privateKeyPem);
  if (!key) {
    if (keys.size > 16) keys.clear();
    key = createPrivateKey(m.privateKeyPem);
    keys.set(m.privateKeyPem, key);
  }
  return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(stringToSign(f), 'utf8'), key).toString('base64');
}
