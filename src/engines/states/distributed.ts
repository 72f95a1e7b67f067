/**
 * The Distributed Map: items from the input or an ItemReader (S3 JSON, JSONL, CSV or an
 * object listing, fetched through the host's task executor), batched by ItemBatcher, run as
 * child workflows under a map run with tolerated failures, results optionally written to S3
 * by a ResultWriter. Child workflows keep their events in their own history, as AWS keeps
 * them in child executions.
 */
import { History } from './history.js';
import { applyPath, effectiveInput } from './io.js';
import { ExecutionStopped, isObject, runtimeError, StatesError, toText, type Json, type JsonObject } from './json.js';
import { resolvePayload } from './payload.js';
import { parseResource } from './task.js';
import type { Interpreter, StateRun } from './runner.js';
import type { Block, TaskRequest } from './types.js';
import { itemInput, mapItems, mapNumber, pool } from './fanout.js';
import { Cancellation } from './history.js';

export async function runDistributed(it: Interpreter, run: StateRun, proc: Block): Promise<Json> {
  const { def: st, scope, frame } = run;
  const h = frame.history;
  const data = scope.ql === 'JSONata' ? scope.raw : applyPath(st['InputPath'], scope.raw, scope);
  const reader = st['ItemReader'] as JsonObject | undefined;
  let items = reader ? await readItems(it, run, reader, data) : await mapItems(run, data);
  const pct = (await mapNumber(run, 'ToleratedFailurePercentage', data, 'float')) ?? 0;
  const cnt = (await mapNumber(run, 'ToleratedFailureCount', data)) ?? 0;
  if (pct < 0 || pct > 100) throw runtimeError('ToleratedFailurePercentage must be between 0 and 100.');
  if (cnt < 0) throw runtimeError('ToleratedFailureCount cannot be negative.');
  const max = (await mapNumber(run, 'MaxConcurrency', data)) ?? 0;
  const inputs: Json[] = [];
  for (let i = 0; i < items.length; i++) inputs.push(await itemInput(run, data, i, items[i]!));
  items = batch(run, inputs, data);
  h.emit(frame.thread, 'MapStateStarted', { length: items.length });
  const mapRunArn = it.host.mapRuns?.start(run.name, st['Label'] as string | undefined, { maxConcurrency: max, toleratedFailurePercentage: pct, toleratedFailureCount: cnt })
    ?? `${String((scope.context['StateMachine'] as JsonObject)?.['Id'] ?? '')}/${run.name}:${it.host.uuid()}`;
  h.emit(frame.thread, 'MapRunStarted', { mapRunArn });
  const results: Json[] = new Array(items.length);
  const failures: JsonObject[] = [];
  const failed = new Set<number>();
  let succeeded = 0;
  const cancel = new Cancellation(frame.cancel);
  const counts = () => ({ pending: items.length - succeeded - failures.length, running: 0, succeeded, failed: failures.length, total: items.length });
  try {
    await pool(items.length, max, async (i) => {
      const child = { thread: { last: 0 }, variables: new Map(frame.variables), cancel: new Cancellation(cancel), context: frame.context, queryLanguage: frame.queryLanguage, history: new History(() => it.host.now()) };
      try {
        results[i] = await it.runBlock(proc, items[i]!, child);
        succeeded++;
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        failed.add(i);
        failures.push({ Error: e.error, Cause: e.cause, Input: toText(items[i]) });
        results[i] = { Error: e.error, Cause: e.cause };
        if (exceeded(failures.length, items.length, pct, cnt)) throw new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded');
      } finally {
        it.host.mapRuns?.update(mapRunArn, counts());
      }
    }, () => cancel.cancel());
  } catch (e) {
    if (e instanceof StatesError) {
      it.host.mapRuns?.finish(mapRunArn, 'FAILED');
      h.emit(frame.thread, 'MapRunFailed', { error: e.error, cause: e.cause });
      h.emit(frame.thread, 'MapStateFailed');
    } else if (e instanceof ExecutionStopped) it.host.mapRuns?.finish(mapRunArn, 'ABORTED');
    throw e;
  }
  it.host.mapRuns?.finish(mapRunArn, 'SUCCEEDED');
  h.emit(frame.thread, 'MapRunSucceeded');
  h.emit(frame.thread, 'MapStateSucceeded');
  const writer = st['ResultWriter'] as JsonObject | undefined;
  if (writer) return writeResults(it, run, writer, mapRunArn, results.filter((_, i) => !failed.has(i)), failures);
  return results;
}

function exceeded(failed: number, total: number, pct: number, cnt: number): boolean {
  return failed > cnt && (total === 0 || (failed / total) * 100 > pct);
}

