/**
 * Tags on every EC2 resource: TagSpecifications at creation, CreateTags/DeleteTags/DescribeTags
 * afterwards. A resource is found by its id prefix, so one table covers every resource type.
 */
import { AwsError } from '../../core/errors.js';
import type { Collection } from '../../core/store.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { invalidParam, missingParam } from './errors.js';
import { settleInstances } from './instances-common.js';
import { ec2State, type Ec2State, type Tag } from './store.js';

/** Id prefix → collection and the resource type name EC2 uses in tags and TagSpecifications. */
const KINDS: Record<string, { collection: string; type: string }> = {
  vpc: { collection: 'vpcs', type: 'vpc' },
  subnet: { collection: 'subnets', type: 'subnet' },
  rtb: { collection: 'routeTables', type: 'route-table' },
  igw: { collection: 'gateways', type: 'internet-gateway' },
  eigw: { collection: 'gateways', type: 'egress-only-internet-gateway' },
  nat: { collection: 'natGateways', type: 'natgateway' },
  eipalloc: { collection: 'addresses', type: 'elastic-ip' },
  eni: { collection: 'enis', type: 'network-interface' },
  sg: { collection: 'securityGroups', type: 'security-group' },
  acl: { collection: 'networkAcls', type: 'network-acl' },
  tgw: { collection: 'tgws', type: 'transit-gateway' },
  'tgw-attach': { collection: 'tgwAttachments', type: 'transit-gateway-attachment' },
  'tgw-rtb': { collection: 'tgwRouteTables', type: 'transit-gateway-route-table' },
  pcx: { collection: 'peerings', type: 'vpc-peering-connection' },
  vpce: { collection: 'endpoints', type: 'vpc-endpoint' },
  'vpce-svc': { collection: 'endpointServices', type: 'vpc-endpoint-service' },
  fl: { collection: 'flowLogs', type: 'vpc-flow-log' },
  nip: { collection: 'insightsPaths', type: 'network-insights-path' },
  nia: { collection: 'insightsAnalyses', type: 'network-insights-analysis' },
  nis: { collection: 'accessScopes', type: 'network-insights-access-scope' },
  nisa: { collection: 'accessScopeAnalyses', type: 'network-insights-access-scope-analysis' },
  i: { collection: 'instances', type: 'instance' },
  sir: { collection: 'spotRequests', type: 'spot-instances-request' },
  key: { collection: 'keyPairs', type: 'key-pair' },
};

interface Tagged { tags: Tag[] }

function prefixOf(id: string): string {
  // A sparse query list (`ResourceId.2` without `.1`) leaves holes: those are no id at all.
  if (typeof id !== 'string') return '';
  const i = id.lastIndexOf('-');
  return i < 0 ? '' : id.slice(0, i);
}

function collectionOf(s: Ec2State, name: string): Collection<Tagged> {
  const direct = (s as unknown as Record<string, unknown>)[name];
  return (direct ?? s.extra<Tagged>(name)) as Collection<Tagged>;
}

/** The resource with `id` in the caller's scope, with its collection and type. */
export function findResource(s: Ec2State, id: string): { record: Tagged; collection: Collection<Tagged>; type: string } | undefined {
  const kind = KINDS[prefixOf(id)];
  if (kind === undefined) return undefined;
  const collection = collectionOf(s, kind.collection);
  const record = collection.get(id);
  return record === undefined ? undefined : { record, collection, type: kind.type };
}

/** The resource type EC2 uses in ARNs and tags for an id (`vpc-…` → `vpc`), if known. */
export function resourceTypeOf(id: string): string | undefined {
  return KINDS[prefixOf(id)]?.type;
}

