/**
 * Handbook ch. 4 part 1 (the thundering herd), measured: 2,000 concurrent invocations of a
 * function with reserved concurrency 50 produce throttles (429 TooManyRequestsException,
 * ReservedFunctionConcurrentInvocationLimitExceeded). The same 2,000 messages through an SQS
 * event source mapping with maximum concurrency 10 produce zero throttles: every message is
 * processed and no more than 10 invocations ever run at once. With provisioned concurrency 20
 * on the alias the mapping invokes, those invocations show no Init Duration in their REPORT lines.
 *
 *   node --import tsx examples/thundering-herd/run.ts
 *
 * Invocation counts and concurrency are read from Drydock's Lambda statistics
 * (`http://stats.lambda-url.<region>.<domain>/<account>/<function>`), the facts AWS shows as
 * the CloudWatch metrics Throttles and ConcurrentExecutions.
 */
import { request as httpRequest } from 'node:http';
import { Agent } from 'node:http';
import { zipSync, strToU8 } from 'fflate';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, GetProvisionedConcurrencyConfigCommand,
  InvokeCommand, LambdaClient, PublishVersionCommand, PutFunctionConcurrencyCommand, PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { policy, runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';

/** Each invocation works for a while (a second for the herd, so it overlaps) and reports what it processed. */
const WORKER = `exports.handler = async (event) => {
  await new Promise((r) => setTimeout(r, event.Records ? 100 : 1000));
  const n = event.Records ? event.Records.length : 1;
  console.log('processed ' + n);
  return { processed: n };
};`;

export interface HerdOptions {
  /** How many invocations and messages (2,000 in the handbook). */
  count?: number;
  reserved?: number;
  maxConcurrency?: number;
  provisioned?: number;
}

interface Stats { now: number; invocations: number; throttles: number; throttleReasons: Record<string, number>; coldStarts: number; provisioned: number; peakConcurrency: number }

/** GET on a Lambda front-door host of the endpoint (the host names a data plane, the endpoint where Drydock listens). */
function frontDoor(endpoint: string, host: string, path: string): Promise<string> {
  const e = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: e.hostname, port: e.port, path, headers: { host: `${host}.lambda-url.us-east-1.localhost.localstack.cloud:${e.port}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function stats(endpoint: string, account: string, fn: string, since = 0): Promise<Stats> {
  return JSON.parse(await frontDoor(endpoint, 'stats', `/${account}/${fn}?since=${since}`)) as Stats;
}

async function until<T>(what: () => Promise<T>, done: (t: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await what();
  while (!done(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    v = await what();
  }
  return v;
}

export async function run(target?: Target | string, opts: HerdOptions = {}): Promise<ScenarioResult> {
  const count = opts.count ?? 2000;
  const reserved = opts.reserved ?? 50;
  const maxConcurrency = opts.maxConcurrency ?? 10;
  const provisioned = opts.provisioned ?? 20;
  return withTarget(target, async (t) => {
    const s = new Scenario('thundering-herd', t);
    const account = s.account('000000000000');
    // The SDK's default pool (50 sockets) would queue the herd behind the reservation; 256 keeps
    // hundreds in flight at once without overflowing the server's accept backlog (511).
    const agent = new Agent({ keepAlive: true, maxSockets: Math.min(count, 256) });
    const cfg = { endpoint: s.endpoint, region: 'us-east-1', credentials: s.root(account), maxAttempts: 1, requestHandler: { httpAgent: agent } };
    const lambda = new LambdaClient(cfg);
    const sqs = new SQSClient(cfg);
    const logs = new CloudWatchLogsClient(cfg);
    const suffix = Math.random().toString(36).slice(2, 8);
    const name = `herd-${suffix}`;
    try {
      s.section(`a worker function with reserved concurrency ${reserved}`);
      const iam = new IAMClient(cfg);
      const role = await iam.send(new CreateRoleCommand({ RoleName: `herd-${suffix}`, AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
      await iam.send(new PutRolePolicyCommand({
        RoleName: `herd-${suffix}`, PolicyName: 'poll', PolicyDocument: policy({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'logs:*'], Resource: '*' }),
      }));
      await lambda.send(new CreateFunctionCommand({
        FunctionName: name, Role: role.Role!.Arn!, Runtime: 'nodejs20.x', Handler: 'index.handler', Timeout: 30,
        Code: { ZipFile: zipSync({ 'index.js': strToU8(WORKER) }) },
      }));
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }));

      s.section(`the herd: ${count} concurrent Invoke calls`);
      const before = await stats(s.endpoint, account, name);
      const outcomes = await Promise.allSettled(Array.from({ length: count }, (_, i) =>
        lambda.send(new InvokeCommand({ FunctionName: name, Payload: strToU8(JSON.stringify({ i })) }))));
      const throttled = outcomes.filter((o) => o.status === 'rejected' && (o.reason as Error).name === 'TooManyRequestsException').length;
      const succeeded = outcomes.filter((o) => o.status === 'fulfilled').length;
      const herd = await stats(s.endpoint, account, name, before.now);
      const others: Record<string, number> = {};
      for (const o of outcomes) if (o.status === 'rejected' && (o.reason as Error).name !== 'TooManyRequestsException') others[`${(o.reason as Error).name}: ${(o.reason as Error).message}`.slice(0, 120)] = (others[`${(o.reason as Error).name}: ${(o.reason as Error).message}`.slice(0, 120)] ?? 0) + 1;
      s.check(`throttles: ${throttled} of ${count} answered 429 TooManyRequestsException`, throttled > 0 && throttled + succeeded === count, `${succeeded} succeeded; other failures ${JSON.stringify(others)}`);
      s.check('each throttle has reason ReservedFunctionConcurrentInvocationLimitExceeded',
        herd.throttleReasons['ReservedFunctionConcurrentInvocationLimitExceeded'] === throttled, JSON.stringify(herd.throttleReasons));
      s.check(`peak concurrency ${herd.peakConcurrency} never exceeded the reservation (${reserved})`, herd.peakConcurrency <= reserved && herd.peakConcurrency > 1);
      s.fact('herdThrottles', String(throttled));
      s.fact('herdPeak', String(herd.peakConcurrency));

      s.section(`a version, an alias with provisioned concurrency ${provisioned}`);
      const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: Version }));
      await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live', ProvisionedConcurrentExecutions: provisioned }));
      const pc = await until(() => lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live' })), (c) => c.Status === 'READY', 60_000);
      s.check('provisioned concurrency reaches READY', pc.Status === 'READY', `${pc.Status} ${pc.StatusReason ?? ''}`);

      s.section(`the same ${count} messages through SQS, maximum concurrency ${maxConcurrency}`);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `herd-${suffix}`, Attributes: { VisibilityTimeout: '60' } }));
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
      for (let i = 0; i < count; i += 10) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ n: i + j }) })) }));
      }
      const mark = await stats(s.endpoint, account, name);
      const mapping = await lambda.send(new CreateEventSourceMappingCommand({
        FunctionName: `${name}:live`, EventSourceArn: queueArn, BatchSize: 10, ScalingConfig: { MaximumConcurrency: maxConcurrency },
      }));
      const left = await until(async () => {
        const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
        return Number(a['ApproximateNumberOfMessages']) + Number(a['ApproximateNumberOfMessagesNotVisible']);
      }, (n) => n === 0, 120_000);
      await lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
      const drained = await stats(s.endpoint, account, name, mark.now);
      s.check('every message processed: the queue is empty', left === 0, `${left} left`);
      s.check('zero throttles through the event source', drained.throttles === 0, JSON.stringify(drained.throttleReasons));
      s.check(`observed peak concurrency ${drained.peakConcurrency} ≤ ${maxConcurrency}`, drained.peakConcurrency <= maxConcurrency && drained.peakConcurrency > 0);
      s.fact('esmThrottles', String(drained.throttles));
      s.fact('esmPeak', String(drained.peakConcurrency));
      s.fact('esmInvocations', String(drained.invocations));

      s.section('the logs: processed counts add up, and provisioned environments had no Init Duration');
      const group = `/aws/lambda/${name}`;
      const streams: string[] = [];
      let next: string | undefined;
      do {
        const page = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, nextToken: next }));
        streams.push(...page.logStreams!.map((x) => x.logStreamName!));
        next = page.nextToken;
      } while (next);
      const versionStreams = streams.filter((x) => x.includes(`[${Version}]`));
      const processed = await filterAll(logs, group, versionStreams, '"processed"');
      const total = processed.reduce((n, m) => n + Number(/processed (\d+)/.exec(m)?.[1] ?? 0), 0);
      s.check(`the function logged ${total} messages processed`, total === count);
      const reports = await filterAll(logs, group, versionStreams, 'REPORT');
      const withInit = reports.filter((m) => m.includes('Init Duration')).length;
      s.check(`${reports.length} REPORT lines of version ${Version}, none with Init Duration`, reports.length === drained.invocations && withInit === 0, `${withInit} had Init Duration`);
      s.check('all of them ran on provisioned environments', drained.provisioned === drained.invocations && drained.coldStarts === 0, JSON.stringify(drained));
    } finally {
      agent.destroy();
    }
    return s.result();
  });
}

async function filterAll(logs: CloudWatchLogsClient, group: string, streams: string[], pattern: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < streams.length; i += 100) {
    let token: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: streams.slice(i, i + 100), filterPattern: pattern, nextToken: token }));
      out.push(...page.events!.map((e) => e.message!));
      token = page.nextToken;
    } while (token);
  }
  return out;
}

runIfMain(import.meta.url, () => run());
