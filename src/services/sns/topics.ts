/**
 * Topics: CreateTopic (name rules, FIFO, idempotency on attributes and tags), DeleteTopic,
 * Get/SetTopicAttributes and ListTopics with paging.
 */
import type { Handler } from '../types.js';
import { invalidParameter } from './errors.js';
import { page } from './paging.js';
import {
  dropSubscription, requireTopic, saveTopic, snsState, subscriptionsOf, topicArn, topicWhere, type TopicRecord,
} from './store.js';
import { readTags, tagsConflict } from './tags.js';
import { checkTopicAttribute, isCreatable, isSettable, topicAttributes } from './topic-attributes.js';

const NAME = /^[A-Za-z0-9_-]{1,256}$/;

function attributesOf(input: Record<string, unknown>): Record<string, string> {
  const raw = input['Attributes'];
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) out[k] = String(v ?? '');
  return out;
}

/** The name rules: 1–256 of `[A-Za-z0-9_-]`, FIFO topics (FifoTopic=true) ending in `.fifo`. */
function checkName(name: string, fifoAttr: string | undefined): boolean {
  const fifo = fifoAttr?.toLowerCase() === 'true';
  const base = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  if (name.length > 256 || !NAME.test(base) || name.endsWith('.fifo') !== fifo) throw invalidParameter('Topic Name');
  if (fifoAttr !== undefined && !['true', 'false'].includes(fifoAttr.toLowerCase())) throw invalidParameter('FifoTopic');
  return fifo;
}

/** CreateTopic: idempotent for the same name, unless attributes or tags differ. */
export const createTopic: Handler = (input, ctx) => {
  const name = typeof input['Name'] === 'string' ? input['Name'] : '';
  const attrs = attributesOf(input);
  const fifo = checkName(name, attrs['FifoTopic']);
  const tags = readTags(input['Tags']);
  const state = snsState(ctx.stores, ctx.account, ctx.region);
  const arn = topicArn(ctx.account, ctx.region, name);
  const stored: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (!isCreatable(k)) throw invalidParameter('Attributes', `Invalid attribute name: ${k}`);
    if (k === 'FifoTopic') continue;
    const value = k === 'DataProtectionPolicy' ? v : checkTopicAttribute(k, v, fifo, arn, ctx.account);
    if (value !== undefined) stored[k] = value;
  }
  if (typeof input['DataProtectionPolicy'] === 'string') stored['DataProtectionPolicy'] = input['DataProtectionPolicy'];
  const existing = state.topics.get(name);
  if (existing) {
    const shown = topicAttributes(state, existing);
    for (const [k, v] of Object.entries(stored)) {
      if ((existing.attributes[k] ?? shown[k]) !== v) throw invalidParameter('Attributes', 'Topic already exists with different attributes');
    }
    if (tags && tagsConflict(existing.tags, tags)) throw invalidParameter('Tags', 'Topic already exists with different tags');
    return { TopicArn: existing.arn };
  }
  const topic: TopicRecord = {
    name, account: ctx.account, region: ctx.region, arn, fifo, attributes: stored, tags: { ...tags },
    createdMs: ctx.clock.nowMs(), seq: 0, deleted: 0,
  };
  saveTopic(state, topic);
  return { TopicArn: arn };
};

/** DeleteTopic: takes its subscriptions with it; a topic already gone is not an error. */
export const deleteTopic: Handler = (input, ctx) => {
  const w = topicWhere('TopicArn', input['TopicArn'], ctx.region);
  const state = snsState(ctx.stores, w.account, w.region);
  const topic = state.topics.get(w.name);
  if (!topic) return {};
  for (const s of subscriptionsOf(state, topic.arn)) dropSubscription(state, s);
  for (const [k, d] of state.dedup) if (d.topic === topic.arn) state.dedup.delete(k);
  for (const [k, t] of state.tokens) if (t.topicArn === topic.arn) state.tokens.delete(k);
  state.topics.delete(topic.name);
  return {};
};

/** GetTopicAttributes: every attribute, with counts and the effective delivery policy. */
export const getTopicAttributes: Handler = (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  return { Attributes: topicAttributes(state, topic) };
};

/** SetTopicAttributes: one attribute; FifoTopic and read-only names are refused. */
export const setTopicAttributes: Handler = (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  const name = typeof input['AttributeName'] === 'string' ? input['AttributeName'] : '';
  if (!isSettable(name)) throw invalidParameter('AttributeName');
  const value = checkTopicAttribute(name, typeof input['AttributeValue'] === 'string' ? input['AttributeValue'] : '', topic.fifo, topic.arn, topic.account);
  if (value === undefined) delete topic.attributes[name];
  else topic.attributes[name] = value;
  saveTopic(state, topic);
  return {};
};

/** ListTopics: the caller's topics in this region, 100 a page. */
export const listTopics: Handler = (input, ctx) => {
  const state = snsState(ctx.stores, ctx.account, ctx.region);
  const arns = [...state.topics.values()].map((t) => t.arn);
  const { items, next } = page(arns, input['NextToken'], 100);
  return { Topics: items.map((TopicArn) => ({ TopicArn })), ...(next ? { NextToken: next } : {}) };
};
