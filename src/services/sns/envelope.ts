/**
 * What subscribers receive: the JSON envelope of a notification (signed, with SigningCertURL
 * and UnsubscribeURL; FIFO topics send theirs unsigned with a SequenceNumber, as AWS does),
 * the Lambda event, the confirmation messages, and the per-protocol message of a
 * MessageStructure=json publish.
 */
import { envelopeAttributes, type SnsAttributes } from './message-attributes.js';
import { signingCertUrl, signingMaterial, signMessage, type SignedFields } from './signing.js';
import type { SnsEnv } from './store.js';

/** A message as published, before it is shaped for each subscriber. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  fifo: boolean;
  signatureVersion: '1' | '2';
  message: string;
  /** MessageStructure=json: the message for each protocol, `default` for the rest. */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: SnsAttributes;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  /** ISO-8601 with milliseconds, from the clock at publish time. */
  timestamp: string;
}

/** The message a protocol gets: its own entry of a JSON structure, else `default`, else the message. */
export function messageFor(m: PublishedMessage, protocol: string): string {
  if (!m.perProtocol) return m.message;
  return m.perProtocol[protocol] ?? m.perProtocol['default'] ?? m.message;
}

function base(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/_drydock/sns/`;
}

/** Where a subscriber can unsubscribe without credentials (served by the admin API). */
export function unsubscribeUrl(endpoint: string, subscriptionArn: string): string {
  return `${base(endpoint)}?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

/** Where a subscriber confirms a subscription (served by the admin API). */
export function subscribeUrl(endpoint: string, topicArn: string, token: string): string {
  return `${base(endpoint)}?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
}

function signature(env: SnsEnv, fields: SignedFields, version: '1' | '2'): { Signature: string; SigningCertURL: string } {
  const material = signingMaterial(env.stores, env.clock);
  return { Signature: signMessage(material, fields, version), SigningCertURL: signingCertUrl(env.endpoint, material) };
}

/** The JSON envelope of a notification for one subscription, in AWS's member order. */
export function notificationEnvelope(env: SnsEnv, m: PublishedMessage, subscriptionArn: string, protocol: string): string {
  const message = messageFor(m, protocol);
  const attributes = envelopeAttributes(m.attributes);
  const head: Record<string, unknown> = { Type: 'Notification', MessageId: m.messageId };
  if (m.fifo) head['SequenceNumber'] = m.sequenceNumber;
  head['TopicArn'] = m.topicArn;
  if (m.subject !== undefined) head['Subject'] = m.subject;
  head['Message'] = message;
  head['Timestamp'] = m.timestamp;
  if (!m.fifo) {
    const fields: SignedFields = { Type: 'Notification', Message: message, MessageId: m.messageId, Timestamp: m.timestamp, TopicArn: m.topicArn };
    if (m.subject !== undefined) fields.Subject = m.subject;
    const sig = signature(env, fields, m.signatureVersion);
    head['SignatureVersion'] = m.signatureVersion;
    head['Signature'] = sig.Signature;
    head['SigningCertURL'] = sig.SigningCertURL;
  }
  head['UnsubscribeURL'] = unsubscribeUrl(env.endpoint, subscriptionArn);
  if (attributes) head['MessageAttributes'] = attributes;
  return JSON.stringify(head);
}

/** The event a Lambda function subscribed to the topic is invoked with. */
export function lambdaEvent(env: SnsEnv, m: PublishedMessage, subscriptionArn: string): string {
  const message = messageFor(m, 'lambda');
  const fields: SignedFields = { Type: 'Notification', Message: message, MessageId: m.messageId, Timestamp: m.timestamp, TopicArn: m.topicArn };
  if (m.subject !== undefined) fields.Subject = m.subject;
  const sig = signature(env, fields, m.signatureVersion);
  return JSON.stringify({
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: subscriptionArn,
      Sns: {
        Type: 'Notification', MessageId: m.messageId, TopicArn: m.topicArn, Subject: m.subject ?? null, Message: message,
        Timestamp: m.timestamp, SignatureVersion: m.signatureVersion, Signature: sig.Signature, SigningCertUrl: sig.SigningCertURL,
        UnsubscribeUrl: unsubscribeUrl(env.endpoint, subscriptionArn), MessageAttributes: envelopeAttributes(m.attributes) ?? {},
      },
    }],
  });
}

/** A SubscriptionConfirmation or UnsubscribeConfirmation message, signed. */
export function confirmationMessage(
  env: SnsEnv, kind: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  c: { messageId: string; topicArn: string; subscriptionArn: string; token: string; timestamp: string; signatureVersion: '1' | '2' },
): string {
  const message = kind === 'SubscriptionConfirmation'
    ? `You have chosen to subscribe to the topic ${c.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
    : `You have chosen to deactivate subscription ${c.subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  const url = subscribeUrl(env.endpoint, c.topicArn, c.token);
  const fields: SignedFields = {
    Type: kind, Message: message, MessageId: c.messageId, SubscribeURL: url, Timestamp: c.timestamp, Token: c.token, TopicArn: c.topicArn,
  };
  const sig = signature(env, fields, c.signatureVersion);
  return JSON.stringify({
    Type: kind, MessageId: c.messageId, Token: c.token, TopicArn: c.topicArn, Message: message, SubscribeURL: url,
    Timestamp: c.timestamp, SignatureVersion: c.signatureVersion, Signature: sig.Signature, SigningCertURL: sig.SigningCertURL,
  });
}
