/**
 * Calls Lambda the way API Gateway does: as `apigateway.amazonaws.com` with the method's
 * execute-api ARN as source, so the function's resource policy (AddPermission) decides. With
 * `credentials` (a role ARN), API Gateway assumes that role and calls as it instead.
 */
import { AwsError } from '../../../core/errors.js';
import { servicePrincipal, type Principal } from '../../../core/identity.js';
import { parseArn } from '../../../core/ids.js';
import type { ServiceHost } from '../../types.js';

export interface LambdaAnswer {
  payload: string;
  functionError?: string;
}

/** The function ARN inside `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<fn>/invocations`. */
export function functionOfUri(uri: string | undefined): string | undefined {
  const m = /:lambda:path\/[^/]+\/functions\/(.+?)\/invocations$/.exec(uri ?? '');
  return m?.[1];
}

/** The principal a call runs as: the role in `credentials` (assumed), else API Gateway itself. */
export async function callerFor(host: ServiceHost, account: string, region: string, credentials: string | undefined): Promise<{ principal: Principal; accessKeyId?: string }> {
  const service = servicePrincipal('apigateway.amazonaws.com', account);
  if (!credentials || credentials === 'arn:aws:iam::*:user/*' || !parseArn(credentials)) return { principal: service };
  const out = await host.call({
    service: 'sts', operation: 'AssumeRole', principal: service, region,
    input: { RoleArn: credentials, RoleSessionName: 'BackplaneAssumeRoleSession' },
  });
  const akid = String((out['Credentials'] as Record<string, unknown> | undefined)?.['AccessKeyId'] ?? '');
  const rec = host.identities.lookup(akid);
  if (!rec) throw new AwsError('AccessDenied', `could not assume ${credentials}`, 403);
  return { principal: rec.principal, accessKeyId: akid };
}

/** Invokes `functionArn` synchronously with `payload`; AWS errors (no permission, no function) are thrown. */
export async function invokeFunction(
  host: ServiceHost, account: string, region: string, functionArn: string, payload: string, sourceArn: string, credentials?: string,
): Promise<LambdaAnswer> {
  const caller = await callerFor(host, account, region, credentials);
  const fnRegion = parseArn(functionArn)?.region || region;
  const out = await host.call({
    service: 'lambda', operation: 'Invoke', principal: caller.principal, accessKeyId: caller.accessKeyId, region: fnRegion,
    sourceArn: caller.accessKeyId ? undefined : sourceArn, sourceAccount: caller.accessKeyId ? undefined : account,
    input: { FunctionName: functionArn, Payload: Buffer.from(payload) },
  });
  const p = out['Payload'];
  const text = p instanceof Uint8Array ? Buffer.from(p).toString() : typeof p === 'string' ? p : '';
  return { payload: text, functionError: out['FunctionError'] as string | undefined };
}
