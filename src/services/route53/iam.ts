/**
 * The resources of a Route 53 call for IAM (`arn:aws:route53:::hostedzone/Z…`, `healthcheck/…`,
 * `change/…`, `delegationset/…`), so policies scoped to one zone decide as on AWS. Route 53
 * ARNs name no Region or account.
 */
import type { ResourceRef } from '../../core/ports.js';
import { bareId } from './store.js';

const ID_KIND: Record<string, string> = {
  GetHostedZone: 'hostedzone', DeleteHostedZone: 'hostedzone', UpdateHostedZoneComment: 'hostedzone',
  GetChange: 'change',
  GetReusableDelegationSet: 'delegationset', DeleteReusableDelegationSet: 'delegationset',
  ChangeCidrCollection: 'cidrcollection', DeleteCidrCollection: 'cidrcollection',
};

export function route53Resources(operation: string, input: Record<string, unknown>): ResourceRef[] {
  const arn = (kind: string, id: unknown) => ({ arn: `arn:aws:route53:::${kind}/${bareId(String(id), kind)}` });
  if (typeof input['HostedZoneId'] === 'string' && operation !== 'ListHostedZonesByName' && operation !== 'CreateReusableDelegationSet') {
    return [arn('hostedzone', input['HostedZoneId'])];
  }
  if (typeof input['HealthCheckId'] === 'string') return [arn('healthcheck', input['HealthCheckId'])];
  if (typeof input['CollectionId'] === 'string') return [arn('cidrcollection', input['CollectionId'])];
  if ((operation === 'ChangeTagsForResource' || operation === 'ListTagsForResource') && typeof input['ResourceId'] === 'string') {
    return [arn(String(input['ResourceType']), input['ResourceId'])];
  }
  const kind = ID_KIND[operation];
  return kind && typeof input['Id'] === 'string' ? [arn(kind, input['Id'])] : [];
}
