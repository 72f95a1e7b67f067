/** Console passwords (login profiles), checked against the account's password policy. */
import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import { passwordPolicyOf } from './account.js';
import { date, getUser, stateOf, str } from './common.js';
import { alreadyExists, noSuchEntity } from './errors.js';
import { iso, key, type IamState, type UserRec } from './store.js';

// Passwords are kept only as salted hashes, though Drydock is local: state may be persisted.
// A low scrypt cost: these guard test data, and tests create many users.
const SCRYPT = { N: 1024 };

function hash(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${scryptSync(password, salt, 32, SCRYPT).toString('base64')}`;
}

function matches(stored: string, password: string): boolean {
  const [salt, digest] = stored.split(':');
  if (salt === undefined || digest === undefined) return false;
  const want = Buffer.from(digest, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length, SCRYPT);
  return timingSafeEqual(want, got);
}

/** Refuses a password the account's policy does not allow, as AWS words it. */
function checkPassword(s: IamState, password: string): void {
  const p = passwordPolicyOf(s) ?? { MinimumPasswordLength: 8 };
  const problems: string[] = [];
  const min = Number(p['MinimumPasswordLength'] ?? 8);
  if (password.length < min) problems.push(`Password should have at least ${min} characters`);
  if (p['RequireSymbols'] === true && !/[^A-Za-z0-9]/.test(password)) problems.push('Password should have at least one symbol');
  if (p['RequireNumbers'] === true && !/[0-9]/.test(password)) problems.push('Password should have at least one number');
  if (p['RequireUppercaseCharacters'] === true && !/[A-Z]/.test(password)) problems.push('Password should have at least one uppercase letter');
  if (p['RequireLowercaseCharacters'] === true && !/[a-z]/.test(password)) problems.push('Password should have at least one lowercase letter');
  if (problems.length > 0) throw new AwsError('PasswordPolicyViolationException', problems.join('\n'), 400);
}

function profileOf(u: UserRec): NonNullable<UserRec['login']> {
  if (u.login === undefined) throw noSuchEntity(`Login Profile for User ${u.name} cannot be found.`);
  return u.login;
}

function targetUser(s: IamState, input: Record<string, unknown>, caller: { type: string; name?: string; issuerName?: string }): UserRec {
  const name = str(input, 'UserName') ?? (caller.type === 'user' ? caller.issuerName ?? caller.name : undefined);
  if (name === undefined) throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials', 400);
  return getUser(s, name);
}

/** CreateLoginProfile: a console password, checked against the account's password policy. */
export const createLoginProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = targetUser(s, input, ctx.principal);
  if (u.login !== undefined) throw alreadyExists(`Login Profile for user ${u.name} already exists.`);
  const password = String(input['Password'] ?? '');
  checkPassword(s, password);
  const login = { createDate: iso(ctx.clock.now()), passwordResetRequired: input['PasswordResetRequired'] === true, password: hash(password) };
  s.users.set(key(u.name), { ...u, login });
  return { LoginProfile: { UserName: u.name, CreateDate: date(login.createDate), PasswordResetRequired: login.passwordResetRequired } };
};

/** GetLoginProfile: whether the user has a password and must reset it. */
export const getLoginProfile: Handler = (input, ctx) => {
  const u = targetUser(stateOf(ctx), input, ctx.principal);
  const login = profileOf(u);
  return { LoginProfile: { UserName: u.name, CreateDate: date(login.createDate), PasswordResetRequired: login.passwordResetRequired } };
};

/** UpdateLoginProfile: a new password or reset requirement. */
export const updateLoginProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const login = { ...profileOf(u) };
  const password = str(input, 'Password');
  if (password !== undefined) {
    checkPassword(s, password);
    login.password = hash(password);
  }
  if (input['PasswordResetRequired'] !== undefined) login.passwordResetRequired = input['PasswordResetRequired'] === true;
  s.users.set(key(u.name), { ...u, login });
  return {};
};

/** DeleteLoginProfile: removes the console password. */
export const deleteLoginProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = targetUser(s, input, ctx.principal);
  profileOf(u);
  const { login: _dropped, ...rest } = u;
  s.users.set(key(u.name), rest);
  return {};
};

/** ChangePassword: an IAM user changes its own password, knowing the old one. */
export const changePassword: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  if (ctx.principal.type !== 'user') throw new AwsError('InvalidUserTypeException', 'Only IAM users can change their own password.', 400);
  const u = targetUser(s, {}, ctx.principal);
  const login = profileOf(u);
  if (!matches(login.password, String(input['OldPassword']))) {
    throw new AwsError('AccessDenied', 'The old password is incorrect.', 403);
  }
  const next = String(input['NewPassword']);
  checkPassword(s, next);
  s.users.set(key(u.name), { ...u, login: { ...login, password: hash(next), passwordResetRequired: false } });
  return {};
};
