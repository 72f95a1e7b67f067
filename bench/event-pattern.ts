// Events per second for many rules matched against realistic events: EC2 state changes,
// S3 object notifications, CloudTrail API calls (nested, with arrays) and application
// events (with item arrays), against a rule corpus shaped like real buses: source and
// detail-type filters with detail conditions (prefix, suffix, wildcard, numeric,
// anything-but, exists, cidr, $or), plus a share of rules with no exact field at all.
// Compares the indexed PatternSet with checking every compiled pattern, and with the
// naive reference, in the same run. Not a test: run
// `node --import tsx test/engines/event-pattern/patterns.bench.ts`.
import { compilePattern, PatternSet, type Pattern } from '../src/engines/event-pattern/index.js';
import { referenceMatches } from '../test/engines/event-pattern/reference.js';

const SERVICES = ['ec2', 's3', 'iam', 'lambda', 'rds', 'ecs', 'sqs', 'sns', 'dynamodb', 'kms', 'sts', 'cloudformation', 'autoscaling', 'elasticloadbalancing', 'events'];
const STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];
const CALLS = ['CreateUser', 'DeleteUser', 'AttachRolePolicy', 'PutObject', 'DeleteBucket', 'RunInstances', 'TerminateInstances', 'CreateKey', 'Decrypt', 'AssumeRole', 'UpdateFunctionCode', 'CreateTable'];

function rule(i: number): object {
  const svc = SERVICES[i % SERVICES.length] as string;
  const app = `com.shop.svc${i % 40}`;
  switch (i % 10) {
    case 0: return { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: [STATES[i % STATES.length], STATES[(i + 2) % STATES.length]] } };
    case 1: return { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [`bucket-${i % 97}`] }, object: { key: [{ prefix: `uploads/${i % 13}/` }, { wildcard: '*/thumbs/*.png' }] } } };
    case 2: return { source: [`aws.${svc}`], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: [`${svc}.amazonaws.com`], eventName: [CALLS[i % CALLS.length], CALLS[(i + 5) % CALLS.length]] } };
    case 3: return { source: [app], 'detail-type': ['OrderPlaced'], detail: { total: [{ numeric: ['>', i % 500, '<=', 1000 + i] }], currency: [{ 'anything-but': ['JPY', 'KRW'] }] } };
    case 4: return { source: [app], detail: { customer: { tier: ['gold', 'platinum'] }, items: { sku: [{ prefix: `SKU-${i % 9}` }] } } };
    case 5: return { 'detail-type': ['AWS API Call via CloudTrail'], detail: { userIdentity: { type: ['Root'] }, sourceIPAddress: [{ cidr: '203.0.113.0/24' }] } };
    case 6: return { source: [app], $or: [{ detail: { status: ['FAILED'] } }, { detail: { retries: [{ numeric: ['>=', 3] }] } }] };
    case 7: return { account: [String(100000000000 + (i % 50))], region: [{ 'anything-but': { prefix: 'us-gov' } }], source: [`aws.${svc}`] };
    case 8: return { detail: { errorCode: [{ exists: true }], eventName: [{ suffix: 'Policy' }] } }; // no exact field
    default: return { source: [`aws.${svc}`, app], 'detail-type': [{ 'equals-ignore-case': 'object deleted' }] };
  }
}

