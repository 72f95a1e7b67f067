import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { IAMClient } from '@aws-sdk/client-iam';
import type { SdkConfig } from '../../helpers.js';

/** An IAM client for the started Drydock. */
export function iamClient(config: SdkConfig): IAMClient {
  return new IAMClient(config);
}

/**
 * Asserts that `p` rejects with the AWS error `code` (the wire code, e.g. `NoSuchEntity`),
 * HTTP `status` and (when given) `message`.
 */
export async function rejectsWith(p: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.Code ?? e.name, code, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message !== undefined) assert.match(e.message, message);
    return true;
  });
}

/** A trust policy letting `service` assume a role. */
export function trustFor(service: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
}

/** An identity policy allowing `actions` on `resource`. */
export function allow(actions: string | string[], resource: string | string[] = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });
}

/** The TOTP code (RFC 6238, SHA-1, 30 s, 6 digits) of a base32 seed at a time, as an authenticator app computes it. */
export function totpCode(seedBase32: string, when: Date): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of seedBase32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when.getTime() / 30000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = (h[19] as number) & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
