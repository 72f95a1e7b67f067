import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../examples/usage-plan-authorizer/run.js';
import { startDrydock } from '../../src/embedded/index.js';

test('usage-plan-authorizer: 429 on the sixth request in a second, 401/403 from the authorizer, quota 100/day resets at midnight UTC', async () => {
  const dd = await startDrydock();
  try {
    const lines: string[] = [];
    const r = await run({ endpoint: dd.endpoint, log: (l) => lines.push(l) });
    assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
    assert.equal(r.facts['usedToday'], '100');
  } finally {
    await dd.stop();
  }
});
