import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * `drydock start|status|reset|clock|fault`: start the server, or talk to a running one through
 * the admin API (`DRYDOCK_ENDPOINT`, default http://localhost:4566).
 */

const USAGE = `usage:
  drydock start [--port N] [--host H] [--data-dir D]   serve AWS on http://localhost:4566
                [--dns-port N]                        and DNS on 127.0.0.1:5353 (UDP+TCP)
  drydock status                                      is it up, and what does it serve
  drydock reset [--service NAME]                      drop all state (or one service's)
  drydock clock [advance SECONDS | set ISO | freeze | unfreeze | scale X]
  drydock fault [list | add TYPE key=value... | remove ID | clear]
  drydock explain [REQUEST-ID]                        why a request was allowed or denied
  drydock dig NAME [TYPE] [-p PORT] [--subnet IP/N] [--vpc ID]  a DNS query, and why those records
  drydock landing-zone [--file SPEC.json]             organization, OUs and guardrail SCPs (idempotent)
  drydock reach FROM TO [--port N] [--protocol P]     can FROM reach TO? the path hop by hop, or what blocks it
  drydock traffic FROM TO [--port N] [--packets N]   simulate a flow: its verdict, hops and flow log records
    types: region-outage region=us-east-1 | az-outage region= az= | latency ms= |
           error-rate rate=0.5 code= | dx-link-down connectionId=
environment: DRYDOCK_PORT, DRYDOCK_DNS_PORT, DRYDOCK_HOST, DRYDOCK_DATA_DIR, DRYDOCK_ENDPOINT`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start': return await start(rest);
      case 'status': return await status();
      case 'reset': return await reset(rest);
      case 'clock': return await clock(rest);
      case 'fault': return await fault(rest);
      case 'explain': return await explain(rest);
      case 'landing-zone': return await landingZone(rest);
      case 'reach': return await (await import('./reach.js')).reach(rest);
      case 'traffic': return await (await import('./traffic.js')).traffic(rest);
      case 'dig': return await (await import('./dig.js')).dig(rest);
      case undefined: case 'help': case '--help': case '-h':
        console.log(USAGE);
        return command === undefined ? 1 : 0;
      default:
        console.error(`drydock: unknown command \`${command}\`\n${USAGE}`);
        return 1;
    }
  } catch (e) {
    console.error(`drydock: ${(e as Error).message}`);
    return 1;
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, 'dns-port': { type: 'string' } } });
  const rawPort = values.port ?? process.env['DRYDOCK_PORT'] ?? '4566';
  const port = Number(rawPort);
  const host = values.host ?? process.env['DRYDOCK_HOST'] ?? '127.0.0.1';
  const dataDir = values['data-dir'] ?? process.env['DRYDOCK_DATA_DIR'];
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port \`${rawPort}\``);
  const { Drydock } = await import('../gateway/app.js');
  const { listen } = await import('../gateway/server.js');
  const app = await Drydock.create({ dataDir, endpoint: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}` });
  const server = await listen(app, port, host);
  console.log(banner(app.endpoint, dataDir));
  // After listening, so a restart with much state is still ready at once.
  if (dataDir) app.resumeStoredServices().catch((e: Error) => console.error(`drydock: resuming stored services failed: ${e.message}`));
  const dnsPort = Number(values['dns-port'] ?? process.env['DRYDOCK_DNS_PORT'] ?? '5353');
  // DNS comes up a moment after the AWS endpoint: loading and binding it while the first
  // clients connect cost their first answer ~10 ms. Its own banner line says when it serves
  // (resolvers retry a query that finds no server yet).
  setTimeout(() => {
    import('../dns/server.js').then(({ startDnsServer }) => startDnsServer(app, { port: dnsPort, host })).then(
      (d) => console.log(`  DNS           ${d.host}:${d.port} (UDP+TCP): dig @${d.host} -p ${d.port} NAME, or drydock dig NAME`),
      (e: Error) => console.error(`drydock: DNS not served on port ${dnsPort}: ${e.message}`),
    );
  }, DNS_START_DELAY_MS);
  const stop = (): void => { server.closeAllConnections(); server.close(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => undefined);
}

const DNS_START_DELAY_MS = 100;

function banner(endpoint: string, dataDir: string | undefined): string {
  return `Drydock is serving AWS on ${endpoint}
  credentials   test / test  (root of account 000000000000; region us-east-1)
  state         ${dataDir ? `durable in ${dataDir}` : 'in memory (use --data-dir to keep it)'}
  AWS CLI       aws --endpoint-url ${endpoint} sts get-caller-identity
  SDKs          endpoint: '${endpoint}', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }
  environment   AWS_ENDPOINT_URL=${endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
  health        ${endpoint}/_drydock/health`;
}

function endpoint(): string {
  return process.env['DRYDOCK_ENDPOINT'] ?? `http://localhost:${process.env['DRYDOCK_PORT'] ?? 4566}`;
}

