// Property tests of the routing policies against their definitions: multivalue never answers
// more than eight records nor an unhealthy one while a healthy one exists; weighted never answers
// an unhealthy or zero-weight record while a healthy positive one exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { indexZone, resolve, type RecordSet } from '../../../src/engines/dns/index.js';

const apex = (name: string): RecordSet[] => [{ Name: name, Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns. host. 1 2 3 4 5' }] }];

test('multivalue: at most eight, all healthy when any is', () => {
  fc.assert(fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (health, x) => {
    const records: RecordSet[] = health.map((_, i) => ({ Name: 'm.z.', Type: 'A', TTL: 60, SetIdentifier: `r${i}`, MultiValueAnswer: true, HealthCheckId: `h${i}`, ResourceRecords: [{ Value: `192.0.2.${i}` }] }));
    const r = resolve([indexZone({ id: 'Z', name: 'z.', private: false, records: [...apex('z.'), ...records] })], {
      name: 'm.z', type: 'A', client: {}, healthy: (id) => health[Number(id.slice(1))]!, random: () => x,
    });
    const healthyCount = health.filter(Boolean).length;
    assert.equal(r.answers.length, Math.min(8, healthyCount > 0 ? healthyCount : health.length));
    if (healthyCount > 0) for (const a of r.answers) assert.ok(health[Number(a.value.split('.')[3])]);
    assert.equal(new Set(r.answers.map((a) => a.value)).size, r.answers.length);
  }));
});

test('weighted: never an unhealthy or zero-weight record while a healthy weighted one exists', () => {
  fc.assert(fc.property(fc.array(fc.record({ w: fc.integer({ min: 0, max: 255 }), ok: fc.boolean() }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (rs, x) => {
    const records: RecordSet[] = rs.map((r, i) => ({ Name: 'w.z.', Type: 'A', TTL: 60, SetIdentifier: `r${i}`, Weight: r.w, HealthCheckId: `h${i}`, ResourceRecords: [{ Value: `192.0.2.${i}` }] }));
    const r = resolve([indexZone({ id: 'Z', name: 'z.', private: false, records: [...apex('z.'), ...records] })], {
      name: 'w.z', type: 'A', client: {}, healthy: (id) => rs[Number(id.slice(1))]!.ok, random: () => x,
    });
    assert.equal(r.answers.length, 1);
    const chosen = rs[Number(r.answers[0]!.value.split('.')[3])]!;
    if (rs.some((q) => q.ok && q.w > 0)) assert.ok(chosen.ok && chosen.w > 0);
  }));
});
