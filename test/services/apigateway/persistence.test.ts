/** REST APIs, keys, plans and usage in a data directory survive a restart, and the API still answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetUsageCommand } from '@aws-sdk/client-api-gateway';
import { startDrydock } from '../../../src/embedded/index.js';
import { apigw, deployedApi, invoke } from './helpers.js';

test('a deployed API with a key on a quota plan keeps answering, and keeps counting, after a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-apigw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  let c = apigw(dd);
  const { apiId } = await deployedApi(c, [{
    path: '/r', method: { apiKeyRequired: true }, integration: {}, responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }],
  }]);
  const plan = await c.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'dev' }], quota: { limit: 2, period: 'MONTH' } }));
  const key = await c.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
  await c.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  const headers = { 'x-api-key': key.value! };
  assert.equal((await invoke(dd, apiId, 'dev', '/r', { headers })).status, 200);
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  c = apigw(dd);
  const again = await invoke(dd, apiId, 'dev', '/r', { headers });
  assert.deepEqual([again.status, again.json()], [200, { ok: true }]);
  const over = await invoke(dd, apiId, 'dev', '/r', { headers });
  assert.deepEqual([over.status, over.json()], [429, { message: 'Limit Exceeded' }], 'the usage counted before the restart still counts');
  const today = new Date(dd.clock.nowMs()).toISOString().slice(0, 10);
  const usage = await c.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: today, endDate: today }));
  assert.deepEqual(usage.items?.[key.id!], [[2, 0]]);
});
