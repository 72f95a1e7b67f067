import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collection, Stores, type Collections } from '../../src/core/store.js';
import { decodeValue, encodeValue, Persistence, PersistenceError } from '../../src/core/persistence.js';

interface Queue {
  name: string;
  attrs: { delay: number; tags: Record<string, string> };
  key?: Buffer;
}

const sqsInit = (c: Collections) => ({ queues: c.collection<Queue>('queues'), counters: c.collection<number>('counters') });

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('Collection behaves like a Map', () => {
  const c = new Collection<number>();
  c.set('a', 1).set('b', 2);
  assert.equal(c.get('a'), 1);
  assert.equal(c.has('b'), true);
  assert.equal(c.size, 2);
  assert.deepEqual([...c.keys()], ['a', 'b']);
  assert.deepEqual([...c.values()], [1, 2]);
  assert.deepEqual([...c], [['a', 1], ['b', 2]]);
  assert.equal(c.delete('a'), true);
  assert.equal(c.delete('a'), false);
  c.clear();
  assert.equal(c.size, 0);
});

test('scope returns one state object per service × account × region', () => {
  const stores = new Stores();
  let inits = 0;
  const init = (c: Collections) => (inits++, sqsInit(c));
  const a = stores.scope('sqs', '111111111111', 'us-east-1', init);
  assert.equal(stores.scope('sqs', '111111111111', 'us-east-1', init), a);
  const b = stores.scope('sqs', '111111111111', 'eu-west-1', init);
  const c = stores.scope('sqs', '222222222222', 'us-east-1', init);
  assert.notEqual(a, b);
  assert.notEqual(a, c);
  assert.equal(inits, 3);
  a.queues.set('q', { name: 'q', attrs: { delay: 0, tags: {} } });
  assert.equal(b.queues.has('q'), false);
});

test('a collection name gives the same collection within a scope', () => {
  const stores = new Stores();
  const s = stores.scope('x', 'a', 'r', (c) => ({ one: c.collection('items'), two: c.collection('items') }));
  assert.equal(s.one, s.two);
});

test('global state and enumeration of services and account × region pairs', () => {
  const stores = new Stores();
  stores.scope('sqs', '2', 'us-east-1', sqsInit);
  stores.scope('sqs', '1', 'us-west-2', sqsInit);
  stores.scope('iam', '1', '', sqsInit);
  const g = stores.global('organizations', (c) => c.collection<string>('orgs'));
  assert.equal(stores.global('organizations', () => assert.fail('init twice')), g);
  assert.deepEqual(stores.services(), ['iam', 'organizations', 'sqs']);
  assert.deepEqual(stores.accountsRegions('sqs'), [
    { account: '1', region: 'us-west-2' },
    { account: '2', region: 'us-east-1' },
  ]);
  assert.deepEqual(stores.accountsRegions('organizations'), [{ account: '', region: '' }]);
});

test('a failing init leaves no half-made scope behind', () => {
  const stores = new Stores();
  assert.throws(() => stores.scope('s', 'a', 'r', () => { throw new Error('bad init'); }), /bad init/);
  assert.equal(stores.scope('s', 'a', 'r', () => 'ok'), 'ok');
});

test('reset drops one service or everything', () => {
  const stores = new Stores();
  const sqs = stores.scope('sqs', 'a', 'r', sqsInit);
  sqs.counters.set('n', 1);
  const sns = stores.scope('sns', 'a', 'r', sqsInit);
  sns.counters.set('n', 1);
  stores.reset('sqs');
  assert.deepEqual(stores.services(), ['sns']);
  assert.equal(stores.scope('sqs', 'a', 'r', sqsInit).counters.size, 0);
  assert.equal(stores.scope('sns', 'a', 'r', sqsInit), sns);
  stores.reset();
  assert.equal(stores.scope('sns', 'a', 'r', sqsInit).counters.size, 0);
});

test('the value codec round-trips Buffers, Uint8Arrays and nested data', () => {
  const v = {
    s: 'x', n: 1.5, b: true, nil: null, arr: [1, { deep: [Buffer.from([0, 255, 7])] }],
    bytes: Buffer.from('hello'), u8: new Uint8Array([1, 2, 3]), empty: Buffer.alloc(0),
    slice: Buffer.from('abcdef').subarray(2, 4),
  };
  const back = decodeValue(encodeValue(v)) as typeof v;
  assert.deepEqual(back.arr, [1, { deep: [Buffer.from([0, 255, 7])] }]);
  assert.ok(Buffer.isBuffer(back.bytes));
  assert.equal(back.bytes.toString(), 'hello');
  assert.deepEqual([...back.u8], [1, 2, 3]);
  assert.equal(back.empty.length, 0);
  assert.equal(back.slice.toString(), 'cd');
  assert.equal(back.s, 'x');
  assert.equal(back.nil, null);
  assert.ok(Buffer.isBuffer(decodeValue(encodeValue(Buffer.from('top')))));
  assert.throws(() => encodeValue(undefined), TypeError);
});