function event(i: number): object {
  const base = { version: '0', id: `6a7e8feb-b491-4cf7-a9f1-${String(i).padStart(12, '0')}`, account: String(100000000000 + (i % 50)), time: '2024-06-01T12:00:00Z', region: i % 7 === 0 ? 'us-gov-west-1' : 'eu-west-1' };
  const svc = SERVICES[i % SERVICES.length] as string;
  switch (i % 4) {
    case 0: return { ...base, source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', resources: [`arn:aws:ec2:eu-west-1:1:instance/i-${i}`], detail: { 'instance-id': `i-${i}`, state: STATES[i % STATES.length] } };
    case 1: return { ...base, source: 'aws.s3', 'detail-type': 'Object Created', resources: [`arn:aws:s3:::bucket-${i % 97}`], detail: { version: '0', bucket: { name: `bucket-${i % 97}` }, object: { key: i % 3 === 0 ? `uploads/${i % 13}/photo-${i}.jpg` : `x/thumbs/${i}.png`, size: 1024 * i, etag: 'd41d8cd98f00b204e9800998ecf8427e' }, reason: 'PutObject' } };
    case 2: return {
      ...base, source: `aws.${svc}`, 'detail-type': 'AWS API Call via CloudTrail', resources: [],
      detail: {
        eventVersion: '1.08', eventSource: `${svc}.amazonaws.com`, eventName: CALLS[i % CALLS.length], awsRegion: 'eu-west-1',
        sourceIPAddress: i % 5 === 0 ? '203.0.113.9' : '198.51.100.7', userAgent: 'aws-cli/2.15.0',
        userIdentity: { type: i % 11 === 0 ? 'Root' : 'AssumedRole', arn: `arn:aws:sts::1:assumed-role/Dev/u${i}`, sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
        requestParameters: { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', tags: [{ key: 'team', value: 'red' }, { key: 'env', value: 'prod' }] },
        ...(i % 6 === 0 ? { errorCode: 'AccessDenied' } : {}),
      },
    };
    default: return {
      ...base, source: `com.shop.svc${i % 40}`, 'detail-type': i % 2 === 0 ? 'OrderPlaced' : 'ORDER FAILED', resources: [],
      detail: { orderId: `o-${i}`, total: (i * 37) % 2000, currency: i % 3 === 0 ? 'JPY' : 'EUR', status: i % 5 === 0 ? 'FAILED' : 'OK', retries: i % 4,
        customer: { id: `c-${i}`, tier: ['silver', 'gold', 'platinum'][i % 3] }, items: [{ sku: `SKU-${i % 9}-1`, qty: 1 }, { sku: `SKU-${(i + 1) % 9}-2`, qty: 2 }] },
    };
  }
}

const EVENTS = Array.from({ length: 400 }, (_, i) => event(i));
const TEXTS = EVENTS.map((e) => JSON.stringify(e));

function rate(label: string, run: (e: object, i: number) => number, budgetMs = 1500): number {
  let sink = 0;
  // Warm-up: 200 events, or 300 ms for the slow peers (the naive reference at 10,000 rules).
  const warm = performance.now();
  for (let i = 0; i < 200 && performance.now() - warm < 300; i++) sink += run(EVENTS[i % EVENTS.length] as object, i);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    for (let k = 0; k < 5; k++, n++) sink += run(EVENTS[n % EVENTS.length] as object, n);
  }
  const perSec = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(58)} ${Math.round(perSec).toLocaleString('en-US').padStart(10)} events/s  (matches ${sink})`);
  return perSec;
}

for (const count of [1, 100, 1000, 10000]) {
  const raw = Array.from({ length: count }, (_, i) => rule(i));
  const compiled: Pattern[] = raw.map((r) => compilePattern(r));
  const set = new PatternSet<number>();
  compiled.forEach((p, i) => set.add(i, p));
  console.log(`\n${count} rules`);
  const indexed = rate('PatternSet.match (indexed, one flattening)', (e) => set.match(e).length);
  rate('PatternSet.match on the JSON text (JSON.parse included)', (_e, i) => set.match(JSON.parse(TEXTS[i % TEXTS.length] as string)).length);
  const each = rate('every compiled Pattern.matches (no index)', (e) => compiled.reduce((s, p) => s + (p.matches(e) ? 1 : 0), 0), 1000);
  console.log(`  ratio indexed / unindexed: ${(indexed / each).toFixed(1)}×`);
  const naive = rate('naive reference (reference.ts)', (e) => raw.reduce((s: number, r) => s + (referenceMatches(r, e) ? 1 : 0), 0), 1000);
  console.log(`  ratio indexed / naive reference: ${(indexed / naive).toFixed(1)}×`);
}
