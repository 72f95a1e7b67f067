import { after, before } from 'node:test';
import { startDrydock, type RunningDrydock } from '../src/embedded/index.js';

/** Starts one Drydock for the current test file and stops it afterwards. */
export function useDrydock(): { readonly dd: RunningDrydock; config: () => SdkConfig } {
  let dd: RunningDrydock | undefined;
  before(async () => { dd = await startDrydock(); });
  after(async () => { await dd?.stop(); });
  return {
    get dd() { return dd!; },
    config: () => sdkConfig(dd!),
  };
}

export interface SdkConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  maxAttempts: number;
}

export function sdkConfig(dd: RunningDrydock, overrides: Partial<SdkConfig> = {}): SdkConfig {
  return { endpoint: dd.endpoint, region: 'us-east-1', credentials: dd.credentials, maxAttempts: 1, ...overrides };
}

/** SDK settings for the root of another account (its 12-digit id as access key) or another region. */
export function accountConfig(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): SdkConfig {
  const cfg = sdkConfig(dd, overrides.region ? { region: overrides.region } : {});
  if (overrides.accessKeyId) cfg.credentials = { accessKeyId: overrides.accessKeyId, secretAccessKey: 'test' };
  return cfg;
}

/** What an SDK error shows: name, the query-compatible code, message and HTTP status. */
export interface SeenError { name: string; code?: string; message: string; status?: number }

/** Runs `fn`, expecting it to fail; returns what the SDK reported. */
export async function failure(fn: () => Promise<unknown>): Promise<SeenError> {
  try {
    await fn();
  } catch (e) {
    const err = e as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, code: err.Code, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