test('with a data dir, state survives close and reopen: values, deletes, clear, reset(service)', async (t) => {
  const dir = tempDir(t);
  let p = await Persistence.open(dir);
  let stores = new Stores({ persistence: p });
  const a = stores.scope('sqs', '111111111111', 'us-east-1', sqsInit);
  a.queues.set('q1', { name: 'q1', attrs: { delay: 5, tags: { env: 'dev' } }, key: Buffer.from([1, 2, 3]) });
  a.queues.set('q2', { name: 'q2', attrs: { delay: 0, tags: {} } });
  a.queues.set('gone', { name: 'gone', attrs: { delay: 0, tags: {} } });
  a.queues.delete('gone');
  // In-place change followed by set: the set is what persists.
  const q2 = a.queues.get('q2')!;
  q2.attrs.delay = 9;
  a.queues.set('q2', q2);
  a.counters.set('x', 1);
  a.counters.clear();
  a.counters.set('y', 2);
  stores.scope('iam', '111111111111', '', (c) => c.collection<string>('users')).set('alice', 'arn:aws:iam::111111111111:user/alice');
  stores.scope('sns', '111111111111', 'us-east-1', sqsInit).counters.set('t', 1);
  stores.reset('sns');
  p.close();

  p = await Persistence.open(dir);
  stores = new Stores({ persistence: p });
  assert.deepEqual(stores.services(), ['iam', 'sqs'], 'persisted scopes are listed before being opened');
  assert.deepEqual(stores.accountsRegions('sqs'), [{ account: '111111111111', region: 'us-east-1' }]);
  const b = stores.scope('sqs', '111111111111', 'us-east-1', sqsInit);
  assert.deepEqual([...b.queues.keys()].sort(), ['q1', 'q2']);
  const q1 = b.queues.get('q1')!;
  assert.deepEqual(q1.attrs, { delay: 5, tags: { env: 'dev' } });
  assert.ok(Buffer.isBuffer(q1.key));
  assert.deepEqual([...q1.key!], [1, 2, 3]);
  assert.equal(b.queues.get('q2')!.attrs.delay, 9);
  assert.deepEqual([...b.counters], [['y', 2]]);
  assert.equal(stores.scope('iam', '111111111111', '', (c) => c.collection<string>('users')).get('alice'), 'arn:aws:iam::111111111111:user/alice');
  assert.equal(stores.scope('sns', '111111111111', 'us-east-1', sqsInit).counters.size, 0);
  p.close();
});

test('after reset, a state object still held elsewhere no longer writes to the data dir', async (t) => {
  const dir = tempDir(t);
  let p = await Persistence.open(dir);
  let stores = new Stores({ persistence: p });
  const stale = stores.scope('sqs', 'a', 'r', sqsInit);
  stores.reset();
  stale.counters.set('late', 1);
  p.close();
  p = await Persistence.open(dir);
  stores = new Stores({ persistence: p });
  assert.deepEqual(stores.services(), []);
  p.close();
});

test('a data dir in use by another Drydock is refused with a readable error', async (t) => {
  const dir = tempDir(t);
  const p = await Persistence.open(dir);
  await assert.rejects(Persistence.open(dir), (err: unknown) => {
    assert.ok(err instanceof PersistenceError);
    assert.match(err.message, /is in use by another process/);
    return true;
  });
  p.close();
  (await Persistence.open(dir)).close();
});

test('a data dir that cannot be opened gives a PersistenceError', async (t) => {
  const file = join(tempDir(t), 'not-a-dir');
  writeFileSync(file, 'x');
  await assert.rejects(Persistence.open(file), (err: unknown) => err instanceof PersistenceError && /cannot be opened/.test(err.message));
});

test('better-sqlite3 is loaded only when a data dir is opened', () => {
  const fixture = fileURLToPath(new URL('./fixtures/lazy-sqlite.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { before: false, after: true });
});

test('every acknowledged write survives kill -9', async (t) => {
  const dir = tempDir(t);
  const fixture = fileURLToPath(new URL('./fixtures/persist-writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  const printed = await new Promise<string[]>((resolve, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`writer exited early: ${code ?? signal}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      // Kill mid-stream, once well past start-up.
      if (out.split('\n').length > 3000) {
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
        child.on('exit', () => resolve(out.split('\n').slice(0, -1)));
      }
    });
  });
  // Only complete lines count: a partial last line was never fully acknowledged.
  assert.equal(printed[0], 'ready');
  const keys = printed.slice(1);
  assert.ok(keys.length >= 2000, `only ${keys.length} keys printed`);

  const p = await Persistence.open(dir);
  const stores = new Stores({ persistence: p });
  const items = stores.scope('sqs', '000000000000', 'us-east-1', (c) => c.collection<{ n: number; body: Buffer }>('messages'));
  for (const k of keys) {
    const v = items.get(k);
    assert.ok(v !== undefined, `acknowledged key ${k} lost`);
    assert.equal(`k${v.n}`, k);
    assert.equal(v.body.toString(), `body ${v.n}`);
  }
  p.close();
});
