/**
 * Methods with authorizationType AWS_IAM: the request must be SigV4-signed for `execute-api`
 * and the signer allowed `execute-api:Invoke` on the method ARN by IAM (identity policies and
 * the API's resource policy). The caller then shows in `requestContext.identity`.
 */
import type { AppRequest } from '../../../gateway/context.js';
import { methodArn, type Invocation } from './context.js';
import { GatewayFailure } from './failure.js';

export async function iamAuthorize(inv: Invocation, http: AppRequest): Promise<void> {
  const resource = methodArn(inv);
  const auth = await inv.host.authorizeRequest(http, { service: 'execute-api', action: 'execute-api:Invoke', resource });
  if (auth.ok) {
    const p = auth.principal;
    const accessKey = /Credential=([^/]+)/.exec(String(http.headers['authorization'] ?? ''))?.[1] ?? null;
    inv.iam = { accountId: p.account, caller: p.userId, accessKey, userArn: p.arn, user: p.userId };
    return;
  }
  if (auth.reason === 'unsigned') throw new GatewayFailure('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  if (auth.reason === 'signature') throw new GatewayFailure('INVALID_SIGNATURE', auth.message);
  throw new GatewayFailure('ACCESS_DENIED', auth.message, {}, undefined, JSON.stringify({ Message: auth.message }));
}
