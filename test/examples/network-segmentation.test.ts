/** The handbook's chapter 1 network scenarios (examples/tgw-segmentation), against one Drydock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run as isolatedVpcs } from '../../examples/isolated-vpcs/run.js';
import { run as tgwSegmentation } from '../../examples/tgw-segmentation/run.js';
import { useDrydock } from '../helpers.js';

const h = useDrydock();

test('tgw-segmentation: prod/dev reach shared and on-prem, not each other; the LAG under its minimum cuts on-prem off', async () => {
  h.dd.reset();
  const lines: string[] = [];
  const r = await tgwSegmentation({ endpoint: h.dd.endpoint, log: (l) => lines.push(l) });
  assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
  assert.equal(r.steps.length, 13);
  assert.equal(r.facts['prodToDevBlockedAt'], r.facts['prodRouteTable']);
  assert.match(r.facts['dxAttachment']!, /^tgw-attach-[0-9a-f]{17}$/);
  assert.ok(lines.some((l) => l.includes('TGW_RTB_CANNOT_ROUTE — the transit gateway route table has no route to 10.2.1.5')));
});

test('isolated-vpcs (at 40 VPCs; the example defaults to 500): no VPC reaches another, all reach on-prem, one propagation leaks N−1 paths', async () => {
  h.dd.reset();
  const lines: string[] = [];
  const r = await isolatedVpcs({ endpoint: h.dd.endpoint, log: (l) => lines.push(l) }, 40);
  assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
  assert.equal(r.facts['leakFindings'], '39');
  assert.match(r.facts['leakyVpc']!, /^vpc-[0-9a-f]{17}$/);
});
