import type { Handler } from '../types.js';

/** GetCallerIdentity: who the request's credentials stand for. Needs no permission on AWS either. */
export const getCallerIdentity: Handler = (_input, ctx) => ({
  UserId: ctx.principal.userId,
  Account: ctx.principal.account,
  Arn: ctx.principal.arn,
});
