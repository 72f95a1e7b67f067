/**
 * Topic attributes: which ones CreateTopic and SetTopicAttributes accept, AWS's checks on each,
 * the default access policy, and the full set GetTopicAttributes shows (counts, owner,
 * EffectiveDeliveryPolicy and the FIFO defaults included).
 */
import type { AwsError } from '../../core/errors.js';
import { MalformedPolicyError, parsePolicy } from '../../engines/iam-policy/index.js';
import { PolicyProblem, checkTopicDeliveryPolicy, topicEffectivePolicy } from './delivery-policy.js';
import { invalidParameter, invalidParameterRaw } from './errors.js';
import { subscriptionsOf, type SnsState, type TopicRecord } from './store.js';

const FEEDBACK = ['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) =>
  [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]);

/** Attributes SetTopicAttributes may change (FifoTopic only at creation). */
const SETTABLE = new Set(['DeliveryPolicy', 'DisplayName', 'Policy', 'SignatureVersion', 'TracingConfig', 'KmsMasterKeyId',
  'ArchivePolicy', 'ContentBasedDeduplication', 'FifoThroughputScope', 'MaximumMessageSize', ...FEEDBACK]);

/** The actions of the default topic policy, as AWS writes them. */
export const DEFAULT_POLICY_ACTIONS = ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission',
  'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'];

/** The policy every topic starts with: the owner's account may do everything. */
export function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: DEFAULT_POLICY_ACTIONS,
      Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  });
}

/** Whether a Policy is still the default one (compared as JSON values, not as text). */
export function isDefaultPolicy(t: TopicRecord): boolean {
  const p = t.attributes['Policy'];
  if (p === undefined) return true;
  try { return JSON.stringify(JSON.parse(p)) === defaultPolicy(t.arn, t.account); } catch { return false; }
}

/** The largest message a topic accepts by default (MaximumMessageSize). */
export const DEFAULT_MAX_MESSAGE_SIZE = 262_144;

/** A topic's MaximumMessageSize. */
export function maxMessageSize(t: TopicRecord): number {
  return Number(t.attributes['MaximumMessageSize'] ?? DEFAULT_MAX_MESSAGE_SIZE);
}

function oneOf(name: string, value: string, allowed: string[]): string {
  if (!allowed.includes(value)) throw invalidParameter(name, `Invalid value [${value}]. Must be one of ${allowed.join(', ')}.`);
  return value;
}

/**
 * Checks one attribute for a topic (`fifo` says which kind) and returns the value to store;
 * `undefined` means the attribute is removed (an empty DeliveryPolicy or Policy).
 */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, arn: string, account: string): string | undefined {
  switch (name) {
    case 'DisplayName':
      if (value.length > 100) throw invalidParameter('DisplayName', 'DisplayName must be at most 100 characters long');
      return value;
    case 'SignatureVersion': return oneOf('SignatureVersion', value, ['1', '2']);
    case 'TracingConfig': return oneOf('TracingConfig', value, ['PassThrough', 'Active']);
    case 'ContentBasedDeduplication':
      if (!fifo) throw invalidParameter('ContentBasedDeduplication', 'Content based deduplication can only be set for FIFO topics');
      return oneOf('ContentBasedDeduplication', value.toLowerCase(), ['true', 'false']);
    case 'FifoThroughputScope':
      if (!fifo) throw invalidParameter('FifoThroughputScope', 'FifoThroughputScope can only be set for FIFO topics');
      return oneOf('FifoThroughputScope', value, ['Topic', 'MessageGroup']);
    case 'ArchivePolicy':
      if (!fifo) throw invalidParameter('ArchivePolicy', 'ArchivePolicy can only be set for FIFO topics');
      return value;
    case 'MaximumMessageSize': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1024 || n > 1_048_576) {
        throw invalidParameter('MaximumMessageSize', 'MaximumMessageSize must be an integer between 1024 and 1048576');
      }
      return String(n);
    }
    case 'DeliveryPolicy':
      if (value === '') return undefined;
      try { return checkTopicDeliveryPolicy(value); } catch (e) { throw policyError(e); }
    case 'Policy':
      if (value === '') return defaultPolicy(arn, account);
      try { parsePolicy(value, { kind: 'resource' }); } catch (e) {
        if (e instanceof MalformedPolicyError) throw invalidParameterRaw(`Invalid parameter: Policy Error: ${e.detail}`);
        throw e;
      }
      return value;
    default:
      if (name.endsWith('SampleRate')) {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n > 100) throw invalidParameter(name, `${name} must be an integer between 0 and 100`);
      }
      return value;
  }
}

function policyError(e: unknown): AwsError {
  if (e instanceof PolicyProblem) return invalidParameterRaw(`Invalid parameter: ${e.message}`);
  throw e;
}

/** Whether SetTopicAttributes may change `name`. */
export function isSettable(name: string): boolean {
  return SETTABLE.has(name);
}

/** Whether CreateTopic accepts `name` in Attributes. */
export function isCreatable(name: string): boolean {
  return SETTABLE.has(name) || name === 'FifoTopic' || name === 'DataProtectionPolicy';
}

/** Every attribute GetTopicAttributes shows. */
export function topicAttributes(state: SnsState, t: TopicRecord): Record<string, string> {
  let confirmed = 0;
  let pending = 0;
  for (const s of subscriptionsOf(state, t.arn)) {
    if (s.pending) pending++;
    else confirmed++;
  }
  const out: Record<string, string> = {
    Policy: t.attributes['Policy'] ?? defaultPolicy(t.arn, t.account),
    Owner: t.account,
    SubscriptionsPending: String(pending),
    TopicArn: t.arn,
    EffectiveDeliveryPolicy: JSON.stringify(topicEffectivePolicy(t.attributes['DeliveryPolicy'])),
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: '',
    SubscriptionsDeleted: String(t.deleted),
  };
  if (t.fifo) {
    out['FifoTopic'] = 'true';
    out['ContentBasedDeduplication'] = 'false';
  }
  for (const [k, v] of Object.entries(t.attributes)) if (k !== 'DataProtectionPolicy') out[k] = v;
  return out;
}
