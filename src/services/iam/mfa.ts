/**
 * Virtual MFA devices with real TOTP (RFC 6238: HMAC-SHA1, 30-second steps, six digits)
 * on Drydock's clock, so an authenticator app or a test can compute the codes from the
 * seed, and STS can check `TokenCode`s through the directory.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import {
  date, getUser, inputTags, listTags, mergeTags, pageInfo, paginate, removeTags, stateOf, str, tagsOut,
} from './common.js';
import { alreadyExists, checkEnum, checkName, checkPath, deleteConflict, noSuchEntity } from './errors.js';
import { iso, type IamState, type MfaRec } from './store.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/=+$/, '')) {
    value = (value << 5) | BASE32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The six-digit TOTP code of a base32 seed for a 30-second step. */
export function totp(seed: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', unbase32(seed)).update(counter).digest();
  const offset = (h[h.length - 1] as number) & 15;
  const n = (h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** The 30-second step a time falls in. */
export function stepAt(when: Date): number {
  return Math.floor(when.getTime() / 1000 / STEP_SECONDS);
}

// Two consecutive codes, the second no later than the next step (clock drift of a few minutes allowed).
function consecutive(seed: string, code1: string, code2: string, now: Date): boolean {
  const here = stepAt(now);
  for (let s = here - 10; s <= here; s++) if (totp(seed, s) === code1 && totp(seed, s + 1) === code2) return true;
  return false;
}

/** Whether `code` is valid now for the device, one step of drift either way. */
export function codeMatches(device: MfaRec, code: string, now: Date): boolean {
  const here = stepAt(now);
  return [here - 1, here, here + 1].some((s) => totp(device.seed, s) === code);
}

function invalidCode(): AwsError {
  return new AwsError('InvalidAuthenticationCodeException', 'Authentication code for device is not valid.', 403);
}

function getDevice(s: IamState, serial: string): MfaRec {
  const d = s.mfaDevices.get(serial);
  if (d === undefined) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
  return d;
}

/** CreateVirtualMFADevice: a device with a fresh TOTP seed (base32); no QR code image is drawn. */
export const createVirtualMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['VirtualMFADeviceName'], 'virtualMFADeviceName', 226);
  const path = checkPath(input['Path']);
  const serial = `arn:aws:iam::${s.account}:mfa${path}${name}`;
  if (s.mfaDevices.has(serial)) throw alreadyExists('MFADevice entity at the same path and name already exists.');
  const d: MfaRec = { serial, name, path, seed: base32(randomBytes(40)), createDate: iso(ctx.clock.now()), tags: inputTags(input) };
  s.mfaDevices.set(serial, d);
  return { VirtualMFADevice: { SerialNumber: serial, Base32StringSeed: Buffer.from(d.seed, 'ascii'), ...tagsOut(d.tags) } };
};

/** EnableMFADevice: assigns the device to a user given two consecutive codes. */
export const enableMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const d = getDevice(s, String(input['SerialNumber']));
  if (d.user !== undefined) throw alreadyExists('MFA Device is already in use.');
  if (!consecutive(d.seed, String(input['AuthenticationCode1']), String(input['AuthenticationCode2']), ctx.clock.now())) throw invalidCode();
  s.mfaDevices.set(d.serial, { ...d, user: u.name, enableDate: iso(ctx.clock.now()) });
  return {};
};

/** ResyncMFADevice: accepts two consecutive codes (there is no drift to correct). */
export const resyncMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const d = getDevice(s, String(input['SerialNumber']));
  if (d.user !== u.name) throw noSuchEntity(`MFA Device with serial number ${d.serial} is not assigned to user ${u.name}.`);
  if (!consecutive(d.seed, String(input['AuthenticationCode1']), String(input['AuthenticationCode2']), ctx.clock.now())) throw invalidCode();
  return {};
};

/** DeactivateMFADevice: unassigns the device from the user. */
export const deactivateMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const d = getDevice(s, String(input['SerialNumber']));
  if (d.user !== u.name) throw noSuchEntity(`MFA Device with serial number ${d.serial} is not assigned to user ${u.name}.`);
  const { user: _u, enableDate: _e, ...rest } = d;
  s.mfaDevices.set(d.serial, rest);
  return {};
};

/** DeleteVirtualMFADevice: refused while assigned. */
export const deleteVirtualMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const d = getDevice(s, String(input['SerialNumber']));
  if (d.user !== undefined) throw deleteConflict('MFA device is still in use.');
  s.mfaDevices.delete(d.serial);
  return {};
};

/** GetMFADevice: the user a device is enabled for. */
export const getMFADevice: Handler = (input, ctx) => {
  const d = getDevice(stateOf(ctx), String(input['SerialNumber']));
  if (d.user === undefined) throw noSuchEntity(`MFA Device with serial number ${d.serial} is not assigned to any user.`);
  return { UserName: d.user, SerialNumber: d.serial, EnableDate: date(d.enableDate as string) };
};

/** ListMFADevices: the enabled devices of a user (the caller's without UserName). */
export const listMFADevices: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const named = str(input, 'UserName');
  const p0 = ctx.principal;
  const name = named ?? (p0.type === 'user' ? p0.issuerName ?? p0.name : undefined);
  const user = name === undefined ? undefined : getUser(s, name).name;
  const devices = [...s.mfaDevices.values()].filter((d) => d.user !== undefined && (user === undefined || d.user === user));
  const p = paginate(devices, input);
  return { MFADevices: p.items.map((d) => ({ UserName: d.user, SerialNumber: d.serial, EnableDate: date(d.enableDate as string) })), ...pageInfo(p) };
};

/** ListVirtualMFADevices: every virtual device, by assignment status. */
export const listVirtualMFADevices: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const status = input['AssignmentStatus'] === undefined ? 'Any' : checkEnum(input['AssignmentStatus'], 'assignmentStatus', ['Assigned', 'Unassigned', 'Any']);
  const devices = [...s.mfaDevices.values()].filter((d) => status === 'Any' || (status === 'Assigned') === (d.user !== undefined));
  const p = paginate(devices, input);
  return {
    VirtualMFADevices: p.items.map((d) => {
      const u = d.user === undefined ? undefined : s.users.get(d.user.toLowerCase());
      const out: Record<string, unknown> = { SerialNumber: d.serial, ...tagsOut(d.tags) };
      if (u !== undefined) out['User'] = { Path: u.path, UserName: u.name, UserId: u.id, Arn: `arn:aws:iam::${s.account}:user${u.path}${u.name}`, CreateDate: date(u.createDate) };
      if (d.enableDate !== undefined) out['EnableDate'] = date(d.enableDate);
      return out;
    }),
    ...pageInfo(p),
  };
};

/** TagMFADevice: adds or replaces tags. */
export const tagMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const d = getDevice(s, String(input['SerialNumber']));
  s.mfaDevices.set(d.serial, { ...d, tags: mergeTags(d.tags, inputTags(input)) });
  return {};
};

/** UntagMFADevice: removes tags. */
export const untagMFADevice: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const d = getDevice(s, String(input['SerialNumber']));
  s.mfaDevices.set(d.serial, { ...d, tags: removeTags(d.tags, input) });
  return {};
};

/** ListMFADeviceTags: the device's tags. */
export const listMFADeviceTags: Handler = (input, ctx) => listTags(getDevice(stateOf(ctx), String(input['SerialNumber'])).tags, input);