/** Reads a tag list as given (`[{Key, Value}]`), checking AWS's limits. */
export function readTags(v: unknown): Tag[] {
  const list = Array.isArray(v) ? (v as { Key?: string; Value?: string }[]) : [];
  if (list.length > 50) throw new AwsError('TagLimitExceeded', 'The maximum number of tags per resource is 50', 400);
  return list.map((t) => {
    const key = t.Key ?? '';
    if (key.length === 0 || key.length > 127) throw invalidParam(`Tag key must be between 1 and 127 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw invalidParam(`Tag keys starting with 'aws:' are reserved for internal use`);
    if ((t.Value ?? '').length > 255) throw invalidParam(`Tag value must be at most 255 characters`);
    return { Key: key, Value: t.Value ?? '' };
  });
}

/** The tags a create call's `TagSpecifications` give resources of `type`. */
export function tagsFor(input: Record<string, unknown>, type: string): Tag[] {
  const specs = Array.isArray(input['TagSpecifications']) ? (input['TagSpecifications'] as { ResourceType?: string; Tags?: unknown }[]) : [];
  const out: Tag[] = [];
  for (const s of specs) {
    if (s.ResourceType !== undefined && s.ResourceType !== type) {
      throw invalidParam(`'${s.ResourceType}' is not a valid taggable resource type for this operation.`);
    }
    out.push(...readTags(s.Tags));
  }
  return merge([], out);
}

function merge(existing: Tag[], added: Tag[]): Tag[] {
  const m = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of added) m.set(t.Key, t.Value);
  if (m.size > 50) throw new AwsError('TagLimitExceeded', 'The maximum number of tags per resource is 50', 400);
  return [...m].map(([Key, Value]) => ({ Key, Value }));
}

function resourcesOf(ctx: ServiceContext, ids: unknown): { id: string; r: NonNullable<ReturnType<typeof findResource>> }[] {
  const list = Array.isArray(ids) ? (ids as string[]) : [];
  if (list.length === 0) throw missingParam('resourceIdSet');
  const s = ec2State(ctx);
  return list.map((id) => {
    const r = findResource(s, id);
    if (r === undefined) {
      const kind = KINDS[prefixOf(id)];
      throw new AwsError(kind ? `Invalid${kind.type.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}ID.NotFound` : 'InvalidID',
        kind ? `The ID '${id}' does not exist` : `The ID '${id}' is not valid`, 400);
    }
    return { id, r };
  });
}

export const createTags: Handler = (input, ctx) => {
  const tags = readTags(input['Tags']);
  for (const { id, r } of resourcesOf(ctx, input['Resources'])) {
    r.record.tags = merge(r.record.tags, tags);
    r.collection.set(id, r.record);
  }
  return {};
};

export const deleteTags: Handler = (input, ctx) => {
  const given = Array.isArray(input['Tags']) ? (input['Tags'] as { Key?: string; Value?: string }[]) : undefined;
  for (const { id, r } of resourcesOf(ctx, input['Resources'])) {
    // No Tags: delete all; a tag without Value: delete the key whatever its value.
    r.record.tags = given === undefined ? [] : r.record.tags.filter((t) =>
      !given.some((g) => g.Key === t.Key && (g.Value === undefined || g.Value === t.Value)));
    r.collection.set(id, r.record);
  }
  return {};
};

export const describeTags: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  // Instances terminated over an hour ago are gone, and so are their tags.
  settleInstances(s, ctx.clock.nowMs());
  const rows: { ResourceId: string; ResourceType: string; Key: string; Value: string }[] = [];
  const seen = new Set<string>();
  for (const kind of Object.values(KINDS)) {
    if (seen.has(kind.collection)) continue;
    seen.add(kind.collection);
    for (const [id, rec] of collectionOf(s, kind.collection)) {
      const type = KINDS[prefixOf(id)]?.type ?? kind.type;
      for (const t of rec.tags) rows.push({ ResourceId: id, ResourceType: type, Key: t.Key, Value: t.Value });
    }
  }
  const page = describe({
    items: rows, idOf: (r) => r.ResourceId, tagsOf: () => [], notFound: () => invalidParam('unexpected ids'),
    fields: { key: (r) => r.Key, value: (r) => r.Value, 'resource-id': (r) => r.ResourceId, 'resource-type': (r) => r.ResourceType },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { Tags: page.items, NextToken: page.nextToken };
};
