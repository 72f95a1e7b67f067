/**
 * What the DNS scenarios share: a Drydock with its DNS server (the one given, else
 * DRYDOCK_ENDPOINT with DRYDOCK_DNS_PORT, else one started in this process on free ports),
 * a Route 53 client, DNS queries through `drydock dig`'s client (it can send an EDNS client
 * subnet and the VPC option), local HTTP endpoints, and clock/fault steps through the admin API.
 */
import { createServer, type Server } from 'node:http';
import { GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { ScenarioResult, Target } from '../_lib/harness.js';
import { digQuery, send } from '../../src/cli/dig.js';

export interface DnsTarget extends Target { dnsPort: number }

export async function withDnsTarget(target: DnsTarget | undefined, body: (t: DnsTarget) => Promise<ScenarioResult>): Promise<ScenarioResult> {
  if (target) return body(target);
  const external = process.env['DRYDOCK_ENDPOINT'];
  if (external) return body({ endpoint: external, fresh: true, dnsPort: Number(process.env['DRYDOCK_DNS_PORT'] ?? 5353) });
  const { startDrydock } = await import('../../src/embedded/index.js');
  const dd = await startDrydock({ dnsPort: 0 });
  try {
    return await body({ endpoint: dd.endpoint, dnsPort: dd.dnsPort! });
  } finally {
    await dd.stop();
  }
}

export function route53(t: DnsTarget): Route53Client {
  return new Route53Client({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

export interface DnsReply { rcode: string; values: string[]; why: string[] }

/** One DNS query to Drydock's server; `subnet` pretends to be a client there, `vpc` queries from a VPC. */
export async function dig(t: DnsTarget, name: string, o: { type?: string; subnet?: string; vpc?: string } = {}): Promise<DnsReply> {
  const r = await send(digQuery(name, o.type ?? 'A', o), { server: '127.0.0.1', port: t.dnsPort });
  return {
    rcode: (r as { rcode?: string }).rcode ?? 'NOERROR',
    values: (r.answers ?? []).map((a) => { const d = (a as { data?: unknown }).data; return Array.isArray(d) ? d.map(String).join(' ') : String(d); }).sort(),
    why: (r.additionals ?? []).filter((a) => a.name === 'explanation.drydock').map((a) => String(((a as { data?: Buffer[] }).data ?? [])[0])),
  };
}

/** An HTTP endpoint on loopback answering 200 until stopped. */
export async function httpEndpoint(): Promise<{ port: number; stop(): Promise<void> }> {
  const server: Server = createServer((_q, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  let stopped = false;
  return { port, stop: () => (stopped ? Promise.resolve() : new Promise((r) => { stopped = true; server.closeAllConnections(); server.close(() => r()); })) };
}

async function admin(t: DnsTarget, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${t.endpoint}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

export const freezeClock = (t: DnsTarget) => admin(t, 'POST', '/_drydock/clock', { freeze: true });
export const unfreezeClock = (t: DnsTarget) => admin(t, 'POST', '/_drydock/clock', { freeze: false });
export const addFault = async (t: DnsTarget, spec: object) => String((await admin(t, 'POST', '/_drydock/faults', spec))['id']);
export const removeFault = (t: DnsTarget, id: string) => admin(t, 'DELETE', `/_drydock/faults/${encodeURIComponent(id)}`);

/**
 * Moves the clock one health-check interval at a time, `rounds` times, and after each waits
 * (briefly, in real time) until every check has recorded that round's probe.
 */
export async function checkRounds(t: DnsTarget, r53: Route53Client, ids: string[], rounds: number, interval = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const due = Date.parse(String((await admin(t, 'POST', '/_drydock/clock', { advanceSeconds: interval }))['now']));
    for (const id of ids) {
      for (let spin = 0; spin < 400; spin++) {
        const s = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
        if ((s.HealthCheckObservations?.[0]?.StatusReport?.CheckedTime?.getTime() ?? 0) >= due) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }
}
