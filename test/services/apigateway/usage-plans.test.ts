/** API keys, usage plans, throttling and quotas on the clock, and GetUsage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetApiKeyCommand, GetUsageCommand, GetUsagePlanKeysCommand,
  UpdateApiKeyCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { useDrydock } from '../../helpers.js';
import { apigw, deployedApi, failure, invoke } from './helpers.js';

const h = useDrydock();

async function keyedApi(plan: { throttle?: { rateLimit: number; burstLimit: number }; quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number } }) {
  const c = apigw(h.dd);
  const { apiId } = await deployedApi(c, [{
    path: '/r', method: { apiKeyRequired: true }, integration: {}, responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"key":"$context.identity.apiKeyId"}' } }],
  }]);
  const p = await c.send(new CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId, stage: 'dev' }], ...plan }));
  const key = await c.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
  await c.send(new CreateUsagePlanKeyCommand({ usagePlanId: p.id, keyId: key.id, keyType: 'API_KEY' }));
  const call = () => invoke(h.dd, apiId, 'dev', '/r', { headers: { 'x-api-key': key.value! } });
  return { c, apiId, planId: p.id!, key, call };
}

test('API keys: generated values, AWS limits, includeValue', async () => {
  const c = apigw(h.dd);
  const k = await c.send(new CreateApiKeyCommand({ name: 'gen' }));
  assert.ok(k.value!.length >= 20 && k.value!.length <= 128);
  assert.equal(k.enabled, false);
  assert.equal((await c.send(new GetApiKeyCommand({ apiKey: k.id }))).value, undefined);
  assert.equal((await c.send(new GetApiKeyCommand({ apiKey: k.id, includeValue: true }))).value, k.value);
  assert.equal((await failure(() => c.send(new CreateApiKeyCommand({ value: 'short' })))).message, 'API Key value should be at least 20 characters');
  assert.equal((await failure(() => c.send(new CreateApiKeyCommand({ value: 'x'.repeat(129) })))).message, 'API Key value exceeds maximum size of 128 characters');
  const imm = await failure(() => c.send(new UpdateApiKeyCommand({ apiKey: k.id, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })));
  assert.equal(imm.message, "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]");
  const noStage = await failure(() => c.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: 'nope', stage: 'dev' }] })));
  assert.equal(noStage.name, 'NotFoundException');
  assert.match(noStage.message, /^Invalid API Stage \{api: nope, stage: dev\} specified for usageplan [a-z0-9]{6}$/);
});

test('a method that requires a key: missing, unknown, disabled and off-plan keys get 403 Forbidden', async () => {
  const { c, apiId, key, call } = await keyedApi({});
  const none = await invoke(h.dd, apiId, 'dev', '/r');
  assert.deepEqual([none.status, none.json()], [403, { message: 'Forbidden' }]);
  const wrong = await invoke(h.dd, apiId, 'dev', '/r', { headers: { 'x-api-key': 'x'.repeat(30) } });
  assert.equal(wrong.status, 403);
  const ok = await call();
  assert.deepEqual([ok.status, ok.json()], [200, { key: key.id }]);
  await c.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
  assert.equal((await call()).status, 403);
  const offPlan = await c.send(new CreateApiKeyCommand({ name: 'off', enabled: true }));
  assert.equal((await invoke(h.dd, apiId, 'dev', '/r', { headers: { 'x-api-key': offPlan.value! } })).status, 403);
});

test('rate 5 burst 5: the sixth request inside a second is 429 Too Many Requests; tokens come back on the clock', async () => {
  h.dd.clock.freeze(true);
  try {
    const { apiId, call } = await keyedApi({ throttle: { rateLimit: 5, burstLimit: 5 } });
    for (let i = 0; i < 5; i++) assert.equal((await call()).status, 200, `request ${i + 1}`);
    const sixth = await call();
    assert.deepEqual([sixth.status, sixth.json()], [429, { message: 'Too Many Requests' }]);
    const billed = h.dd.app.meter.usage({ service: 'apigateway' }).filter((r) => r.resourceId?.includes(apiId));
    assert.equal(billed.reduce((n, r) => n + r.quantity, 0), 5, 'the throttled request is not billed');
    h.dd.clock.advance(0.2);
    assert.equal((await call()).status, 200, 'one token refilled after 200 ms at 5/s');
    assert.equal((await call()).status, 429);
  } finally {
    h.dd.clock.freeze(false);
  }
});

test('quota 3 per DAY: the fourth is 429 Limit Exceeded until midnight UTC; GetUsage reports it', async () => {
  h.dd.clock.set('2026-03-10T23:59:00Z');
  h.dd.clock.freeze(true);
  try {
    const { c, planId, key, call } = await keyedApi({ quota: { limit: 3, period: 'DAY' } });
    for (let i = 0; i < 3; i++) assert.equal((await call()).status, 200);
    const over = await call();
    assert.deepEqual([over.status, over.json()], [429, { message: 'Limit Exceeded' }]);
    const usage = await c.send(new GetUsageCommand({ usagePlanId: planId, startDate: '2026-03-10', endDate: '2026-03-11' }));
    assert.deepEqual(usage.items?.[key.id!], [[3, 0], [0, 3]]);
    h.dd.clock.advance(61);
    assert.equal((await call()).status, 200, 'a new UTC day resets the quota');
    const keys = await c.send(new GetUsagePlanKeysCommand({ usagePlanId: planId }));
    assert.deepEqual(keys.items?.map((k) => [k.id, k.type]), [[key.id, 'API_KEY']]);
  } finally {
    h.dd.clock.freeze(false);
    h.dd.clock.set(new Date());
  }
});

test('stage method throttling applies to every caller', async () => {
  h.dd.clock.freeze(true);
  try {
    const c = apigw(h.dd);
    const { apiId } = await deployedApi(c, [{ path: '/t', integration: {} }]);
    await c.send(new UpdateStageCommand({
      restApiId: apiId, stageName: 'dev', patchOperations: [
        { op: 'replace', path: '/~1t/GET/throttling/burstLimit', value: '2' }, { op: 'replace', path: '/~1t/GET/throttling/rateLimit', value: '1' },
      ],
    }));
    assert.equal((await invoke(h.dd, apiId, 'dev', '/t')).status, 200);
    assert.equal((await invoke(h.dd, apiId, 'dev', '/t')).status, 200);
    const third = await invoke(h.dd, apiId, 'dev', '/t');
    assert.deepEqual([third.status, third.json()], [429, { message: 'Too Many Requests' }]);
  } finally {
    h.dd.clock.freeze(false);
  }
});
