/**
 * What EC2 tells the authorizer: the ARNs of the resources a call acts on (so policies can
 * name them and `aws:ResourceTag/*` conditions see their tags), and the tags behind an ARN.
 * Describe/Get/Search calls act on `*`, as in AWS's service authorization reference.
 */
import { arn, parseArn } from '../../core/ids.js';
import type { ResourceRef } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { stateOf } from './store.js';
import { findResource, resourceTypeOf } from './tags.js';

const READ_ONLY = /^(Describe|Get|Search)/;

/** The resources named by a call's `…Id` members (and CreateTags' `Resources`). */
export function ec2Resources(operation: string, input: Record<string, unknown>, account: string, region: string): ResourceRef[] {
  if (READ_ONLY.test(operation)) return [];
  if (operation === 'RunInstances') return runInstancesResources(input, account, region);
  const ids: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === 'string' && k.endsWith('Id')) ids.push(v);
    // Instance and Spot request calls name their resources in lists.
    if ((k === 'Resources' || k === 'InstanceIds' || k === 'SpotInstanceRequestIds') && Array.isArray(v)) ids.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  return ids.flatMap((id) => {
    const type = resourceTypeOf(id);
    return type === undefined ? [] : [{ arn: arn({ service: 'ec2', region, account, resource: `${type}/${id}` }) }];
  });
}

/**
 * RunInstances is authorized on every resource it uses or makes, as in AWS's service
 * authorization reference: the new instance, interface and volume (`…/*`), the image
 * (owned by no account), the subnet, the key pair and the security groups.
 */
function runInstancesResources(input: Record<string, unknown>, account: string, region: string): ResourceRef[] {
  const own = (resource: string) => ({ arn: arn({ service: 'ec2', region, account, resource }) });
  const out = [own('instance/*'), own('network-interface/*'), own('volume/*')];
  if (typeof input['ImageId'] === 'string') out.push({ arn: arn({ service: 'ec2', region, account: '', resource: `image/${input['ImageId']}` }) });
  if (typeof input['SubnetId'] === 'string') out.push(own(`subnet/${input['SubnetId']}`));
  if (typeof input['KeyName'] === 'string') out.push(own(`key-pair/${input['KeyName']}`));
  const groups = Array.isArray(input['SecurityGroupIds']) ? (input['SecurityGroupIds'] as unknown[]) : [];
  for (const g of groups) if (typeof g === 'string') out.push(own(`security-group/${g}`));
  return out;
}

/** Tags of the EC2 resource an ARN names, as `aws:ResourceTag/*` reads them. */
export function ec2Tags(stores: Stores): (resourceArn: string) => Record<string, string> | undefined {
  return (resourceArn) => {
    const p = parseArn(resourceArn);
    if (p === undefined || p.service !== 'ec2' || !p.account || !p.region) return undefined;
    const id = p.resource.slice(p.resource.indexOf('/') + 1);
    const found = findResource(stateOf(stores, p.account, p.region), id);
    return found === undefined ? undefined : Object.fromEntries(found.record.tags.map((t) => [t.Key, t.Value]));
  };
}
