/**
 * The operations the throughput benchmark can drive: STS GetCallerIdentity (awsQuery, no state),
 * KMS Encrypt (awsJson1_1, real AES-GCM under a key made for the run) and SQS SendMessage
 * (awsJson1_0 as SDK v3 sends it, into a queue made for the run) and SQS ReceiveMessage (one message
 * at a time with VisibilityTimeout 0, so the 100 messages put there first keep coming back). Each is signed the way SDK v3
 * signs it, ahead of time; the bare peer answers each with a canned body of the same shape.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../test/support/node-sha256.js';
import { ACCOUNT_RE, CANNED_GCI_XML, HOST, once, signedGetCallerIdentity, type SignedRequest } from './lib.js';

export type OperationName = 'gci' | 'kms-encrypt' | 'sqs-send' | 'sqs-receive' | 'sqs-delete';
export const OPERATIONS: readonly OperationName[] = ['gci', 'kms-encrypt', 'sqs-send', 'sqs-receive', 'sqs-delete'];

export interface OperationSpec {
  label: string;
  /** Share of the bare peer's requests/s the issues ask for (#2: GetCallerIdentity; #4: KMS and SQS). */
  target: number;
  /** Makes what the requests need (a key, a queue) on a started Drydock; the values go to `sign`. */
  setup(port: number): Promise<Record<string, string>>;
  sign(port: number, n: number, vars: Record<string, string>): Promise<SignedRequest>;
  /** A correct answer's body. */
  expect: RegExp;
  /** What the bare peer answers: a body of the same shape and about the same size as Drydock's. */
  canned: { contentType: string; body: string };
}

