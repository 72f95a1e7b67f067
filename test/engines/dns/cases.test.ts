// One table-driven test over cases/*.json: each file is one behaviour of the DNS engine
// (`_NEG`: an answer that must not happen — an unhealthy, wrong-location or missing record).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { indexZone, resolve, type Zone } from '../../../src/engines/dns/index.js';

const DIR = new URL('./cases/', import.meta.url);

interface Case {
  description: string;
  zones: Zone[];
  query: { name: string; type: string; clientIp?: string };
  unhealthy?: string[];
  random?: number;
  expect: {
    rcode?: string; aa?: boolean; answers?: string[]; authority?: string[]; rule?: string; zone?: string; owner?: string;
    count?: number; excludes?: string[]; maxAnswers?: number;
  };
}

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
  const c = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Case;
  test(`${file}: ${c.description}`, () => {
    const zones = c.zones.map(indexZone);
    const r = resolve(zones, {
      name: c.query.name, type: c.query.type, client: { ip: c.query.clientIp ?? '127.0.0.1' },
      healthy: (id) => !(c.unhealthy ?? []).includes(id), random: c.random === undefined ? undefined : () => c.random!,
    });
    const e = c.expect;
    const why = r.explanation.join('\n');
    if (e.rcode !== undefined) assert.equal(r.rcode, e.rcode, why);
    if (e.aa !== undefined) assert.equal(r.authoritative, e.aa, why);
    if (e.answers !== undefined) assert.deepEqual(r.answers.map((a) => a.value).sort(), [...e.answers].sort(), why);
    if (e.authority !== undefined) assert.deepEqual(r.authority.map((a) => a.type), e.authority, why);
    if (e.rule !== undefined) assert.ok(r.choices.some((ch) => ch.rule === e.rule) || (e.rule === 'cname' && why.includes('CNAME')), why);
    if (e.zone !== undefined) assert.equal(r.zone?.id, e.zone);
    if (e.owner !== undefined) assert.ok(r.answers.every((a) => a.name === e.owner), why);
    if (e.count !== undefined) assert.equal(r.answers.length, e.count, why);
    for (const x of e.excludes ?? []) assert.ok(!r.answers.some((a) => a.value === x), `${x} must not be answered\n${why}`);
    if (e.maxAnswers !== undefined) assert.ok(r.answers.length <= e.maxAnswers);
    assert.ok(r.explanation.length > 0, 'every answer is explained');
  });
}
