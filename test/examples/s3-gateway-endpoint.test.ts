/** The handbook's gateway endpoint scenario (examples/s3-gateway-endpoint), against one Drydock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../examples/s3-gateway-endpoint/run.js';
import { useDrydock } from '../helpers.js';

const h = useDrydock();

test('s3-gateway-endpoint: S3 through the NAT, then through the endpoint; its policy blocks another bucket', async () => {
  const lines: string[] = [];
  const r = await run({ endpoint: h.dd.endpoint, log: (l) => lines.push(l) });
  assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
  assert.equal(r.steps.length, 8);
  assert.equal(r.facts['payrollBlockedAt'], r.facts['endpoint']);
  assert.match(r.facts['endpoint']!, /^vpce-[0-9a-f]{17}$/);
  assert.ok(lines.some((l) => /route-table\s+rtb-\S+\s+3\.5\.0\.0\/19 → vpce-/.test(l)), 'the analysis names the prefix-list route to the endpoint');
});
