/**
 * Encoded authorization failure messages (EC2's "Encoded authorization failure message:
 * …") and sts:DecodeAuthorizationMessage. The gateway encodes the decision it denied with
 * {@link encodeAuthorizationMessage}; the message is opaque to clients, as AWS's are, and
 * decodes to JSON text.
 */
import { lazyZlib } from '../../core/lazy-zlib.js';
import type { Handler } from '../types.js';
import { invalidAuthorizationMessage, throwProblems } from './errors.js';
import { checkString } from './validate.js';

// Marks Drydock's messages so arbitrary text is refused rather than misread.
const MAGIC = 'DD1';

/**
 * Encodes a denial's details (AWS's decoded form is `{allowed, explicitDeny,
 * matchedStatements, failures, context: {principal, action, resource, conditions}}`) into
 * a URL-safe opaque string.
 */
export function encodeAuthorizationMessage(obj: unknown): string {
  return lazyZlib().deflateRawSync(Buffer.from(MAGIC + JSON.stringify(obj), 'utf8')).toString('base64url');
}

/** The JSON text of an encoded message, or undefined when it is not one of Drydock's. */
export function decodeAuthorizationMessage(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  let text: string;
  try {
    text = lazyZlib().inflateRawSync(Buffer.from(encoded, 'base64url')).toString('utf8');
  } catch {
    return undefined;
  }
  if (!text.startsWith(MAGIC)) return undefined;
  return text.slice(MAGIC.length);
}

export const decodeAuthorizationMessageHandler: Handler = (input) => {
  const problems: string[] = [];
  checkString(problems, input['EncodedMessage'], 'encodedMessage', { min: 1, max: 10240 });
  throwProblems(problems);
  const decoded = decodeAuthorizationMessage(String(input['EncodedMessage']));
  if (decoded === undefined) throw invalidAuthorizationMessage('The encoded authorization message is invalid.');
  return { DecodedMessage: decoded };
};
