/** `drydock dig`: the answer as dig prints it, then the DNS engine's reasons. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.js';
import { a, createZone, r53, upsert, useDrydockDns } from './helpers.js';

const h = useDrydockDns();

async function digOutput(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...x: unknown[]) => { lines.push(x.join(' ')); };
  try {
    const code = await main(['dig', ...args, '-p', String(h.dd.dnsPort)]);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

test('drydock dig prints the records and which routing rule chose them', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await upsert(c, z.id,
    { ...a(`api.${z.name}`, '192.0.2.1'), SetIdentifier: 'use1', Failover: 'PRIMARY' },
    { ...a(`api.${z.name}`, '198.51.100.1'), SetIdentifier: 'euw1', Failover: 'SECONDARY' });
  const r = await digOutput([`api.${z.name}`]);
  assert.equal(r.code, 0);
  assert.match(r.out, /;; status: NOERROR, flags: qr aa rd, answers: 1/);
  assert.match(r.out, new RegExp(`api\\.${z.name.replace(/\./g, '\\.')}\\.\\t300|api\\.${z.name.replace(/\./g, '\\.')}\\.\\t60\\tIN\\tA\\t192\\.0\\.2\\.1`));
  assert.match(r.out, /;; WHY \(drydock DNS engine\):\n;;   client 127\.0\.0\.1 \(source address\)/);
  assert.match(r.out, /failover: primary "use1" is healthy/);
  const nx = await digOutput([`nope.${z.name}`, 'TXT', '--tcp']);
  assert.match(nx.out, /status: NXDOMAIN/);
  assert.match(nx.out, /AUTHORITY SECTION:\n.*\tSOA\t/);
});