async function admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${endpoint()}${path}`, {
      method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new Error(`no Drydock answers at ${endpoint()} (start one with \`drydock start\`)`);
  }
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(json['error'] ?? `HTTP ${res.status}`));
  return json;
}

async function status(): Promise<number> {
  const h = await admin('GET', '/_drydock/health');
  const services = Object.entries(h['services'] as Record<string, string>);
  const up = services.filter(([, s]) => s === 'available').map(([n]) => n);
  console.log(`Drydock ${String(h['version'])} at ${endpoint()}: ${String(h['status'])}
  clock        ${String(h['now'])}
  implemented  ${up.join(', ') || 'none'}
  modelled     ${services.length} services (the others answer NotImplemented)`);
  return 0;
}

async function reset(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { service: { type: 'string' } } });
  const r = await admin('POST', `/_drydock/reset${values.service ? `?service=${encodeURIComponent(values.service)}` : ''}`);
  console.log(`reset ${String(r['reset'])}`);
  return 0;
}

async function clock(args: string[]): Promise<number> {
  const [verb, arg] = args;
  const bodies: Record<string, () => unknown> = {
    advance: () => ({ advanceSeconds: Number(arg) }),
    set: () => ({ set: arg }),
    freeze: () => ({ freeze: true }),
    unfreeze: () => ({ freeze: false }),
    scale: () => ({ scale: Number(arg) }),
  };
  if (verb && !bodies[verb]) throw new Error(`unknown clock verb \`${verb}\``);
  const s = verb ? await admin('POST', '/_drydock/clock', bodies[verb]!()) : await admin('GET', '/_drydock/clock');
  console.log(`clock ${String(s['now'])}${s['frozen'] ? ' (frozen)' : ''}${s['scale'] !== 1 ? ` ×${String(s['scale'])}` : ''}`);
  return 0;
}

async function fault(args: string[]): Promise<number> {
  const [verb = 'list', ...rest] = args;
  if (verb === 'list') {
    const { faults } = await admin('GET', '/_drydock/faults') as { faults: Record<string, unknown>[] };
    if (!faults.length) console.log('no faults');
    for (const f of faults) console.log(`${String(f['id'])}  ${JSON.stringify(f)}`);
  } else if (verb === 'add') {
    const [type, ...pairs] = rest;
    const spec: Record<string, unknown> = { type };
    for (const p of pairs) {
      const [k, v = ''] = p.split('=', 2) as [string, string?];
      spec[k] = v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v.includes(',') ? v.split(',') : v;
    }
    const f = await admin('POST', '/_drydock/faults', spec);
    console.log(`added ${String(f['id'])}`);
  } else if (verb === 'remove') {
    await admin('DELETE', `/_drydock/faults/${encodeURIComponent(rest[0] ?? '')}`);
    console.log(`removed ${rest[0]}`);
  } else if (verb === 'clear') {
    await admin('DELETE', '/_drydock/faults');
    console.log('removed all faults');
  } else {
    throw new Error(`unknown fault verb \`${verb}\``);
  }
  return 0;
}

// Run directly (`node --import tsx src/cli/main.ts start`) as well as through bin/drydock.js.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; });
}

async function explain(args: string[]): Promise<number> {
  const [id] = args;
  const r = await admin('GET', id ? `/_drydock/explain/${encodeURIComponent(id)}` : '/_drydock/explain?limit=10');
  const decisions = r['decisions'] as { requestId: string; action: string; principal: string; decision: string; lines: string[] }[];
  if (!decisions.length) console.log('no authorization decisions recorded yet');
  for (const d of decisions) {
    console.log(`${d.requestId}  ${d.decision}  ${d.principal} → ${d.action}`);
    for (const line of d.lines) console.log(`  ${line}`);
  }
  return 0;
}

async function landingZone(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
  const spec: unknown = values.file ? JSON.parse(readFileSync(values.file, 'utf8')) : {};
  const r = await admin('POST', '/_drydock/landing-zone', spec);
  console.log(String(r['summary']));
  return 0;
}
