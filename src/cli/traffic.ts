/**
 * `drydock traffic <from> <to> [--port N] [--protocol P] [--packets N] [--bytes N] [--account A]
 * [--region R] [--action s3:GetObject --resource ARN]`: sends a simulated flow through a running
 * Drydock (`POST /_drydock/network/traffic`) and prints the verdict, the hops, what blocked it,
 * and the flow log records it wrote. Ends are `eni-…`, `subnet-…`, `i-…`, an address,
 * `internet`, an AWS service (`s3`, `s3://bucket/key`) or an endpoint service (`vpce-svc-…`).
 */
import { parseArgs } from 'node:util';

export const TRAFFIC_USAGE = 'drydock traffic FROM TO [--port N] [--protocol P] [--packets N] [--bytes N] [--account A] [--region R]';

interface Answer {
  reachable: boolean;
  result: { forward: { componentId: string; type: string; note?: string }[]; explanations: { code: string; componentId: string; type: string; reason: string }[] };
  records: { flowLogId: string; record: string; delivered: boolean; error?: string }[];
  error?: string;
}

/** Runs the command; exit 0 when the flow is accepted end to end, 2 when it is not. */
export async function traffic(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      port: { type: 'string' }, protocol: { type: 'string' }, packets: { type: 'string' }, bytes: { type: 'string' },
      account: { type: 'string' }, region: { type: 'string' }, action: { type: 'string' }, resource: { type: 'string' },
    },
  });
  const [from, to] = positionals;
  if (from === undefined || to === undefined) throw new Error(`usage: ${TRAFFIC_USAGE}`);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const body = {
    from, to, port: num(values.port), protocol: values.protocol, packets: num(values.packets), bytes: num(values.bytes),
    account: values.account, region: values.region ?? process.env['AWS_REGION'], action: values.action, resource: values.resource,
  };
  const endpoint = process.env['DRYDOCK_ENDPOINT'] ?? `http://localhost:${process.env['DRYDOCK_PORT'] ?? 4566}`;
  const res = await fetch(`${endpoint}/_drydock/network/traffic`, { method: 'POST', body: JSON.stringify(body) });
  const a = await res.json() as Answer;
  if (!res.ok) throw new Error(a.error ?? `HTTP ${res.status}`);
  log(`${a.reachable ? '✔ accepted' : '✘ rejected'}: ${from} → ${to}${body.port === undefined ? '' : `  ${body.protocol ?? 'tcp'}/${body.port}`}`);
  for (const [i, h] of a.result.forward.entries()) log(`  ${String(i + 1).padStart(2)}  ${h.type.padEnd(28)} ${h.componentId}${h.note ? `  (${h.note})` : ''}`);
  for (const e of a.result.explanations) log(`blocked at ${e.type} ${e.componentId}: ${e.code} — ${e.reason}`);
  for (const r of a.records) log(`flow log ${r.flowLogId}: ${r.record}${r.delivered ? '' : `  [not delivered: ${r.error}]`}`);
  if (a.records.length === 0) log('no flow log watches this path');
  return a.reachable ? 0 : 2;
}
