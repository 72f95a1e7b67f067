// Model-wide round trips with the real SDK v3 clients on the other side, no network: for
// every operation of every model in models/index.json, generated valid inputs survive
// client-serialize → Drydock parse, generated valid outputs survive Drydock serialize →
// client parse, and every modeled error reaches the client by name, message and fields.
// ROUNDTRIP_RUNS (default 4) sets the runs per operation and direction, ROUNDTRIP_SEED the
// seed, ROUNDTRIP_ONLY=svc[,svc] limits the services.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { loadModel, modelIndex } from '../../src/protocols/model.js';
import { ServiceRun, type Failure } from './roundtrip/run.js';

/** Operation and direction Drydock does not round-trip yet, each with its reason. Keep it short. */
const SKIP: Record<string, string> = {
};

/**
 * Members the generator leaves out because the real client rewrites them before sending, so
 * what arrives is by design not what the user passed.
 */
const EXCLUDED = new Set<string>([
]);

/** Members the real client fills in when the user leaves them out (besides idempotency tokens and framing headers). */
const CLIENT_FILLED = new Set<string>([
]);

const numRuns = Number(process.env['ROUNDTRIP_RUNS'] ?? 4);
const seed = Number(process.env['ROUNDTRIP_SEED'] ?? 20240601);
const only = process.env['ROUNDTRIP_ONLY']?.split(',');
const services = Object.keys(modelIndex()).filter((s) => !only || only.includes(s));

interface Tally { pass: number; total: number; failures: Failure[] }
const tallies = { requests: tally(), responses: tally(), errors: tally() };
function tally(): Tally { return { pass: 0, total: 0, failures: [] }; }

function record(t: Tally, f: Failure | undefined): void {
  t.total++;
  if (f) t.failures.push(f); else t.pass++;
}

test('every operation round-trips through the real SDK clients', async () => {
  const started = Date.now();
  for (const service of services) {
    const model = loadModel(service);
    const run = new ServiceRun(model, { numRuns, seed, exclusions: EXCLUDED, clientFilled: CLIENT_FILLED });
    for (const operation of Object.keys(model.operations)) {
      if (!SKIP[`${service}.${operation}/request`]) record(tallies.requests, await run.request(operation));
      if (!SKIP[`${service}.${operation}/response`]) record(tallies.responses, await run.response(operation));
    }
    const errors = model.errors.length ? model.errors : ['UnmodeledTestError'];
    for (const code of errors) record(tallies.errors, await run.error(code));
  }
  const lines: string[] = [];
  for (const [name, t] of Object.entries(tallies)) {
    lines.push(`roundtrip ${name}: ${t.pass}/${t.total} operations pass`);
    for (const f of t.failures) lines.push(`  ✗ ${f.service}.${f.operation} (${f.direction}): ${f.message.split('\n')[0]}\n      counterexample: ${f.counterexample}`);
  }
  lines.push(`roundtrip: ${Object.keys(SKIP).length} skipped, ${((Date.now() - started) / 1000).toFixed(1)} s, ${numRuns} runs each, seed ${seed}`);
  console.log(lines.join('\n'));
  const failed = Object.values(tallies).flatMap((t) => t.failures);
  assert.equal(failed.length, 0, `${failed.length} round trips failed (see above)`);
});
