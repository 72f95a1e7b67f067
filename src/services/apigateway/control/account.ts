/** Account-level settings: AWS's default throttle (10,000 rps, burst 5,000) and the CloudWatch role. */
import type { Handler } from '../../types.js';
import { badRequest } from '../errors.js';
import { flushAuthorizerCache } from '../invoke/authorizer.js';
import { ACCOUNT_BURST, ACCOUNT_RATE } from '../invoke/usage.js';
import { applyPatches } from '../patch.js';
import { apiOf, state } from './rest-apis.js';

function view(role: string | undefined): Record<string, unknown> {
  return { ...(role ? { cloudwatchRoleArn: role } : {}), throttleSettings: { burstLimit: ACCOUNT_BURST, rateLimit: ACCOUNT_RATE }, features: ['UsagePlans'], apiKeyVersion: '4' };
}

export const getAccount: Handler = (_input, ctx) => view(state(ctx).settings.get('account')?.cloudwatchRoleArn);

export const updateAccount: Handler = (input, ctx) => {
  const settings = { ...(state(ctx).settings.get('account') ?? {}) };
  applyPatches(input['patchOperations'], {
    fields: {
      '/cloudwatchRoleArn': (v) => {
        if (v && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(v)) throw badRequest('The role ARN is not well formed');
        settings.cloudwatchRoleArn = v || undefined;
      },
    },
  });
  state(ctx).settings.set('account', settings);
  return view(settings.cloudwatchRoleArn);
};

export const flushStageAuthorizersCache: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  if (!api.stages[String(input['stageName'])]) throw badRequest('Invalid stage identifier specified');
  flushAuthorizerCache(ctx.stores, ctx.account, api.id);
  return {};
};
