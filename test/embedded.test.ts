// The README's embedded example, run as written (importing from src instead of the package).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startDrydock } from '../src/embedded/index.js';

const dd = await startDrydock();
after(() => dd.stop());

test('my code sees account 000000000000', async () => {
  const sts = new STSClient({ endpoint: dd.endpoint, region: dd.region, credentials: dd.credentials });
  const me = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Account, '000000000000');
  const before = dd.clock.nowMs();
  dd.clock.advance(3600);
  assert.ok(dd.clock.nowMs() - before >= 3_600_000);
  dd.reset();
});

test('the endpoint is on 127.0.0.1 with a free port', () => {
  assert.match(dd.endpoint, /^http:\/\/localhost:\d+$/);
  assert.notEqual(dd.endpoint, 'http://localhost:4566');
});
