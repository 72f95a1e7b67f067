/**
 * Calls a function as API Gateway does: `apigateway.amazonaws.com` with the route's ARN as
 * source (the function's resource policy decides), or as the role in `credentialsArn`.
 */
import { servicePrincipal } from '../../../core/identity.js';
import { parseArn } from '../../../core/ids.js';
import type { V2Invocation } from './request.js';

/** A function ARN, from a plain ARN or an `…:lambda:path/2015-03-31/functions/<arn>/invocations` URI. */
export function functionArnOf(uri: string | undefined): string | undefined {
  const m = /:lambda:path\/[^/]+\/functions\/(.+?)\/invocations$/.exec(uri ?? '');
  if (m) return m[1];
  return parseArn(uri ?? '')?.service === 'lambda' ? uri : undefined;
}

export async function callFunction(inv: V2Invocation, functionArn: string, event: unknown, sourceArn: string, credentialsArn?: string): Promise<{ payload: string; functionError?: string }> {
  let principal = servicePrincipal('apigateway.amazonaws.com', inv.account);
  let accessKeyId: string | undefined;
  if (credentialsArn && parseArn(credentialsArn)) {
    const out = await inv.host.call({ service: 'sts', operation: 'AssumeRole', principal, region: inv.region, input: { RoleArn: credentialsArn, RoleSessionName: 'BackplaneAssumeRoleSession' } });
    accessKeyId = String((out['Credentials'] as Record<string, unknown>)['AccessKeyId']);
    principal = inv.host.identities.lookup(accessKeyId)?.principal ?? principal;
  }
  const out = await inv.host.call({
    service: 'lambda', operation: 'Invoke', principal, accessKeyId, region: parseArn(functionArn)?.region || inv.region,
    sourceArn: accessKeyId ? undefined : sourceArn, sourceAccount: accessKeyId ? undefined : inv.account,
    input: { FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) },
  });
  const p = out['Payload'];
  return { payload: p instanceof Uint8Array ? Buffer.from(p).toString() : '', functionError: out['FunctionError'] as string | undefined };
}
