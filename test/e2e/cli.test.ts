/**
 * The Drydock CLI as a user runs it: `drydock start` in a child process, then `drydock
 * status|reset|clock|fault` (more child processes) against it through DRYDOCK_ENDPOINT.
 * Runs from source through fixtures/drydock-cli.ts, the same entry bin/drydock.js is for dist/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { drydockCli, freePort, sleep, startServer, tempDir, type ServerProcess } from './helpers.js';

function sts(endpoint: string, region = 'us-east-1'): STSClient {
  return new STSClient({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, init);
  const text = await res.text();
  assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${url}: ${text}`);
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
}

/** Runs `drydock <args>` against `server` and insists it succeeded. */
async function cli(server: ServerProcess, ...args: string[]): Promise<string> {
  const r = await drydockCli(args, { DRYDOCK_ENDPOINT: server.endpoint });
  assert.equal(r.code, 0, `drydock ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout;
}

async function addFault(server: ServerProcess, region: string): Promise<void> {
  const f = await getJson(`${server.endpoint}/_drydock/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'region-outage', region }),
  });
  assert.equal(f.status, 200);
  const { json } = await getJson(`${server.endpoint}/_drydock/faults`);
  assert.ok((json['faults'] as { id: string }[]).some((x) => x.id === f.json['id']), 'the fault is active');
}

function clockNow(line: string): number {
  const m = /^clock (\S+)/.exec(line);
  assert.ok(m, `a clock line: ${line}`);
  const t = Date.parse(m[1]!);
  assert.ok(!Number.isNaN(t), `an ISO time in ${line}`);
  return t;
}

