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
  's3.SelectObjectContent/response': 'event-stream output; Drydock does not speak event streams yet',
  'lambda.InvokeWithResponseStream/response': 'event-stream output; Drydock does not speak event streams yet',
  'logs.StartLiveTail/response': 'event-stream output; Drydock does not speak event streams yet',
  'logs.GetLogObject/response': 'event-stream output; Drydock does not speak event streams yet',
};

/**
 * Members the generator leaves out because the real client rewrites them before sending, so
 * what arrives is by design not what the user passed.
 */
const EXCLUDED = new Set<string>([
  // S3: the client base64-encodes SSE-C keys and adds their MD5 header.
  '*.SSECustomerKey', '*.CopySourceSSECustomerKey',
  // S3: the client computes a checksum with the algorithm named, and accepts only its own names.
  '*.ChecksumAlgorithm',
  // S3: a synthetic member the client derives from the Expires header.
  '*.ExpiresString',
  // EventBridge: an endpoint id sends PutEvents to a global endpoint with SigV4a.
  'PutEventsRequest.EndpointId',
]);

/** Members the sender fills in when left out (besides idempotency tokens and framing headers). */
const SENDER_FILLED = new Set<string>([
  // S3: the client copies the Expires header into this synthetic member.
  'GetObjectOutput.ExpiresString', 'HeadObjectOutput.ExpiresString',
  // EC2: the client presigns CopySnapshot for the source region.
  'CopySnapshotRequest.PresignedUrl', 'CopySnapshotRequest.DestinationRegion',
]);

const numRuns = Number(process.env['ROUNDTRIP_RUNS'] ?? 4);
const seed = Number(process.env['ROUNDTRIP_SEED'] ?? 20240601);
const only = process.env['ROUNDTRIP_ONLY']?.split(',');
const services = Object.keys(modelIndex()).filter((s) => !only || only.includes(s));

interface Tally { pass: number; total: number; skipped: number; failures: Failure[] }
const tallies = { requests: tally(), responses: tally(), errors: tally() };
function tally(): Tally { return { pass: 0, total: 0, skipped: 0, failures: [] }; }

/** Records one result; a skipped one must still fail, or its skip entry is stale. */
async function record(t: Tally, key: string, check: () => Promise<Failure | undefined>): Promise<void> {
  t.total++;
  const f = await check();
  if (SKIP[key]) {
    t.skipped++;
    if (!f) t.failures.push({ ...parseKey(key), message: 'passes now: remove it from SKIP', counterexample: '-' });
    return;
  }
  if (f) t.failures.push(f); else t.pass++;
}

function parseKey(key: string): Pick<Failure, 'service' | 'operation' | 'direction'> {
  const [, service, operation, direction] = /^([^.]+)\.([^/]+)\/(\w+)$/.exec(key)!;
  return { service: service!, operation: operation!, direction: direction as Failure['direction'] };
}

test('every operation round-trips through the real SDK clients', async () => {
  const started = Date.now();
  for (const key of Object.keys(SKIP)) {
    const { service, operation } = parseKey(key);
    assert.ok(loadModel(service).operations[operation], `SKIP names an unknown operation: ${key}`);
  }
  for (const service of services) {
    const model = loadModel(service);
    const run = new ServiceRun(model, { numRuns, seed, exclusions: EXCLUDED, senderFilled: SENDER_FILLED });
    for (const operation of Object.keys(model.operations)) {
      await record(tallies.requests, `${service}.${operation}/request`, () => run.request(operation));
      await record(tallies.responses, `${service}.${operation}/response`, () => run.response(operation));
    }
    const errors = model.errors.length ? model.errors : ['UnmodeledTestError'];
    for (const code of errors) await record(tallies.errors, `${service}.${code}/error`, () => run.error(code));
  }
  const lines: string[] = [];
  for (const [name, t] of Object.entries(tallies)) {
    const what = name === 'errors' ? 'errors' : 'operations';
    lines.push(`roundtrip ${name}: ${t.pass}/${t.total} ${what} pass${t.skipped ? ` (${t.skipped} skipped)` : ''}`);
    for (const f of t.failures) lines.push(`  ✗ ${f.service}.${f.operation} (${f.direction}): ${f.message}\n      counterexample: ${f.counterexample}`);
  }
  lines.push(`roundtrip: ${((Date.now() - started) / 1000).toFixed(1)} s, ${numRuns} runs each, seed ${seed}`);
  console.log(lines.join('\n'));
  const failed = Object.values(tallies).flatMap((t) => t.failures);
  assert.equal(failed.length, 0, `${failed.length} round trips failed (see above)`);
});
