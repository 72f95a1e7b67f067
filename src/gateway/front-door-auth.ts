/**
 * SigV4 and IAM for data-plane front doors (function URLs with AWS_IAM, API Gateway methods
 * and routes with AWS_IAM): the same verifier and engine as AWS API calls, on a request that
 * is not one. The caller learns who signed, or why the request is refused.
 */
import { asAwsError } from '../core/errors.js';
import { requestId } from '../core/ids.js';
import { isAuthProblem } from '../protocols/sigv4.js';
import type { ServiceModel } from '../protocols/model.js';
import type { FrontDoorAuth, FrontDoorCheck } from '../services/types.js';
import type { Drydock } from './app.js';
import { authenticate, readAuth } from './authenticate.js';
import { decideFrontDoor } from './authorize.js';
import { newRequestContext, type AppRequest } from './context.js';

export async function authorizeFrontDoor(app: Drydock, http: AppRequest, check: FrontDoorCheck): Promise<FrontDoorAuth> {
  const ctx = newRequestContext(http, requestId(), app.clock.now());
  const sig = readAuth(ctx);
  if (!sig) return { ok: false, reason: 'unsigned', code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  ctx.signature = sig;
  ctx.service = check.service;
  if (!isAuthProblem(sig)) {
    if (sig.service !== check.service) {
      return { ok: false, reason: 'signature', code: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${check.service}'. ` };
    }
    ctx.region = sig.region;
  }
  try {
    await authenticate(ctx, app);
  } catch (e) {
    const err = asAwsError(e);
    return { ok: false, reason: 'signature', code: err.code, message: err.message };
  }
  ctx.account = ctx.principal!.account;
  // Resource policies and tags are looked up by the signing name, as for API calls.
  ctx.model = { signingName: check.service } as ServiceModel;
  if (check.context) ctx.extraContext = check.context;
  const d = await decideFrontDoor(ctx, app, check.action, check.resource);
  return d.allowed ? { ok: true, principal: ctx.principal! } : { ok: false, reason: 'denied', code: 'AccessDeniedException', message: d.message };
}
