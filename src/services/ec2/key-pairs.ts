/**
 * Key pairs: CreateKeyPair makes a real key (RSA 2048 or ED25519) and hands out its private
 * half once; ImportKeyPair takes an OpenSSH public key. Fingerprints follow EC2's rules: a
 * created RSA key's is the SHA-1 of its PKCS#8 private key, an imported RSA key's the MD5 of
 * its public key (DER), an ED25519 key's the base64 SHA-256 of its OpenSSH public key blob.
 * RunInstances checks KeyName against these.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { describe } from './describe.js';
import { invalidParam } from './errors.js';
import { dryRun } from './instances-common.js';
import type { Ec2State, Tag } from './store.js';
import { ec2State } from './store.js';
import { tagsFor } from './tags.js';

interface KeyPairRecord { id: string; name: string; type: 'rsa' | 'ed25519'; fingerprint: string; publicKey: string; tags: Tag[]; createdMs: number }

const keyPairs = (s: Ec2State) => s.extra<KeyPairRecord>('keyPairs');

const notFound = (name: string) => new AwsError('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`, 400);

/** The key pair named `name`, or InvalidKeyPair.NotFound (RunInstances' KeyName). */
export function keyPairNamed(s: Ec2State, name: string): KeyPairRecord {
  const k = [...keyPairs(s).values()].find((x) => x.name === name);
  if (k === undefined) throw notFound(name);
  return k;
}

const colonHex = (b: Buffer) => b.toString('hex').match(/../g)!.join(':');
const sshString = (b: Buffer | string) => {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};

/** The OpenSSH public key blob (`ssh-rsa …` / `ssh-ed25519 …` body) of a public key. */
function sshBlob(pub: KeyObject): Buffer {
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.kty === 'OKP') return Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(jwk.x!, 'base64url'))]);
  // RSA mpints carry a leading zero when the high bit is set.
  const mpint = (v: string) => { const b = Buffer.from(v, 'base64url'); return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), b]) : b); };
  return Buffer.concat([sshString('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!)]);
}

function openSshPublic(pub: KeyObject, comment: string): string {
  const type = pub.asymmetricKeyType === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa';
  return `${type} ${sshBlob(pub).toString('base64')} ${comment}`;
}

/** An ED25519 private key in OpenSSH's own format, as EC2 returns one (unencrypted). */
function openSshPrivate(priv: KeyObject, pub: KeyObject): string {
  const blob = sshBlob(pub);
  const seed = Buffer.from(priv.export({ format: 'jwk' }).d!, 'base64url');
  const raw = Buffer.from(pub.export({ format: 'jwk' }).x!, 'base64url');
  const check = randomBytes(4);
  let inner = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(raw), sshString(Buffer.concat([seed, raw])), sshString('')]);
  const pad = (8 - (inner.length % 8)) % 8;
  inner = Buffer.concat([inner, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), Buffer.from([0, 0, 0, 1]), sshString(blob), sshString(inner)]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString('base64').match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function checkName(s: Ec2State, name: unknown): string {
  const text = String(name ?? '');
  if (text.length === 0 || text.length > 255 || !/^[\x20-\x7e]+$/.test(text)) throw invalidParam(`Value (${text}) for parameter keyName is invalid. Length exceeds maximum of 255.`);
  if ([...keyPairs(s).values()].some((k) => k.name === text)) throw new AwsError('InvalidKeyPair.Duplicate', `The keypair '${text}' already exists.`, 400);
  return text;
}

function save(s: Ec2State, k: KeyPairRecord) {
  keyPairs(s).set(k.id, k);
  return { KeyName: k.name, KeyPairId: k.id, KeyFingerprint: k.fingerprint, Tags: k.tags };
}

export const createKeyPair: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const name = checkName(s, input['KeyName']);
  const type = String(input['KeyType'] ?? 'rsa');
  if (type !== 'rsa' && type !== 'ed25519') throw invalidParam(`Value (${type}) for parameter keyType is invalid.`);
  if ((input['KeyFormat'] ?? 'pem') !== 'pem') throw invalidParam('Drydock returns key material in pem format only.');
  dryRun(input);
  const tags = tagsFor(input, 'key-pair');
  const base = { id: awsId('key'), name, tags, createdMs: ctx.clock.nowMs() };
  if (type === 'ed25519') {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const fingerprint = createHash('sha256').update(sshBlob(publicKey)).digest('base64');
    const out = save(s, { ...base, type, fingerprint, publicKey: openSshPublic(publicKey, name) });
    return { ...out, KeyMaterial: openSshPrivate(privateKey, publicKey) };
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const fingerprint = colonHex(createHash('sha1').update(privateKey.export({ format: 'der', type: 'pkcs8' })).digest());
  const out = save(s, { ...base, type: 'rsa', fingerprint, publicKey: openSshPublic(publicKey, name) });
  return { ...out, KeyMaterial: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString().trimEnd() };
};

/** Reads `ssh-rsa AAAA… comment` / `ssh-ed25519 AAAA… comment` into a public key. */
function parseOpenSsh(text: string): KeyObject {
  const bad = () => new AwsError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format', 400);
  const [type, body] = text.trim().split(/\s+/);
  if (body === undefined || (type !== 'ssh-rsa' && type !== 'ssh-ed25519')) throw bad();
  const blob = Buffer.from(body, 'base64');
  const parts: Buffer[] = [];
  for (let at = 0; at + 4 <= blob.length;) {
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) throw bad();
    parts.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (parts[0]?.toString() !== type) throw bad();
  try {
    if (type === 'ssh-ed25519') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: parts[1]!.toString('base64url') }, format: 'jwk' });
    const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b).toString('base64url');
    return createPublicKey({ key: { kty: 'RSA', e: strip(parts[1]!), n: strip(parts[2]!) }, format: 'jwk' });
  } catch {
    throw bad();
  }
}