function batch(run: StateRun, inputs: Json[], data: Json): Json[] {
  const b = run.def['ItemBatcher'] as JsonObject | undefined;
  if (!b) return inputs;
  const size = (b['MaxItemsPerBatch'] as number | undefined) ?? inputs.length;
  const maxBytes = b['MaxInputBytesPerBatch'] as number | undefined;
  const batchInput = b['BatchInput'] === undefined ? undefined
    : run.scope.ql === 'JSONata' ? b['BatchInput'] : resolvePayload(b['BatchInput'], { input: data, context: run.scope.context, variables: run.scope.variables });
  const out: Json[] = [];
  let cur: Json[] = [];
  let bytes = 0;
  const flush = () => {
    if (cur.length === 0) return;
    const o: JsonObject = { Items: cur };
    if (batchInput !== undefined) o['BatchInput'] = batchInput;
    out.push(o);
    cur = [];
    bytes = 0;
  };
  for (const item of inputs) {
    const n = toText(item).length;
    if (cur.length >= size || (maxBytes !== undefined && bytes + n > maxBytes && cur.length > 0)) flush();
    cur.push(item);
    bytes += n;
  }
  flush();
  return out;
}

function task(it: Interpreter, run: StateRun, resourceArn: string, input: Json): Promise<Json> {
  const resource = parseResource(resourceArn);
  if (!resource) throw new StatesError('States.ItemReaderFailed', `Invalid resource: ${resourceArn}`);
  const req: TaskRequest = {
    stateName: run.name, resource, input, context: run.scope.context, cancel: new Cancellation(run.frame.cancel),
    submitted: () => {}, heartbeat: () => {},
  };
  return it.host.runTask(req);
}

async function readItems(it: Interpreter, run: StateRun, reader: JsonObject, data: Json): Promise<Json[]> {
  const params = run.scope.ql === 'JSONata' ? (reader['Arguments'] ?? {}) : effectiveInput({ Parameters: reader['Parameters'] ?? {} }, run.scope.over(data));
  const cfg = (reader['ReaderConfig'] as JsonObject | undefined) ?? {};
  let got: Json;
  try {
    got = await task(it, run, reader['Resource'] as string, params);
  } catch (e) {
    if (e instanceof StatesError) throw new StatesError('States.ItemReaderFailed', e.cause);
    throw e;
  }
  let items: Json[];
  if (isObject(got) && Array.isArray(got['Contents'])) items = got['Contents'];
  else {
    const body = isObject(got) ? got['Body'] : got;
    const text = typeof body === 'string' ? body : toText(body);
    items = parseBody(text, (cfg['InputType'] as string | undefined) ?? 'JSON', cfg);
  }
  const maxItems = cfg['MaxItems'] as number | undefined;
  if (maxItems !== undefined) {
    if (maxItems <= 0) throw new StatesError('States.ItemReaderFailed', 'field MaxItems must be positive');
    items = items.slice(0, maxItems);
  }
  return items;
}

function parseBody(text: string, type: string, cfg: JsonObject): Json[] {
  if (type === 'JSONL') return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Json);
  if (type === 'CSV') return parseCsv(text, cfg);
  let v: Json;
  try { v = JSON.parse(text) as Json; } catch { throw new StatesError('States.ItemReaderFailed', 'Attempting to map over non-iterable node.'); }
  if (!Array.isArray(v)) throw new StatesError('States.ItemReaderFailed', 'Attempting to map over non-iterable node.');
  return v;
}

function parseCsv(text: string, cfg: JsonObject): Json[] {
  const rows = text.split(/\r?\n/).filter((l) => l !== '').map(splitCsvLine);
  let headers: string[];
  if (cfg['CSVHeaderLocation'] === 'GIVEN') headers = cfg['CSVHeaders'] as string[];
  else headers = rows.shift() ?? [];
  if (new Set(headers).size !== headers.length) throw new StatesError('States.ItemReaderFailed', 'CSV headers cannot contain duplicates.');
  return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

async function writeResults(it: Interpreter, run: StateRun, writer: JsonObject, mapRunArn: string, results: Json[], failures: JsonObject[]): Promise<Json> {
  const params = (run.scope.ql === 'JSONata' ? writer['Arguments'] : writer['Parameters']) as JsonObject | undefined ?? {};
  const bucket = params['Bucket'] as string;
  const prefix = (params['Prefix'] as string | undefined) ?? '';
  const runId = mapRunArn.split(':').pop()!;
  const base = `${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}${runId}`;
  await task(it, run, 'arn:aws:states:::aws-sdk:s3:putObject', { Bucket: bucket, Key: `${base}/SUCCEEDED_0.json`, Body: toText(results) });
  if (failures.length > 0) await task(it, run, 'arn:aws:states:::aws-sdk:s3:putObject', { Bucket: bucket, Key: `${base}/FAILED_0.json`, Body: toText(failures) });
  const manifest = { DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: { SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json` }], FAILED: failures.length ? [{ Key: `${base}/FAILED_0.json` }] : [], PENDING: [] } };
  await task(it, run, 'arn:aws:states:::aws-sdk:s3:putObject', { Bucket: bucket, Key: `${base}/manifest.json`, Body: toText(manifest) });
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: `${base}/manifest.json` } };
}
