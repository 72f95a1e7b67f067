/**
 * DynamoDB's own share, without HTTP, SigV4 or the pipeline: the service's handlers are called
 * in-process with a request context built by hand.
 *
 *   node --expose-gc --import tsx bench/dynamodb-memory.ts [--items 1000000] [--mode memory|ops|both] [--ops 20000] [--op GetItem] [--hash-only]
 *
 * `memory` loads `--items` items of 200 bytes (as DynamoDB sizes them) with PutItem into a
 * table of 10,000 partitions (`--hash-only`: a table without sort key, one item per partition) and prints the heap (heapUsed + external) they cost per raw byte.
 * `ops` times PutItem, GetItem, Query (100-item pages) and BatchWriteItem (25 puts, as the bulk load
 * sends them) handler calls in CPU µs per call (best of ten rounds of `--ops`/10 calls each).
 */
import { Drydock } from '../src/gateway/app.js';
import { rootPrincipal } from '../src/core/identity.js';
import { itemSize, type Item } from '../src/engines/dynamodb/index.js';
import type { ServiceContext, ServiceDefinition } from '../src/services/types.js';
import { flag, fmt, isMain } from './lib.js';

const PAD = 'x'.repeat(200);

/** A 200-byte item as DynamoDB counts it: `pk` + `sk` (a number) + `pad`. */
function item(pk: string, sk: number): Item {
  const base: Item = { pk: { S: pk }, sk: { N: String(sk) }, pad: { S: '' } };
  base['pad'] = { S: PAD.slice(0, 200 - itemSize(base)) };
  return base;
}

async function setup(): Promise<{ app: Drydock; def: ServiceDefinition; ctx: ServiceContext }> {
  const app = await Drydock.create();
  const def = (await app.service('dynamodb'))!;
  const ctx = {
    requestId: 'bench', service: 'dynamodb', operation: '', account: '000000000000', region: 'us-east-1',
    principal: rootPrincipal('000000000000'), sourceIp: '127.0.0.1', endpoint: app.endpoint, clock: app.clock, stores: app.stores,
    meter: app.meter, bus: app.bus, faults: app.faults, identities: app.identities, ports: app.ports,
    call: () => Promise.reject(new Error('no calls in the bench')),
  } as unknown as ServiceContext;
  return { app, def, ctx };
}

async function createTable(def: ServiceDefinition, ctx: ServiceContext, name: string, hashOnly = false): Promise<void> {
  await def.handlers['CreateTable']!({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(hashOnly ? [] : [{ AttributeName: 'sk', AttributeType: 'N' }])],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(hashOnly ? [] : [{ AttributeName: 'sk', KeyType: 'RANGE' }])],
  }, ctx);
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.(); gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

export async function memory(count: number, hashOnly = false): Promise<{ ratio: number; bytesPerItem: number; seconds: number }> {
  const { def, ctx } = await setup();
  await createTable(def, ctx, 'load', hashOnly);
  const put = def.handlers['PutItem']!;
  const before = heap();
  let raw = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const it = hashOnly ? item(`l${i}`, i) : item(`l${i % 10_000}`, i);
    raw += itemSize(it);
    put({ TableName: 'load', Item: it }, ctx);
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = heap() - before;
  return { ratio: used / raw, bytesPerItem: used / count, seconds };
}

export async function ops(n: number, only?: string): Promise<Record<string, number>> {
  const { def, ctx } = await setup();
  await createTable(def, ctx, 'bench');
  const h = def.handlers;
  for (let i = 0; i < 1000; i++) h['PutItem']!({ TableName: 'bench', Item: item(`g${i}`, 0) }, ctx);
  for (let i = 0; i < 500; i++) h['PutItem']!({ TableName: 'bench', Item: item('q', i) }, ctx);
  const calls: Record<string, (i: number) => unknown> = {
    PutItem: (i) => h['PutItem']!({ TableName: 'bench', Item: item(`p${i}`, i) }, ctx),
    GetItem: (i) => h['GetItem']!({ TableName: 'bench', Key: { pk: { S: `g${i % 1000}` }, sk: { N: '0' } } }, ctx),
    'Query (100)': (i) => h['Query']!({ TableName: 'bench', KeyConditionExpression: 'pk = :p AND sk >= :s', Limit: 100,
      ExpressionAttributeValues: { ':p': { S: 'q' }, ':s': { N: String((i * 100) % 400) } } }, ctx),
    // The bulk load's request: 25 puts into 10,000 partitions (new items, then overwrites).
    'BatchWriteItem (25)': (i) => h['BatchWriteItem']!({ RequestItems: { bench: Array.from({ length: 25 }, (_, j) => ({
      PutRequest: { Item: item(`l${(i * 25 + j) % 10_000}`, (i * 25 + j) % 100_000) } })) } }, ctx),
  };
  const out: Record<string, number> = {};
  // CPU time (not wall time, which other processes on a shared machine stretch), fastest of ten rounds.
  const round = Math.max(1, Math.floor(n / 10));
  for (const [name, fn] of Object.entries(calls)) {
    if (only !== undefined && !name.startsWith(only)) continue;
    for (let i = 0; i < round; i++) fn(i); // warm-up
    let best = Infinity;
    for (let r = 0, i = 0; r < 10; r++) {
      const t0 = process.cpuUsage();
      for (const end = i + round; i < end; i++) fn(i);
      const used = process.cpuUsage(t0);
      best = Math.min(best, (used.user + used.system) / round);
    }
    out[name] = best;
  }
  return out;
}

if (isMain(import.meta.url)) {
  const mode = flag('mode') ?? 'both';
  const run = async () => {
    if (mode !== 'memory') {
      for (const [op, us] of Object.entries(await ops(Number(flag('ops') ?? 20_000), flag('op')))) console.log(`${op}: ${fmt(us, 2)} µs per handler call`);
    }
    if (mode !== 'ops') {
      const items = Number(flag('items') ?? 1_000_000);
      const hashOnly = flag('hash-only', true);
      const m = await memory(items, hashOnly);
      console.log(`${items} items${hashOnly ? ' (partition key only, one item per partition)' : ''} of 200 bytes: ${fmt(m.bytesPerItem, 0)} heap bytes per item, ${fmt(m.ratio, 2)}× raw (loaded in ${fmt(m.seconds, 1)} s)`);
    }
  };
  run().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
}