describe('drydock CLI', { concurrency: 3 }, () => {
  test('start --port, then status, clock, fault and reset against it', async (t) => {
    const port = await freePort();
    const server = await startServer(['--port', String(port)]);
    t.after(() => server.stop('SIGKILL'));

    await t.test('the banner names the endpoint, test/test and how to point the AWS CLI', () => {
      const out = server.output();
      const endpoint = `http://localhost:${port}`;
      assert.equal(server.endpoint, endpoint);
      assert.match(out, /credentials\s+test \/ test\b.*000000000000/);
      assert.ok(out.includes(`aws --endpoint-url ${endpoint} sts get-caller-identity`), out);
      assert.ok(out.includes(`AWS_ENDPOINT_URL=${endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`), out);
      assert.match(out, /state\s+in memory/);
    });

    await t.test('/_drydock/health answers 200 {"status":"ready"}', async () => {
      const { status, json } = await getJson(`${server.endpoint}/_drydock/health`);
      assert.equal(status, 200);
      assert.equal(json['status'], 'ready');
      assert.equal((json['services'] as Record<string, string>)['sts'], 'available');
    });

    await t.test('status reports the server as ready and STS as implemented', async () => {
      const out = await cli(server, 'status');
      assert.match(out, new RegExp(`^Drydock \\S+ at ${server.endpoint}: ready$`, 'm'));
      assert.match(out, /^\s+implemented\s+.*\bsts\b/m);
      assert.match(out, /^\s+clock\s+\d{4}-\d\d-\d\dT/m);
    });

    await t.test('clock shows the time; advance 3600 moves it an hour; freeze stops it', async () => {
      const before = clockNow(await cli(server, 'clock'));
      assert.ok(Math.abs(before - Date.now()) < 60_000, 'the clock starts at real time');
      const advanced = clockNow(await cli(server, 'clock', 'advance', '3600'));
      const moved = advanced - before;
      assert.ok(moved >= 3600_000 && moved < 3600_000 + 30_000, `advance 3600 moved the clock by ${moved} ms`);
      const { json: state } = await getJson(`${server.endpoint}/_drydock/clock`);
      assert.ok(Date.parse(String(state['now'])) - Date.now() >= 3590_000, `GET /_drydock/clock: ${JSON.stringify(state)}`);

      const frozenLine = await cli(server, 'clock', 'freeze');
      assert.match(frozenLine, /\(frozen\)/);
      const a = await getJson(`${server.endpoint}/_drydock/clock`);
      await sleep(60);
      const b = await getJson(`${server.endpoint}/_drydock/clock`);
      assert.equal(a.json['now'], b.json['now'], 'a frozen clock does not move');
      assert.equal(b.json['frozen'], true);

      // SigV4 skew is judged against real time, not the (now an hour ahead) Drydock clock.
      const id = await sts(server.endpoint).send(new GetCallerIdentityCommand({}));
      assert.equal(id.Account, '000000000000');
    });

    await t.test('fault add region-outage: us-east-1 answers 503 ServiceUnavailable, eu-west-1 still works; fault list/remove', async () => {
      const added = await cli(server, 'fault', 'add', 'region-outage', 'region=us-east-1');
      const id = /^added (\S+)$/m.exec(added)?.[1];
      assert.ok(id, `an id in: ${added}`);

      await assert.rejects(sts(server.endpoint, 'us-east-1').send(new GetCallerIdentityCommand({})),
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(e.name, 'ServiceUnavailable');
          assert.equal(e.$metadata?.httpStatusCode, 503);
          return true;
        });
      const eu = await sts(server.endpoint, 'eu-west-1').send(new GetCallerIdentityCommand({}));
      assert.equal(eu.Arn, 'arn:aws:iam::000000000000:root');

      const list = await cli(server, 'fault', 'list');
      const line = list.split('\n').find((l) => l.startsWith(`${id} `));
      assert.ok(line, `fault ${id} in: ${list}`);
      assert.match(line, /"type":"region-outage"/);
      assert.match(line, /"region":"us-east-1"/);

      assert.match(await cli(server, 'fault', 'remove', id), new RegExp(`^removed ${id}$`, 'm'));
      assert.deepEqual((await getJson(`${server.endpoint}/_drydock/faults`)).json['faults'], []);
      const us = await sts(server.endpoint, 'us-east-1').send(new GetCallerIdentityCommand({}));
      assert.equal(us.Account, '000000000000');
    });

    await t.test('reset drops all state (faults included); reset --service names the service', async () => {
      await addFault(server, 'eu-west-1');
      assert.match(await cli(server, 'reset'), /^reset all$/m);
      const { json } = await getJson(`${server.endpoint}/_drydock/faults`);
      assert.deepEqual(json['faults'], []);
      const [sqs, bad] = await Promise.all([
        cli(server, 'reset', '--service', 'sqs'),
        drydockCli(['reset', '--service', 'no-such-service'], { DRYDOCK_ENDPOINT: server.endpoint }),
      ]);
      assert.match(sqs, /^reset sqs$/m);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /unknown service/);
    });

    await t.test('/_localstack/health answers JSON with a services object', async () => {
      const { status, json } = await getJson(`${server.endpoint}/_localstack/health`);
      assert.equal(status, 200);
      const services = json['services'] as Record<string, string>;
      assert.equal(typeof services, 'object');
      assert.equal(services['sts'], 'running');
      assert.ok(Object.keys(services).length >= 19, `services: ${Object.keys(services).join(', ')}`);
    });

    await t.test('POST /moto-api/reset answers 200 and drops state', async () => {
      await addFault(server, 'ap-south-1');
      const res = await fetch(`${server.endpoint}/moto-api/reset`, { method: 'POST' });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const { json } = await getJson(`${server.endpoint}/_drydock/faults`);
      assert.deepEqual(json['faults'], []);
    });

    await t.test('SIGTERM stops the server with exit code 0', async () => {
      const { code } = await server.stop('SIGTERM');
      assert.equal(code, 0);
      await assert.rejects(fetch(`${server.endpoint}/_drydock/health`));
    });
  });

  test('--data-dir starts durable; after SIGKILL it starts again from DRYDOCK_DATA_DIR on DRYDOCK_PORT', async (t) => {
    const dir = tempDir('drydock-e2e-data-');
    t.after(() => dir.remove());
    const port = await freePort();
    const first = await startServer(['--port', String(port), '--data-dir', dir.path]);
    t.after(() => first.stop('SIGKILL'));
    assert.ok(first.output().includes(`durable in ${dir.path}`), first.output());
    const h = await getJson(`${first.endpoint}/_drydock/health`);
    assert.equal(h.status, 200);
    assert.equal(h.json['status'], 'ready');
    assert.ok(existsSync(join(dir.path, 'drydock.sqlite3')), 'the data directory holds the database');

    assert.equal((await first.stop('SIGKILL')).signal, 'SIGKILL');
    // Environment instead of flags this time; a fresh port in case the old one lingers.
    const port2 = await freePort();
    const second = await startServer([], { DRYDOCK_PORT: String(port2), DRYDOCK_DATA_DIR: dir.path });
    t.after(() => second.stop('SIGKILL'));
    assert.equal(second.endpoint, `http://localhost:${port2}`, 'DRYDOCK_PORT is honoured');
    assert.ok(second.output().includes(`durable in ${dir.path}`), 'DRYDOCK_DATA_DIR is honoured');
    const h2 = await getJson(`http://127.0.0.1:${port2}/_drydock/health`);
    assert.equal(h2.status, 200);
    assert.equal(h2.json['status'], 'ready');
    assert.equal(h2.json['endpoint'], `http://localhost:${port2}`);
  });

  test('errors: no server answering, an invalid port', async () => {
    const port = await freePort();
    const [none, badPort] = await Promise.all([
      drydockCli(['status'], { DRYDOCK_ENDPOINT: `http://127.0.0.1:${port}` }),
      drydockCli(['start', '--port', 'not-a-port']),
    ]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, new RegExp(`no Drydock answers at http://127\\.0\\.0\\.1:${port}`));
    assert.equal(badPort.code, 1);
    assert.match(badPort.stderr, /invalid port `not-a-port`/);
  });
});
