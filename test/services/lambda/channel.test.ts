/**
 * Drydock's own bootstraps speak the Runtime API over the framed pipe by default and over HTTP
 * otherwise (as any runtime interface client): both channels must give the same answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { wallClock, type Clock } from '../../../src/core/clock.js';
import { encodeFrame, FrameReader, type ChannelMessage } from '../../../src/services/lambda/channel.js';
import { RUNTIMES_DIR } from '../../../src/services/lambda/code.js';
import { Environment, type InvocationOutcome } from '../../../src/services/lambda/environment.js';

const NODE_CODE = `exports.handler = async (event) => {
  if (event.fail) throw new TypeError('bad ' + event.n);
  console.log('event', event.n);
  return { n: event.n, len: JSON.stringify(event).length, big: event.big, channel: process.env._DRYDOCK_RUNTIME_CHANNEL ?? null };
};`;
const PY_CODE = `import os
def handler(event, context):
    if event.get("fail"):
        raise ValueError("bad %d" % event["n"])
    print("event", event["n"])
    return {"n": event["n"], "rid": context.aws_request_id, "big": event.get("big"), "channel": os.environ.get("_DRYDOCK_RUNTIME_CHANNEL")}
`;

const clock = {
  nowMs: () => Date.now(), now: () => wallClock(),
  setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimer: (t: unknown) => clearTimeout(t as NodeJS.Timeout),
} as unknown as Clock;

function environment(kind: 'node' | 'python', dir: string, pipe: boolean): Environment {
  const node = kind === 'node';
  return new Environment({
    id: `${kind}-${pipe ? 'pipe' : 'http'}`, cwd: dir, clock, timeoutSeconds: 10, pipe,
    command: node ? process.execPath : 'python3',
    args: [join(RUNTIMES_DIR, node ? 'nodejs' : 'python', node ? 'bootstrap.mjs' : 'bootstrap.py')],
    env: { PATH: process.env['PATH'] ?? '', _HANDLER: 'index.handler', LAMBDA_TASK_ROOT: dir, PYTHONPATH: dir, PYTHONUNBUFFERED: '1' },
  });
}

async function run(env: Environment, n: number, payload: unknown): Promise<InvocationOutcome> {
  return env.invoke({ requestId: `req-${n}`, payload: Buffer.from(JSON.stringify(payload)), invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' });
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

for (const kind of ['node', 'python'] as const) {
  test(`${kind} bootstrap: the pipe and HTTP give the same results, logs and errors`, { skip: kind === 'python' && !hasPython }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-channel-'));
    writeFileSync(join(dir, kind === 'node' ? 'index.js' : 'index.py'), kind === 'node' ? NODE_CODE : PY_CODE);
    const seen: Record<string, unknown[]> = {};
    // Environments never hold Drydock's process open; this test must, while it waits on them.
    const hold = setInterval(() => undefined, 1000);
    try {
      for (const pipe of [true, false]) {
        const env = environment(kind, dir, pipe);
        await env.start();
        await env.ready;
        const big = 'x'.repeat(700_000); // many pipe reads (64 KB each), both ways
        const outs = [await run(env, 1, { n: 1 }), await run(env, 2, { n: 2, big }), await run(env, 3, { n: 3, fail: true })];
        env.kill();
        assert.equal(outs[0]!.functionError, undefined);
        assert.match(outs[1]!.log, /event 2/);
        assert.ok(outs[0]!.maxMemoryMb > 0);
        assert.equal(outs[2]!.functionError, 'Unhandled');
        assert.equal(outs[2]!.errorType, kind === 'node' ? 'TypeError' : 'ValueError');
        const results = outs.map((o) => JSON.parse(o.payload.toString()) as Record<string, unknown>);
        assert.equal(results[1]!['n'], 2);
        assert.equal(results[1]!['big'], big);
        assert.equal(results[1]!['channel'], null, 'the bootstrap keeps its channel out of the function\'s environment');
        if (kind === 'node') assert.equal(results[1]!['len'], JSON.stringify({ n: 2, big }).length);
        else assert.equal(results[1]!['rid'], 'req-2');
        assert.equal(results[2]!['errorMessage'], 'bad 3');
        seen[String(pipe)] = results.map((r) => ({ ...r, stackTrace: undefined, trace: undefined }));
      }
      assert.deepEqual(seen['true'], seen['false']);
    } finally {
      clearInterval(hold);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('frames split across reads and packed into one read come out whole', () => {
  const got: [ChannelMessage, string][] = [];
  const reader = new FrameReader((h, b) => got.push([h, b.toString()]));
  const bytes = Buffer.concat([encodeFrame({ t: 'response', id: 'a', mem: 3 }, Buffer.from('{"x":1}')), encodeFrame({ t: 'next' })]);
  for (let i = 0; i < bytes.length; i += 5) reader.push(bytes.subarray(i, i + 5));
  reader.push(bytes);
  assert.deepEqual(got, [[{ t: 'response', id: 'a', mem: 3 }, '{"x":1}'], [{ t: 'next' }, ''], [{ t: 'response', id: 'a', mem: 3 }, '{"x":1}'], [{ t: 'next' }, '']]);
});
