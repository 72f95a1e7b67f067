import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../examples/dynamodb-global-tables/run.js';
import { startDrydock } from '../../src/embedded/index.js';

test('dynamodb-global-tables: replicate after the lag, resolve conflicts alike, survive a us-east-1 outage and converge', async () => {
  const dd = await startDrydock();
  try {
    const lines: string[] = [];
    const r = await run({ endpoint: dd.endpoint, log: (l) => lines.push(l) });
    assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
    assert.equal(r.facts['conflictWinner'], 'shipped-by-us');
    assert.equal(r.facts['converged'], 'o-1=placed o-2=cancelled-during-outage o-3=shipped-by-us o-4=placed-during-outage');
  } finally {
    await dd.stop();
  }
});
