/** Health checks through the real SDK: real probes on the clock, thresholds, string matching, TCP, calculated, region outages, DNS failover. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeTagsForResourceCommand, CreateHealthCheckCommand, DeleteHealthCheckCommand, GetHealthCheckCommand, GetHealthCheckLastFailureReasonCommand,
  GetHealthCheckStatusCommand, type HealthCheckConfig,
} from '@aws-sdk/client-route-53';
import { randomUUID } from 'node:crypto';
import { failure } from '../../helpers.js';
import { a, checkRounds, createZone, endpoint, query, r53, upsert, useDrydockDns, values, type Endpoint } from './helpers.js';

const h = useDrydockDns();
let ep: Endpoint;
before(async () => { ep = await endpoint(); });
after(async () => { await ep.close(); });

async function check(config: Partial<HealthCheckConfig>): Promise<string> {
  // Probes run only when the test moves the clock.
  if (!h.dd.clock.state().frozen) h.dd.clock.freeze(true);
  const r = await r53(h.dd).send(new CreateHealthCheckCommand({
    CallerReference: randomUUID(),
    HealthCheckConfig: { Type: 'HTTP', IPAddress: '127.0.0.1', Port: ep.port, ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 2, ...config } as HealthCheckConfig,
  }));
  return r.HealthCheck!.Id!;
}

test('a new check gets AWS defaults; the same caller reference with another config is refused', async () => {
  const c = r53(h.dd);
  const r = await c.send(new CreateHealthCheckCommand({ CallerReference: 'same', HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'example.org' } }));
  assert.equal(r.$metadata.httpStatusCode, 201);
  assert.deepEqual(r.HealthCheck!.HealthCheckConfig, {
    Type: 'HTTPS', FullyQualifiedDomainName: 'example.org', Port: 443, ResourcePath: '/', RequestInterval: 30, FailureThreshold: 3,
    MeasureLatency: false, EnableSNI: true, Inverted: false, Disabled: false,
  });
  const again = await c.send(new CreateHealthCheckCommand({ CallerReference: 'same', HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'example.org' } }));
  assert.equal(again.HealthCheck!.Id, r.HealthCheck!.Id);
  const e = await failure(() => c.send(new CreateHealthCheckCommand({ CallerReference: 'same', HealthCheckConfig: { Type: 'TCP', IPAddress: '127.0.0.1', Port: 1 } })));
  assert.deepEqual([e.name, e.status], ['HealthCheckAlreadyExists', 409]);
  await c.send(new DeleteHealthCheckCommand({ HealthCheckId: r.HealthCheck!.Id }));
  const gone = await failure(() => c.send(new GetHealthCheckCommand({ HealthCheckId: r.HealthCheck!.Id })));
  assert.deepEqual([gone.name, gone.status], ['NoSuchHealthCheck', 404]);
});

test('HTTP probes on the clock: unhealthy only after FailureThreshold failures, reasons reported', async () => {
  const c = r53(h.dd);
  const id = await check({});
  await checkRounds(h.dd, c, [id], 1);
  const s = await c.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
  assert.equal(s.HealthCheckObservations!.length, 8);
  assert.match(s.HealthCheckObservations![0]!.StatusReport!.Status!, /^Success: HTTP Status Code 200/);
  ep.status = 500;
  try {
    await checkRounds(h.dd, c, [id], 1);
    const reason = await c.send(new GetHealthCheckLastFailureReasonCommand({ HealthCheckId: id }));
    assert.match(reason.HealthCheckObservations![0]!.StatusReport!.Status!, /^Failure: HTTP Status Code 500/);
  } finally {
    ep.status = 200;
  }
});

test('string matching looks at the body; TCP checks connect', async () => {
  const c = r53(h.dd);
  const match = await check({ Type: 'HTTP_STR_MATCH', SearchString: 'healthy', FailureThreshold: 1 });
  const miss = await check({ Type: 'HTTP_STR_MATCH', SearchString: 'absent', FailureThreshold: 1 });
  const tcpOk = await check({ Type: 'TCP', ResourcePath: undefined, FailureThreshold: 1 });
  const tcpBad = await check({ Type: 'TCP', ResourcePath: undefined, Port: 1, FailureThreshold: 1 });
  await checkRounds(h.dd, c, [match, miss, tcpOk, tcpBad], 1);
  const status = async (id: string) => (await c.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).HealthCheckObservations![0]!.StatusReport!.Status!;
  assert.match(await status(match), /^Success/);
  assert.match(await status(miss), /^Failure: Search string 'absent' was not found/);
  assert.match(await status(tcpOk), /^Success: TCP connection established/);
  assert.match(await status(tcpBad), /^Failure: Connection refused/);
});

test('failover: a region outage fails the primary\'s check after the threshold, and clearing it fails back', async () => {
  const c = r53(h.dd);
  const primary = await check({});
  const secondary = await check({});
  await c.send(new ChangeTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: secondary, AddTags: [{ Key: 'drydock:region', Value: 'eu-west-1' }] }));
  const z = await createZone(c);
  const f = (id: string, ip: string, Failover: 'PRIMARY' | 'SECONDARY', HealthCheckId: string) => ({ ...a(`app.${z.name}`, ip), SetIdentifier: id, Failover, HealthCheckId });
  await upsert(c, z.id, { ...f('use1', '192.0.2.1', 'PRIMARY', primary), Region: undefined }, f('euw1', '192.0.2.2', 'SECONDARY', secondary));
  await c.send(new ChangeTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: primary, AddTags: [{ Key: 'drydock:region', Value: 'us-east-1' }] }));
  await checkRounds(h.dd, c, [primary, secondary], 1);
  assert.deepEqual(values(await query(h.dd, `app.${z.name}`)), ['192.0.2.1']);
  // The outage covers the endpoint's services (EC2 here): a whole-region us-east-1 outage would
  // also take down Route 53's control plane, as on AWS, while DNS answers keep flowing.
  const fault = h.dd.app.faults.add({ type: 'region-outage', region: 'us-east-1', services: ['ec2'] });
  try {
    await checkRounds(h.dd, c, [primary, secondary], 1);
    assert.deepEqual(values(await query(h.dd, `app.${z.name}`)), ['192.0.2.1'], 'one failure is below the threshold of 2');
    await checkRounds(h.dd, c, [primary, secondary], 1);
    const flipped = await query(h.dd, `app.${z.name}`);
    assert.deepEqual(values(flipped), ['192.0.2.2']);
    assert.match(flipped.why.join('\n'), /failover: primary "use1" is unhealthy, answering secondary "euw1"/);
    const reason = await c.send(new GetHealthCheckLastFailureReasonCommand({ HealthCheckId: primary }));
    assert.match(reason.HealthCheckObservations![0]!.StatusReport!.Status!, /region us-east-1 is unreachable/);
  } finally {
    h.dd.app.faults.remove(fault.id);
  }
  await checkRounds(h.dd, c, [primary, secondary], 2);
  assert.deepEqual(values(await query(h.dd, `app.${z.name}`)), ['192.0.2.1']);
});

test('calculated checks count healthy children; inverted and disabled checks as AWS defines them', async () => {
  const c = r53(h.dd);
  const up = await check({ FailureThreshold: 1 });
  const down = await check({ Port: 1, FailureThreshold: 1 });
  const calc = (await c.send(new CreateHealthCheckCommand({ CallerReference: randomUUID(), HealthCheckConfig: { Type: 'CALCULATED', ChildHealthChecks: [up, down], HealthThreshold: 2 } }))).HealthCheck!.Id!;
  const inverted = await check({ Port: 1, FailureThreshold: 1, Inverted: true });
  await checkRounds(h.dd, c, [up, down, inverted], 1);
  const z = await createZone(c);
  const mv = (id: string, ip: string, HealthCheckId: string) => ({ ...a(`m.${z.name}`, ip), SetIdentifier: id, MultiValueAnswer: true, HealthCheckId });
  await upsert(c, z.id, mv('calc', '192.0.2.1', calc), mv('inv', '192.0.2.2', inverted), mv('up', '192.0.2.3', up), mv('down', '192.0.2.4', down));
  assert.deepEqual(values(await query(h.dd, `m.${z.name}`)), ['192.0.2.2', '192.0.2.3']);
  const e = await failure(() => c.send(new GetHealthCheckStatusCommand({ HealthCheckId: calc })));
  assert.equal(e.name, 'InvalidInput');
});