export const importKeyPair: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const name = checkName(s, input['KeyName']);
  const material = input['PublicKeyMaterial'];
  const text = Buffer.from(material instanceof Uint8Array ? material : String(material ?? '')).toString('utf8');
  const pub = parseOpenSsh(text);
  dryRun(input);
  const ed = pub.asymmetricKeyType === 'ed25519';
  const fingerprint = ed
    ? createHash('sha256').update(sshBlob(pub)).digest('base64')
    : colonHex(createHash('md5').update(pub.export({ format: 'der', type: 'spki' })).digest());
  return save(s, { id: awsId('key'), name, type: ed ? 'ed25519' : 'rsa', fingerprint, publicKey: openSshPublic(pub, name), tags: tagsFor(input, 'key-pair'), createdMs: ctx.clock.nowMs() });
};

export const describeKeyPairs: Handler = (input, ctx) => {
  dryRun(input);
  const s = ec2State(ctx);
  const names = Array.isArray(input['KeyNames']) ? (input['KeyNames'] as string[]) : [];
  for (const n of names) keyPairNamed(s, n);
  const page = describe({
    items: [...keyPairs(s).values()].filter((k) => names.length === 0 || names.includes(k.name)), idOf: (k) => k.id, tagsOf: (k) => k.tags,
    notFound: (ids) => new AwsError('InvalidKeyPair.NotFound', `The key pair ID '${ids[0]}' does not exist`, 400),
    fields: { 'key-name': (k) => k.name, 'key-pair-id': (k) => k.id, fingerprint: (k) => k.fingerprint, 'key-type': (k) => k.type },
    ids: input['KeyPairIds'], filters: input['Filters'],
  });
  return {
    KeyPairs: page.items.map((k) => ({
      KeyPairId: k.id, KeyName: k.name, KeyType: k.type, KeyFingerprint: k.fingerprint, Tags: k.tags, CreateTime: new Date(k.createdMs),
      ...(input['IncludePublicKey'] === true ? { PublicKey: k.publicKey } : {}),
    })),
  };
};

/** Deleting a key pair that does not exist succeeds, as on AWS. */
export const deleteKeyPair: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  if (input['KeyName'] === undefined && input['KeyPairId'] === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId', 400);
  dryRun(input);
  const k = [...keyPairs(s).values()].find((x) => x.name === input['KeyName'] || x.id === input['KeyPairId']);
  if (k !== undefined) keyPairs(s).delete(k.id);
  return { Return: true, KeyPairId: k?.id };
};
