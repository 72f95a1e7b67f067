import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../examples/thundering-herd/run.js';
import { startDrydock } from '../../src/embedded/index.js';

// The handbook's numbers (2,000 / 50 / 10 / 20) run with `node --import tsx examples/thundering-herd/run.ts`;
// the test plays the same story smaller so it stays quick.
test('thundering herd: direct invokes throttle at the reservation; the SQS event source with maximum concurrency does not', async () => {
  const dd = await startDrydock();
  try {
    const lines: string[] = [];
    const r = await run({ endpoint: dd.endpoint, log: (l) => lines.push(l) }, { count: 60, reserved: 5, maxConcurrency: 3, provisioned: 3 });
    assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
    assert.ok(Number(r.facts['herdThrottles']) > 0);
    assert.equal(r.facts['esmThrottles'], '0');
    assert.ok(Number(r.facts['esmPeak']) <= 3);
  } finally {
    await dd.stop();
  }
});
