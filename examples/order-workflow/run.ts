/**
 * Handbook ch. 4 part 2 (event-driven architectures): an `OrderPlaced` event on a custom
 * EventBridge bus matches a rule whose target starts a Step Functions workflow. The workflow
 * charges the order with a payment Lambda (which fails twice with a transient error and
 * succeeds on the third attempt, retried with backoff on Drydock's clock), takes the items out
 * of a DynamoDB inventory table, and queues a confirmation on SQS. A declined card takes the
 * Catch path to a compensation state that marks the order cancelled. The execution history
 * shows every retry; replaying the bus's archive runs the workflow again.
 *
 *   node --import tsx examples/order-workflow/run.ts
 */
import { zipSync, strToU8 } from 'fflate';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateArchiveCommand, CreateEventBusCommand, DescribeReplayCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { policy, runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';

/**
 * The payment function. `attempt` is the state's retry count ($$.State.RetryCount): the
 * first two attempts fail as a flaky payment provider would; a card ending in 0000 is declined.
 */
const PAYMENT = `exports.handler = async (event) => {
  if (event.card.endsWith('0000')) { const e = new Error('card ' + event.card + ' declined'); e.name = 'PaymentDeclined'; throw e; }
  if (event.attempt < 2) { const e = new Error('payment provider timed out (attempt ' + event.attempt + ')'); e.name = 'TransientPaymentError'; throw e; }
  return { paymentId: 'pay-' + event.orderId, amount: event.amount, attempts: event.attempt + 1 };
};`;

function workflow(fn: string, table: string, queueUrl: string): object {
  return {
    Comment: 'OrderPlaced: charge, take stock, confirm; compensate a declined payment',
    StartAt: 'ChargePayment',
    States: {
      ChargePayment: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: fn, Payload: { 'orderId.$': '$.orderId', 'card.$': '$.card', 'amount.$': '$.amount', 'attempt.$': '$$.State.RetryCount' } },
        ResultSelector: { 'paymentId.$': '$.Payload.paymentId', 'attempts.$': '$.Payload.attempts' }, ResultPath: '$.payment',
        Retry: [{ ErrorEquals: ['TransientPaymentError'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
        Catch: [{ ErrorEquals: ['PaymentDeclined'], ResultPath: '$.error', Next: 'CancelOrder' }],
        Next: 'TakeStock',
      },
      TakeStock: {
        Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem',
        Parameters: {
          TableName: table, Key: { pk: { 'S.$': '$.sku' } }, UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'stock >= :q',
          ExpressionAttributeValues: { ':q': { 'N.$': 'States.Format(\'{}\', $.quantity)' } },
        },
        ResultPath: null, Next: 'Confirm',
      },
      Confirm: {
        Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl: queueUrl, MessageBody: { 'orderId.$': '$.orderId', 'paymentId.$': '$.payment.paymentId', status: 'CONFIRMED' } },
        ResultPath: null, End: true,
      },
      CancelOrder: {
        Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: { TableName: table, Item: { pk: { 'S.$': "States.Format('order#{}', $.orderId)" }, status: { S: 'CANCELLED' }, 'reason': { 'S.$': '$.error.Error' } } },
        ResultPath: null, Next: 'Declined',
      },
      Declined: { Type: 'Fail', Error: 'OrderDeclined', Cause: 'the payment was declined; the order is cancelled' },
    },
  };
}

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('order-workflow', t);
    const account = s.account('000000000000');
    const cfg = { endpoint: s.endpoint, region: 'us-east-1', credentials: s.root(account), maxAttempts: 1 };
    const iam = new IAMClient(cfg);
    const sfn = new SFNClient(cfg);
    const events = new EventBridgeClient(cfg);
    const ddb = new DynamoDBClient(cfg);
    const sqs = new SQSClient(cfg);
    const suffix = Math.random().toString(36).slice(2, 8);
    const role = async (name: string, service: string, actions: string[]): Promise<string> => {
      const r = await iam.send(new CreateRoleCommand({ RoleName: `${name}-${suffix}`, AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }) }));
      await iam.send(new PutRolePolicyCommand({ RoleName: `${name}-${suffix}`, PolicyName: 'allow', PolicyDocument: policy({ Effect: 'Allow', Action: actions, Resource: '*' }) }));
      return r.Role!.Arn!;
    };

    s.section('the pieces: a payment function, an inventory table, a confirmations queue');
    const fnRole = await role('payment-fn', 'lambda.amazonaws.com', ['logs:*']);
    const fn = await new LambdaClient(cfg).send(new CreateFunctionCommand({
      FunctionName: `payment-${suffix}`, Role: fnRole, Runtime: 'nodejs20.x', Handler: 'index.handler', Timeout: 10,
      Code: { ZipFile: zipSync({ 'index.js': strToU8(PAYMENT) }) },
    }));
    const table = `inventory-${suffix}`;
    await ddb.send(new CreateTableCommand({
      TableName: table, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'SKU-1' }, stock: { N: '10' } } }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `confirmations-${suffix}` }));
    s.pass(`function ${fn.FunctionName}, table ${table} (SKU-1 stock 10), queue confirmations-${suffix}`);

    s.section('the workflow, run as a role Step Functions assumes (lambda:InvokeFunction, dynamodb, sqs)');
    const sfnRole = await role('order-workflow', 'states.amazonaws.com', ['lambda:InvokeFunction', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'sqs:SendMessage']);
    const sm = await sfn.send(new CreateStateMachineCommand({ name: `order-workflow-${suffix}`, roleArn: sfnRole, definition: JSON.stringify(workflow(fn.FunctionArn!, table, QueueUrl!)) }));
    s.pass(`state machine ${sm.stateMachineArn}`);

    s.section('an orders bus whose OrderPlaced rule starts the workflow (with an archive for replays)');
    const bus = await events.send(new CreateEventBusCommand({ Name: `orders-${suffix}` }));
    const rule = await events.send(new PutRuleCommand({ Name: 'order-placed', EventBusName: bus.EventBusArn, EventPattern: JSON.stringify({ source: ['shop.orders'], 'detail-type': ['OrderPlaced'] }) }));
    const eventsRole = await role('events-start-workflow', 'events.amazonaws.com', ['states:StartExecution']);
    await events.send(new PutTargetsCommand({ Rule: 'order-placed', EventBusName: bus.EventBusArn, Targets: [{ Id: 'workflow', Arn: sm.stateMachineArn, RoleArn: eventsRole, InputPath: '$.detail' }] }));
    const archive = await events.send(new CreateArchiveCommand({ ArchiveName: `orders-${suffix}`, EventSourceArn: bus.EventBusArn }));
    s.pass(`rule ${rule.RuleArn} → ${sm.stateMachineArn}; archive ${archive.ArchiveArn}`);

    const executions = async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }))).executions ?? [];
    /** Waits for `n` executions to end, moving Drydock's clock on so retries and deliveries happen without sleeping. */
    const settle = async (n: number): Promise<void> => {
      for (let i = 0; i < 400; i++) {
        const list = await executions();
        if (list.length >= n && list.every((e) => e.status !== 'RUNNING')) return;
        await s.advanceClock(1);
      }
      throw new Error(`${n} executions did not finish`);
    };
    const history = async (arn: string): Promise<HistoryEvent[]> => (await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events ?? [];
    const put = (detail: object) => events.send(new PutEventsCommand({ Entries: [{ EventBusName: bus.EventBusArn, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(detail) }] }));

    s.section('OrderPlaced #1001: the payment provider fails twice, the third attempt succeeds');
    const started = await s.advanceClock(0);
    await put({ orderId: '1001', card: '4111111111111111', amount: 25, sku: 'SKU-1', quantity: 3 });
    await settle(1);
    const [first] = await executions();
    const d1 = await sfn.send(new DescribeExecutionCommand({ executionArn: first!.executionArn }));
    s.check('the execution succeeded', d1.status === 'SUCCEEDED', `${d1.status} ${d1.error ?? ''} ${d1.cause ?? ''}`);
    const h1 = await history(first!.executionArn!);
    const failed = h1.filter((e) => e.type === 'TaskFailed');
    s.check('the history shows both failed attempts (TaskFailed: TransientPaymentError) and the retry that succeeded',
      failed.length === 2 && failed.every((e) => e.taskFailedEventDetails?.error === 'TransientPaymentError') && h1.filter((e) => e.type === 'TaskSucceeded').length === 3,
      h1.map((e) => `${e.id} ${e.type}${e.taskFailedEventDetails ? ` ${e.taskFailedEventDetails.error}` : ''}`).join('\n'));
    const scheduled = h1.filter((e) => e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resourceType === 'lambda').map((e) => e.timestamp!.getTime());
    s.check('retries waited 2 s then 4 s of clock time (IntervalSeconds 2, BackoffRate 2)',
      scheduled.length === 3 && scheduled[1]! - scheduled[0]! >= 2000 && scheduled[2]! - scheduled[1]! >= 4000, scheduled.map((x) => new Date(x).toISOString()).join(', '));
    const output = JSON.parse(d1.output ?? '{}') as { payment?: { attempts?: number } };
    s.check('the payment result says it took 3 attempts', output.payment?.attempts === 3, d1.output);
    const stock = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'SKU-1' } } }));
    s.check('inventory: SKU-1 stock went from 10 to 7', stock.Item?.['stock']?.N === '7', JSON.stringify(stock.Item));
    const msg = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    const body = JSON.parse(msg.Messages?.[0]?.Body ?? '{}') as { orderId?: string; status?: string };
    s.check('a confirmation for order 1001 is on the queue', body.orderId === '1001' && body.status === 'CONFIRMED', msg.Messages?.[0]?.Body);

    s.section('OrderPlaced #1002 with a declined card: Catch → compensation');
    await put({ orderId: '1002', card: '4000000000000000', amount: 99, sku: 'SKU-1', quantity: 1 });
    await settle(2);
    const second = (await executions()).find((e) => e.executionArn !== first!.executionArn)!;
    const d2 = await sfn.send(new DescribeExecutionCommand({ executionArn: second.executionArn }));
    s.check('the execution failed with OrderDeclined after compensating', d2.status === 'FAILED' && d2.error === 'OrderDeclined', `${d2.status} ${d2.error}`);
    const h2 = (await history(second.executionArn!)).map((e) => e.type);
    s.check('the history goes ChargePayment → CancelOrder (no retry for a decline)', h2.filter((x) => x === 'TaskFailed').length === 1 && h2.includes('TaskStateExited'), h2.join(', '));
    const cancelled = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'order#1002' } } }));
    s.check('order 1002 is marked CANCELLED (reason PaymentDeclined); stock untouched', cancelled.Item?.['status']?.S === 'CANCELLED' && cancelled.Item?.['reason']?.S === 'PaymentDeclined', JSON.stringify(cancelled.Item));

    s.section('replaying the archive runs the workflow again for the archived OrderPlaced events');
    await s.advanceClock(1);
    const replay = await events.send(new StartReplayCommand({
      ReplayName: `orders-replay-${suffix}`, EventSourceArn: archive.ArchiveArn, EventStartTime: new Date(Date.parse(started) - 1000), EventEndTime: new Date(Date.parse(await s.advanceClock(0))),
      Destination: { Arn: bus.EventBusArn!, FilterArns: [rule.RuleArn!] },
    }));
    await settle(4);
    const state = await events.send(new DescribeReplayCommand({ ReplayName: `orders-replay-${suffix}` }));
    const all = await executions();
    s.check('the replay re-ran both orders: 4 executions in all', all.length === 4, `${replay.State} → ${state.State}; ${all.map((e) => `${e.name} ${e.status}`).join(', ')}`);
    s.fact('executions', String(all.length));
    s.fact('retries', String(failed.length));
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
