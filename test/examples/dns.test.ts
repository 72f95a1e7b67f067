import { test } from 'node:test';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { run as failover } from '../../examples/dns-failover/run.js';
import { run as geoproximity } from '../../examples/dns-geoproximity/run.js';
import { run as multivalue } from '../../examples/dns-multivalue/run.js';
import { run as hybrid } from '../../examples/hybrid-dns/run.js';
import type { DnsTarget } from '../../examples/dns-failover/dns-target.js';
import type { ScenarioResult } from '../../examples/_lib/harness.js';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';

// The DNS scenarios (examples/), each against one Drydock with its DNS server on a free port, reset between.
let dd: RunningDrydock;
before(async () => { dd = await startDrydock({ dnsPort: 0 }); });
after(async () => { await dd.stop(); });

async function play(run: (t: DnsTarget) => Promise<ScenarioResult>): Promise<ScenarioResult> {
  dd.reset();
  const lines: string[] = [];
  const r = await run({ endpoint: dd.endpoint, dnsPort: dd.dnsPort!, log: (l) => lines.push(l) });
  assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
  return r;
}

test('dns-failover: a region outage flips the answer to the secondary after the threshold, and back when it clears', async () => {
  const r = await play(failover);
  assert.deepEqual([r.facts['before'], r.facts['flipped'], r.facts['back']], ['192.0.2.10', '198.51.100.10', '192.0.2.10']);
  assert.match(r.facts['flippedWhy']!, /primary "use1" is unhealthy, answering secondary "euw1"/);
});

test('dns-multivalue: two stopped endpoints leave six records in every answer', async () => {
  const r = await play(multivalue);
  assert.equal(r.facts['answer'], '192.0.2.1,192.0.2.2,192.0.2.4,192.0.2.5,192.0.2.7,192.0.2.8');
});

test('dns-geoproximity: a +50 bias on eu-west-1 moves a client that was closer to us-east-1', async () => {
  const r = await play(geoproximity);
  assert.match(r.facts['why']!, /euw1: \d+ km, bias 50 → \d+ km/);
});

test('hybrid-dns: an outbound rule forwards corp.example.internal to the on-premises server; an inbound endpoint serves the private zone', async () => {
  const r = await play(hybrid);
  assert.deepEqual([r.facts['forwarded'], r.facts['inbound']], ['172.16.10.25', '10.50.1.20']);
  assert.match(r.facts['forwardedWhy']!, /forwards corp\.example\.internal\. from vpc-[0-9a-f]+ to 127\.0\.0\.1:\d+/);
});
