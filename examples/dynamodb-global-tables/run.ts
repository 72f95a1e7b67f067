/**
 * Handbook ch. 3 part 3 (DynamoDB Global Tables, version 2019.11.21): a table in us-east-1
 * gets a replica in eu-west-1. Writes in one region appear in the other after the
 * replication lag (on Drydock's clock); two writes to the same item at the same instant
 * resolve last-writer-wins the same way in both regions. Then us-east-1 fails (a
 * region-outage fault): its API is unreachable, eu-west-1 keeps reading and writing; when
 * the region returns, replication catches up and both regions converge.
 *
 *   node --import tsx examples/dynamodb-global-tables/run.ts
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, UpdateTableCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { attempt, runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';

const LAG_MS = 1000;

async function admin(endpoint: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${endpoint}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('dynamodb-global-tables', t);
    const root = s.root(s.account('000000000000'));
    const client = (region: string) => new DynamoDBClient({ endpoint: s.endpoint, region, credentials: root, maxAttempts: 1 });
    const use1 = client('us-east-1');
    const euw1 = client('eu-west-1');
    const table = `orders-${randomUUID().slice(0, 8)}`;
    const get = async (c: DynamoDBClient, id: string) => (await c.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))).Item;
    const put = (c: DynamoDBClient, id: string, status: string) => c.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, status: { S: status } } }));
    const all = async (c: DynamoDBClient) => ((await c.send(new ScanCommand({ TableName: table }))).Items ?? [])
      .map((i: Record<string, AttributeValue>) => `${i['id']!.S}=${i['status']!.S}`).sort().join(' ');
    await admin(s.endpoint, 'POST', '/_drydock/clock', { freeze: true });
    let fault: string | undefined;
    try {
      s.section('a table in us-east-1 and a replica in eu-west-1');
      await use1.send(new CreateTableCommand({
        TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [{ Key: 'drydock:replication-lag-ms', Value: String(LAG_MS) }],
      }));
      await put(use1, 'o-1', 'placed');
      await use1.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
      const d = (await euw1.send(new DescribeTableCommand({ TableName: table }))).Table!;
      s.check('the replica answers in eu-west-1 as a global table (2019.11.21) with us-east-1 as its peer',
        d.GlobalTableVersion === '2019.11.21' && d.Replicas?.map((r) => r.RegionName).join() === 'us-east-1', JSON.stringify(d.Replicas));
      s.check('the replica starts with the items the table had', (await get(euw1, 'o-1'))?.['status']?.S === 'placed');

      s.section(`a write in us-east-1 reaches eu-west-1 after the ${LAG_MS} ms replication lag`);
      await put(use1, 'o-2', 'placed');
      s.check('right after the write, eu-west-1 does not have it yet', (await get(euw1, 'o-2')) === undefined);
      await s.advanceClock(LAG_MS / 1000);
      s.check('after the lag, eu-west-1 reads it', (await get(euw1, 'o-2'))?.['status']?.S === 'placed');

      s.section('two regions write the same item at the same instant: last writer wins, identically everywhere');
      await put(use1, 'o-3', 'shipped-by-us');
      await put(euw1, 'o-3', 'shipped-by-eu');
      await s.advanceClock(LAG_MS / 1000);
      const a = (await get(use1, 'o-3'))?.['status']?.S;
      const b = (await get(euw1, 'o-3'))?.['status']?.S;
      s.check('both regions hold the same winner (equal write times: the tie is broken by region, the same way in both)', a === b && a !== undefined, `${a} / ${b}`);
      s.fact('conflictWinner', String(a));

      s.section('us-east-1 fails; eu-west-1 keeps serving');
      fault = String((await admin(s.endpoint, 'POST', '/_drydock/faults', { type: 'region-outage', region: 'us-east-1', services: ['dynamodb'] }))['id']);
      const down = await attempt(get(use1, 'o-1'));
      s.check('us-east-1 does not answer during the outage', !down.ok, down.ok ? 'answered' : `${down.code}: ${down.message}`);
      await put(euw1, 'o-4', 'placed-during-outage');
      await put(euw1, 'o-2', 'cancelled-during-outage');
      s.check('eu-west-1 keeps reading and writing', (await get(euw1, 'o-4'))?.['status']?.S === 'placed-during-outage');
      await s.advanceClock(30);

      s.section('us-east-1 returns: replication catches up and both regions converge');
      await admin(s.endpoint, 'DELETE', `/_drydock/faults/${encodeURIComponent(fault)}`);
      fault = undefined;
      await s.advanceClock(2);
      const east = await all(use1);
      const west = await all(euw1);
      s.check('writes made during the outage are visible in us-east-1', (await get(use1, 'o-4'))?.['status']?.S === 'placed-during-outage');
      s.check('the later update during the outage wins over the older value', (await get(use1, 'o-2'))?.['status']?.S === 'cancelled-during-outage');
      s.check('both regions hold exactly the same items', east === west, `us-east-1: ${east}\neu-west-1: ${west}`);
      s.fact('converged', east);

      s.section('ReplicationLatency per replica pair (metered on the clock; Drydock has no CloudWatch)');
      const usage = ((await admin(s.endpoint, 'GET', '/_drydock/usage'))['usage'] as Array<Record<string, unknown>>)
        .filter((u) => u['usageType'] === 'ReplicationLatency' && String(u['resourceId']).endsWith(`:table/${table}`));
      const average = (from: string, to: string) => {
        const rows = usage.filter((u) => u['region'] === from && u['operation'] === `ReceivingRegion=${to}`);
        const sum = rows.reduce((n, u) => n + Number(u['quantity']), 0);
        const count = rows.reduce((n, u) => n + Number(u['records']), 0);
        return count ? sum / count : undefined;
      };
      const eastToWest = average('us-east-1', 'eu-west-1');
      const westToEast = average('eu-west-1', 'us-east-1');
      s.check(`us-east-1 → eu-west-1 averages the ${LAG_MS} ms lag`, eastToWest === LAG_MS, String(eastToWest));
      s.check('eu-west-1 → us-east-1 averages far more: writes waited out the outage', (westToEast ?? 0) > 10 * LAG_MS, String(westToEast));
      s.fact('replicationLatencyMs', `us-east-1→eu-west-1=${eastToWest} eu-west-1→us-east-1=${westToEast}`);
    } finally {
      if (fault) await admin(s.endpoint, 'DELETE', `/_drydock/faults/${encodeURIComponent(fault)}`);
      await admin(s.endpoint, 'POST', '/_drydock/clock', { freeze: false });
    }
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
