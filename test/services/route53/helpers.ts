/** Shared plumbing for the Route 53 suites: a Drydock with DNS on a free port, clients, zones, DNS queries. */
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import * as packet from 'dns-packet';
import {
  ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client, type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { startDrydock, type RunningDrydock } from '../../../src/embedded/index.js';
import { digQuery, send } from '../../../src/cli/dig.js';
import { accountConfig } from '../../helpers.js';

/** One Drydock for the file, with its DNS server on a free port (so parallel files never share 5353). */
export function useDrydockDns(): { readonly dd: RunningDrydock } {
  let dd: RunningDrydock | undefined;
  before(async () => { dd = await startDrydock({ dnsPort: 0 }); });
  after(async () => { await dd?.stop(); });
  return { get dd() { return dd!; } };
}

export function r53(dd: RunningDrydock, accessKeyId?: string): Route53Client {
  return new Route53Client(accountConfig(dd, accessKeyId ? { accessKeyId } : {}));
}

export function uniqueZone(): string {
  return `z${randomBytes(4).toString('hex')}.example.com`;
}

/** Creates a public zone (or private, given a VPC) and returns its id and name. */
export async function createZone(c: Route53Client, opts: { name?: string; vpcId?: string } = {}): Promise<{ id: string; name: string }> {
  const name = opts.name ?? uniqueZone();
  const r = await c.send(new CreateHostedZoneCommand({
    Name: name, CallerReference: randomBytes(8).toString('hex'),
    ...(opts.vpcId ? { VPC: { VPCId: opts.vpcId, VPCRegion: 'us-east-1' } } : {}),
  }));
  return { id: r.HostedZone!.Id!.replace('/hostedzone/', ''), name };
}

export async function upsert(c: Route53Client, zoneId: string, ...sets: ResourceRecordSet[]): Promise<void> {
  await c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: sets.map((s) => ({ Action: 'UPSERT', ResourceRecordSet: s })) } }));
}

export const a = (Name: string, ...values: string[]): ResourceRecordSet => ({ Name, Type: 'A', TTL: 60, ResourceRecords: values.map((Value) => ({ Value })) });

export interface Reply { rcode: string; aa: boolean; answers: { name: string; type: string; ttl: number; data: unknown }[]; authorities: { name: string; type: string; ttl: number }[]; why: string[] }

/** Asks Drydock's DNS server (UDP unless `tcp`), as a client with `subnet` or in `vpc`. */
export async function query(dd: RunningDrydock, name: string, type = 'A', o: { subnet?: string; vpc?: string; tcp?: boolean } = {}): Promise<Reply> {
  const r = await send(digQuery(name, type, o), { server: '127.0.0.1', port: dd.dnsPort!, tcp: o.tcp });
  const rows = (x: packet.Answer[] | undefined) => (x ?? []).map((v) => ({ name: v.name, type: v.type, ttl: (v as { ttl?: number }).ttl ?? 0, data: (v as { data?: unknown }).data }));
  return {
    rcode: (r as { rcode?: string }).rcode ?? 'NOERROR',
    aa: ((r.flags ?? 0) & packet.AUTHORITATIVE_ANSWER) !== 0,
    answers: rows(r.answers),
    authorities: rows(r.authorities),
    why: (r.additionals ?? []).filter((x) => x.name === 'explanation.drydock').map((x) => String(((x as { data?: Buffer[] }).data ?? [])[0])),
  };
}

/** The A values of a reply, sorted. */
export const values = (r: Reply): string[] => r.answers.filter((x) => x.type === 'A' || x.type === 'AAAA').map((x) => String(x.data)).sort();

/** A local HTTP endpoint whose status and body a test can change. */
export interface Endpoint { port: number; status: number; body: string; close(): Promise<void> }

export async function endpoint(): Promise<Endpoint> {
  const { createServer } = await import('node:http');
  const ep = { port: 0, status: 200, body: 'OK healthy', close: async () => undefined } as Endpoint;
  const server = createServer((_req, res) => { res.writeHead(ep.status); res.end(ep.body); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  ep.port = (server.address() as { port: number }).port;
  ep.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  return ep;
}

/**
 * Advances the clock `rounds` times by `interval` seconds and, after each, waits (in real time,
 * briefly) until the checker has recorded that round's probe of `checkId`.
 */
export async function checkRounds(dd: RunningDrydock, c: Route53Client, checkIds: string[], rounds: number, interval = 10): Promise<void> {
  const { GetHealthCheckStatusCommand } = await import('@aws-sdk/client-route-53');
  for (let i = 0; i < rounds; i++) {
    dd.clock.advance(interval);
    const due = dd.clock.nowMs();
    for (const id of checkIds) {
      for (let spin = 0; spin < 200; spin++) {
        const s = await c.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
        if ((s.HealthCheckObservations?.[0]?.StatusReport?.CheckedTime?.getTime() ?? 0) >= due) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }
}

/** A VPC in Drydock's EC2 (private zones need one that exists), in the given account. */
export async function newVpc(dd: RunningDrydock, accessKeyId?: string): Promise<string> {
  const { CreateVpcCommand, EC2Client } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client(accountConfig(dd, accessKeyId ? { accessKeyId } : {}));
  return (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
}
