import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../examples/order-workflow/run.js';
import { startDrydock } from '../../src/embedded/index.js';

test('order-workflow: OrderPlaced → rule → workflow; payment retried twice on the clock, declined card compensated, archive replay re-runs it', async () => {
  const dd = await startDrydock();
  try {
    const lines: string[] = [];
    const r = await run({ endpoint: dd.endpoint, log: (l) => lines.push(l) });
    assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
    assert.equal(r.facts['retries'], '2');
    assert.equal(r.facts['executions'], '4');
  } finally {
    await dd.stop();
  }
});
