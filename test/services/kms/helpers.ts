import assert from 'node:assert/strict';
import { KMSClient } from '@aws-sdk/client-kms';
import { sdkConfig } from '../../helpers.js';
import type { RunningDrydock } from '../../../src/embedded/index.js';

/** A KMS client for the test Drydock, optionally in another region or account. */
export function kmsClient(dd: RunningDrydock, opts: { region?: string; accessKeyId?: string } = {}): KMSClient {
  return new KMSClient(sdkConfig(dd, {
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.accessKeyId ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: 'test' } } : {}),
  }));
}

/** Asserts that `p` rejects with AWS error `code` and, when given, exactly `message`. */
export async function rejectsWith(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);