const signers = new Map<string, SignatureV4>();
function signer(service: string): SignatureV4 {
  let s = signers.get(service);
  if (!s) {
    s = new SignatureV4({ service, region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    signers.set(service, s);
  }
  return s;
}

/** A JSON-protocol request (awsJson1_0/1_1) signed as SDK v3 signs it. */
async function signedJson(port: number, n: number, service: string, version: '1.0' | '1.1', target: string, input: unknown, extra: Record<string, string> = {}): Promise<SignedRequest> {
  const body = JSON.stringify(input);
  const headers: Record<string, string> = {
    host: `${HOST}:${port}`,
    'content-type': `application/x-amz-json-${version}`,
    'content-length': String(Buffer.byteLength(body)),
    'x-amz-target': target,
    'user-agent': 'drydock-bench/1 aws-sdk-js/3',
    'amz-sdk-invocation-id': `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    'amz-sdk-request': 'attempt=1; max=1',
    ...extra,
  };
  const signed = await signer(service).sign({ method: 'POST', protocol: 'http:', hostname: HOST, port, path: '/', query: {}, headers, body });
  return { method: 'POST', path: '/', headers: signed.headers as Record<string, string>, body };
}

async function jsonCall(port: number, service: string, version: '1.0' | '1.1', target: string, input: unknown, extra?: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await signedJson(port, 0, service, version, target, input, extra);
  const a = await once(port, r.method, r.path, r.headers, r.body, 5000);
  if (a.status !== 200) throw new Error(`${target} answered ${a.status}: ${a.body.slice(0, 300)}`);
  return JSON.parse(a.body) as Record<string, unknown>;
}

const SQS_QUERY_MODE = { 'x-amzn-query-mode': 'true' };
const PLAINTEXT = Buffer.from('a 64-byte secret, about the size of a data key or a password...').toString('base64');
const MESSAGE = 'a message of about one hundred bytes, like an event notification that names an object and its size';

export const OPERATION_SPECS: Record<OperationName, OperationSpec> = {
  gci: {
    label: 'GetCallerIdentity',
    target: 0.5,
    setup: async () => ({}),
    sign: (port, n) => signedGetCallerIdentity(port, n),
    expect: ACCOUNT_RE,
    canned: { contentType: 'text/xml', body: CANNED_GCI_XML },
  },
  'kms-encrypt': {
    label: 'KMS Encrypt',
    target: 0.4,
    setup: async (port) => {
      const r = await jsonCall(port, 'kms', '1.1', 'TrentService.CreateKey', {});
      return { keyId: String((r['KeyMetadata'] as Record<string, unknown>)['KeyId']) };
    },
    sign: (port, n, v) => signedJson(port, n, 'kms', '1.1', 'TrentService.Encrypt', { KeyId: v['keyId'], Plaintext: PLAINTEXT }),
    expect: /"CiphertextBlob":"[A-Za-z0-9+/=]+"/,
    canned: {
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({
        CiphertextBlob: Buffer.alloc(160, 7).toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        KeyId: 'arn:aws:kms:us-east-1:000000000000:key/2b4d5f1e-0a8c-4b5e-9d7f-3c2a1b0e9f8d',
      }),
    },
  },
  'sqs-send': {
    label: 'SQS SendMessage',
    target: 0.4,
    setup: async (port) => {
      const r = await jsonCall(port, 'sqs', '1.0', 'AmazonSQS.CreateQueue', { QueueName: 'bench' }, SQS_QUERY_MODE);
      return { queueUrl: String(r['QueueUrl']) };
    },
    sign: (port, n, v) => signedJson(port, n, 'sqs', '1.0', 'AmazonSQS.SendMessage', { QueueUrl: v['queueUrl'], MessageBody: MESSAGE }, SQS_QUERY_MODE),
    expect: /"MessageId":"[0-9a-f-]{36}"/,
    canned: {
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({ MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e', MessageId: '7acb4e50-8cdf-48dd-be5b-3992786d2f41' }),
    },
  },
  'sqs-receive': {
    label: 'SQS ReceiveMessage',
    target: 0.4,
    setup: async (port) => {
      const r = await jsonCall(port, 'sqs', '1.0', 'AmazonSQS.CreateQueue', { QueueName: 'bench-receive' }, SQS_QUERY_MODE);
      const queueUrl = String(r['QueueUrl']);
      for (let i = 0; i < 100; i++) await jsonCall(port, 'sqs', '1.0', 'AmazonSQS.SendMessage', { QueueUrl: queueUrl, MessageBody: `${MESSAGE} ${i}` }, SQS_QUERY_MODE);
      return { queueUrl };
    },
    sign: (port, n, v) => signedJson(port, n, 'sqs', '1.0', 'AmazonSQS.ReceiveMessage',
      { QueueUrl: v['queueUrl'], MaxNumberOfMessages: 1, VisibilityTimeout: 0 }, SQS_QUERY_MODE),
    expect: /"ReceiptHandle":"/,
    canned: {
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({ Messages: [{
        MessageId: '7acb4e50-8cdf-48dd-be5b-3992786d2f41', ReceiptHandle: Buffer.alloc(120, 7).toString('base64'),
        MD5OfBody: 'd41d8cd98f00b204e9800998ecf8427e', Body: MESSAGE,
      }] }),
    },
  },
  'sqs-delete': {
    label: 'SQS DeleteMessage',
    target: 0.4,
    // One message received once: deleting it again with the same receipt handle succeeds, as on
    // AWS, so every request walks the whole DeleteMessage path (handle decoding, queue lookup).
    setup: async (port) => {
      const r = await jsonCall(port, 'sqs', '1.0', 'AmazonSQS.CreateQueue', { QueueName: 'bench-delete' }, SQS_QUERY_MODE);
      const queueUrl = String(r['QueueUrl']);
      await jsonCall(port, 'sqs', '1.0', 'AmazonSQS.SendMessage', { QueueUrl: queueUrl, MessageBody: MESSAGE }, SQS_QUERY_MODE);
      const got = await jsonCall(port, 'sqs', '1.0', 'AmazonSQS.ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 1 }, SQS_QUERY_MODE);
      const handle = (got['Messages'] as { ReceiptHandle: string }[] | undefined)?.[0]?.ReceiptHandle;
      if (!handle) throw new Error('sqs-delete: the set-up message was not received');
      return { queueUrl, handle };
    },
    sign: (port, n, v) => signedJson(port, n, 'sqs', '1.0', 'AmazonSQS.DeleteMessage',
      { QueueUrl: v['queueUrl'], ReceiptHandle: v['handle'] }, SQS_QUERY_MODE),
    expect: /^(\{\})?$/,
    canned: { contentType: 'application/x-amz-json-1.0', body: '{}' },
  },
};

export function operationNamed(name: string | undefined): OperationName {
  const op = (name ?? 'gci') as OperationName;
  if (!OPERATIONS.includes(op)) throw new Error(`--operation is one of ${OPERATIONS.join(', ')}`);
  return op;
}
