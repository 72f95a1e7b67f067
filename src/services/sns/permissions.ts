/** AddPermission and RemovePermission: statements in the topic's Policy, written as AWS writes them. */
import type { Handler } from '../types.js';
import { invalidParameter } from './errors.js';
import { requireTopic, saveTopic } from './store.js';
import { defaultPolicy } from './topic-attributes.js';

/** The actions AddPermission may grant on a topic. */
const GRANTABLE = new Set(['GetTopicAttributes', 'SetTopicAttributes', 'AddPermission', 'RemovePermission', 'DeleteTopic', 'Subscribe',
  'ListSubscriptionsByTopic', 'Publish', 'Receive', 'ListTagsForResource', 'TagResource', 'UntagResource', 'GetDataProtectionPolicy',
  'PutDataProtectionPolicy', '*']);

interface PolicyDoc {
  Version?: string;
  Id?: string;
  Statement: Record<string, unknown>[];
}

function policyOf(raw: string | undefined, arn: string, account: string): PolicyDoc {
  const doc = JSON.parse(raw ?? defaultPolicy(arn, account)) as PolicyDoc;
  if (!Array.isArray(doc.Statement)) doc.Statement = doc.Statement ? [doc.Statement as unknown as Record<string, unknown>] : [];
  return doc;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** AddPermission: a statement `Label` allowing the accounts the actions on this topic. */
export const addPermission: Handler = (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  const label = typeof input['Label'] === 'string' ? input['Label'] : '';
  const accounts = list(input['AWSAccountId']);
  const actions = list(input['ActionName']);
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw invalidParameter('Label');
  if (actions.length === 0 || actions.some((a) => !GRANTABLE.has(a))) throw invalidParameter('Policy statement action out of service scope!');
  const policy = policyOf(topic.attributes['Policy'], topic.arn, topic.account);
  if (policy.Statement.some((s) => s['Sid'] === label)) throw invalidParameter('Statement already exists');
  const principals = accounts.map((a) => (/^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a));
  const granted = actions.map((a) => `SNS:${a}`);
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: granted.length === 1 ? granted[0] : granted,
    Resource: topic.arn,
  });
  topic.attributes['Policy'] = JSON.stringify(policy);
  saveTopic(state, topic);
  return {};
};

/** RemovePermission: drops the statement; an unknown label changes nothing. */
export const removePermission: Handler = (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  const label = typeof input['Label'] === 'string' ? input['Label'] : '';
  const policy = policyOf(topic.attributes['Policy'], topic.arn, topic.account);
  const kept = policy.Statement.filter((s) => s['Sid'] !== label);
  if (kept.length !== policy.Statement.length) {
    topic.attributes['Policy'] = JSON.stringify({ ...policy, Statement: kept });
    saveTopic(state, topic);
  }
  return {};
};
