import type { Handler } from '../types.js';
import { accountOfAccessKey } from './credentials.js';
import { throwProblems } from './errors.js';
import { checkString } from './validate.js';

/** GetCallerIdentity: who the request's credentials stand for. Needs no permission on AWS either. */
export const getCallerIdentity: Handler = (_input, ctx) => ({
  UserId: ctx.principal.userId,
  Account: ctx.principal.account,
  Arn: ctx.principal.arn,
});

/**
 * GetAccessKeyInfo: the account a key belongs to. Keys Drydock knows answer their
 * principal's account; others are decoded as AWS decodes its own key ids.
 */
export const getAccessKeyInfo: Handler = (input, ctx) => {
  const problems: string[] = [];
  checkString(problems, input['AccessKeyId'], 'accessKeyId', { min: 16, max: 128, pattern: /^\w*$/, patternText: '[\\w]*' });
  throwProblems(problems);
  const id = String(input['AccessKeyId']);
  const account = ctx.identities.lookup(id)?.principal.account ?? accountOfAccessKey(id) ?? ctx.account;
  return { Account: account };
};
