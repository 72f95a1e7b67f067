import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { useDrydock, sdkConfig } from '../helpers.js';

const h = useDrydock();

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${h.dd.endpoint}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

test('health is ready and lists the modelled services', async () => {
  const { status, json } = await call('GET', '/_drydock/health');
  assert.equal(status, 200);
  assert.equal(json['status'], 'ready');
  const services = json['services'] as Record<string, string>;
  assert.equal(services['sts'], 'available');
  assert.ok(Object.values(services).every((v) => v === 'available' || v === 'not-implemented'), JSON.stringify(services));
  assert.equal(Object.keys(services).length >= 19, true);
});

test('the clock advances, is set, frozen and scaled through the admin API', async () => {
  const before = Date.parse(String((await call('GET', '/_drydock/clock')).json['now']));
  const adv = await call('POST', '/_drydock/clock', { advanceSeconds: 86400 });
  assert.ok(Date.parse(String(adv.json['now'])) - before >= 86_400_000);
  const set = await call('POST', '/_drydock/clock', { set: '2030-01-01T00:00:00Z' });
  assert.equal(String(set.json['now']).slice(0, 16), '2030-01-01T00:00');
  const frozen = await call('POST', '/_drydock/clock', { freeze: true });
  assert.equal(frozen.json['frozen'], true);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await call('GET', '/_drydock/clock')).json['now'], frozen.json['now']);
  assert.equal((await call('POST', '/_drydock/clock', { scale: 60 })).json['scale'], 60);
  assert.equal((await call('POST', '/_drydock/clock', { bogus: 1 })).status, 400);
  await call('POST', '/_drydock/clock', { freeze: false });
  await call('POST', '/_drydock/clock', { scale: 1 });
});

test('a region outage fails requests to that region with 503 ServiceUnavailable, others still answer', async () => {
  const added = await call('POST', '/_drydock/faults', { type: 'region-outage', region: 'eu-central-1' });
  assert.equal(added.status, 200);
  const id = String(added.json['id']);
  const down = new STSClient(sdkConfig(h.dd, { region: 'eu-central-1' }));
  await assert.rejects(down.send(new GetCallerIdentityCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'ServiceUnavailable');
    assert.equal(e.$metadata?.httpStatusCode, 503);
    return true;
  });
  const up = new STSClient(sdkConfig(h.dd, { region: 'us-east-1' }));
  assert.equal((await up.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  const listed = await call('GET', '/_drydock/faults');
  assert.equal((listed.json['faults'] as unknown[]).length, 1);
  assert.equal((await call('DELETE', `/_drydock/faults/${id}`)).status, 200);
  assert.equal((await down.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  assert.equal((await call('POST', '/_drydock/faults', { type: 'no-such-fault' })).status, 400);
});

test('every request leaves an audit record', async () => {
  const sts = new STSClient(sdkConfig(h.dd));
  const r = await sts.send(new GetCallerIdentityCommand({}));
  const { json } = await call('GET', '/_drydock/audit?service=sts&limit=500');
  const rec = (json['records'] as Record<string, unknown>[]).find((x) => x['requestId'] === r.$metadata.requestId);
  assert.ok(rec, 'audit record for the request');
  assert.equal(rec['action'], 'GetCallerIdentity');
  assert.equal(rec['principalArn'], 'arn:aws:iam::000000000000:root');
});

test('compatibility endpoints: LocalStack health and moto reset', async () => {
  const ls = await call('GET', '/_localstack/health');
  assert.equal(ls.status, 200);
  assert.equal(typeof ls.json['services'], 'object');
  const moto = await call('POST', '/moto-api/reset');
  assert.equal(moto.status, 200);
  assert.equal((await call('POST', '/_drydock/reset?service=sqs')).json['reset'], 'sqs');
  assert.equal((await call('POST', '/_drydock/reset?service=nope')).status, 400);
});

test('explain gives the worded decision of a request a resource policy decided, by its request id', async () => {
  const { KMSClient, CreateKeyCommand, EncryptCommand } = await import('@aws-sdk/client-kms');
  const kms = new KMSClient(sdkConfig(h.dd));
  const key = await kms.send(new CreateKeyCommand({}));
  const out = await kms.send(new EncryptCommand({ KeyId: key.KeyMetadata!.KeyId!, Plaintext: Buffer.from('hi') }));
  const id = out.$metadata.requestId!;
  const { status, json } = await call('GET', `/_drydock/explain/${id}`);
  assert.equal(status, 200);
  const [d] = json['decisions'] as { action: string; decision: string; lines: string[] }[];
  assert.equal(d!.action, 'kms:Encrypt');
  assert.equal(d!.decision, 'Allow');
  assert.ok(d!.lines.length > 0 && d!.lines.every((l) => typeof l === 'string'), JSON.stringify(d));
  const latest = await call('GET', '/_drydock/explain?limit=1');
  assert.deepEqual((latest.json['decisions'] as unknown[])[0], d);
});
