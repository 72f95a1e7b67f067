/** The DNS server answering from hosted zones: flags, NXDOMAIN vs NODATA, CNAMEs, wildcards, private zones, policies, TestDNSAnswer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeCidrCollectionCommand, CreateCidrCollectionCommand, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { a, createZone, newVpc, query, r53, upsert, useDrydockDns, values } from './helpers.js';

const h = useDrydockDns();

test('authoritative answers with TTLs; NXDOMAIN and NODATA both carry the SOA', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await upsert(c, z.id, { ...a(`www.${z.name}`, '192.0.2.10', '192.0.2.11'), TTL: 42 }, a(`deep.er.${z.name}`, '192.0.2.12'));
  const ok = await query(h.dd, `www.${z.name}`);
  assert.deepEqual([ok.rcode, ok.aa, values(ok), ok.answers[0]!.ttl], ['NOERROR', true, ['192.0.2.10', '192.0.2.11'], 42]);
  const nx = await query(h.dd, `nope.${z.name}`);
  assert.deepEqual([nx.rcode, nx.aa, nx.answers.length, nx.authorities.map((r) => [r.type, r.ttl])], ['NXDOMAIN', true, 0, [['SOA', 900]]]);
  const nodata = await query(h.dd, `www.${z.name}`, 'AAAA');
  assert.deepEqual([nodata.rcode, nodata.answers.length, nodata.authorities[0]!.type], ['NOERROR', 0, 'SOA']);
  const ent = await query(h.dd, `er.${z.name}`);
  assert.equal(ent.rcode, 'NOERROR', 'an empty non-terminal exists: NODATA, not NXDOMAIN');
  const outside = await query(h.dd, 'www.not-hosted-here.test');
  assert.deepEqual([outside.rcode, outside.aa], ['REFUSED', false]);
  const tcp = await query(h.dd, `www.${z.name}`, 'A', { tcp: true });
  assert.deepEqual(values(tcp), ['192.0.2.10', '192.0.2.11']);
});

test('CNAMEs are chased inside the zones, wildcards answer for missing names, aliases resolve their targets', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await upsert(c, z.id,
    a(`target.${z.name}`, '192.0.2.20'),
    { Name: `app.${z.name}`, Type: 'CNAME', TTL: 30, ResourceRecords: [{ Value: `target.${z.name}` }] },
    { Name: `ext.${z.name}`, Type: 'CNAME', TTL: 30, ResourceRecords: [{ Value: 'somewhere.example.org' }] },
    a(`*.wild.${z.name}`, '192.0.2.21'),
    { Name: z.name, Type: 'A', AliasTarget: { HostedZoneId: z.id, DNSName: `target.${z.name}`, EvaluateTargetHealth: false } },
    { Name: `api.${z.name}`, Type: 'A', AliasTarget: { HostedZoneId: 'Z1UJRXOUMOOFQ8', DNSName: 'abc123.execute-api.us-east-1.amazonaws.com', EvaluateTargetHealth: false } },
    { Name: `mx.${z.name}`, Type: 'MX', TTL: 60, ResourceRecords: [{ Value: '10 mail.example.org.' }] },
    { Name: `txt.${z.name}`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"a b" "c"' }] },
  );
  const chased = await query(h.dd, `app.${z.name}`);
  assert.deepEqual(chased.answers.map((r) => [r.type, String(r.data)]), [['CNAME', `target.${z.name}`], ['A', '192.0.2.20']]);
  const ext = await query(h.dd, `ext.${z.name}`);
  assert.deepEqual(ext.answers.map((r) => r.type), ['CNAME']);
  assert.deepEqual(values(await query(h.dd, `anything.wild.${z.name}`)), ['192.0.2.21']);
  const apex = await query(h.dd, z.name);
  assert.deepEqual([values(apex), apex.answers[0]!.name], [['192.0.2.20'], z.name]);
  assert.deepEqual(values(await query(h.dd, `api.${z.name}`)), ['127.0.0.1'], 'an alias to an AWS resource answers loopback, where Drydock serves it');
  const mx = await query(h.dd, `mx.${z.name}`, 'MX');
  assert.deepEqual(mx.answers[0]!.data, { preference: 10, exchange: 'mail.example.org' });
  const txt = await query(h.dd, `txt.${z.name}`, 'TXT');
  assert.deepEqual((txt.answers[0]!.data as Buffer[]).map(String), ['a b', 'c']);
});

test('a private zone answers only queries from its VPC (EDNS option 65001), and wins over a public zone', async () => {
  const c = r53(h.dd);
  const pub = await createZone(c);
  await upsert(c, pub.id, a(`db.${pub.name}`, '192.0.2.30'));
  const vpc = await newVpc(h.dd);
  const priv = await createZone(c, { name: pub.name, vpcId: vpc });
  await upsert(c, priv.id, a(`db.${pub.name}`, '10.0.0.30'));
  assert.deepEqual(values(await query(h.dd, `db.${pub.name}`)), ['192.0.2.30']);
  assert.deepEqual(values(await query(h.dd, `db.${pub.name}`, 'A', { vpc })), ['10.0.0.30']);
  assert.deepEqual(values(await query(h.dd, `db.${pub.name}`, 'A', { vpc: 'vpc-0bbbbbbb' })), ['192.0.2.30']);
  const nx = await query(h.dd, `only-public.${pub.name}`, 'A', { vpc });
  assert.equal(nx.rcode, 'NXDOMAIN', 'the private zone is authoritative for its VPC');
});

test('weighted answers follow the weights; weight 0 is never chosen while others are', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const w = (id: string, ip: string, Weight: number) => ({ ...a(`w.${z.name}`, ip), SetIdentifier: id, Weight });
  await upsert(c, z.id, w('heavy', '192.0.2.1', 3), w('light', '192.0.2.2', 1), w('off', '192.0.2.3', 0));
  const seen: Record<string, number> = {};
  for (let i = 0; i < 200; i++) {
    const v = values(await query(h.dd, `w.${z.name}`))[0]!;
    seen[v] = (seen[v] ?? 0) + 1;
  }
  assert.equal(seen['192.0.2.3'], undefined);
  assert.ok(seen['192.0.2.1']! > 110 && seen['192.0.2.1']! < 190, JSON.stringify(seen));
  const why = (await query(h.dd, `w.${z.name}`)).why.join('\n');
  assert.match(why, /weighted .*chose "(heavy|light)" \(weight \d of 4\)/);
});

test('geolocation, latency and geoproximity follow the client subnet through the test-network table', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const g = (id: string, ip: string, GeoLocation: object) => ({ ...a(`geo.${z.name}`, ip), SetIdentifier: id, GeoLocation });
  await upsert(c, z.id, g('de', '192.0.2.1', { CountryCode: 'DE' }), g('eu', '192.0.2.2', { ContinentCode: 'EU' }), g('default', '192.0.2.3', { CountryCode: '*' }));
  assert.deepEqual(values(await query(h.dd, `geo.${z.name}`, 'A', { subnet: '192.0.2.0/24' })), ['192.0.2.1'], 'Frankfurt → DE');
  assert.deepEqual(values(await query(h.dd, `geo.${z.name}`, 'A', { subnet: '198.18.1.0/24' })), ['192.0.2.2'], 'Dublin → EU');
  assert.deepEqual(values(await query(h.dd, `geo.${z.name}`, 'A', { subnet: '198.51.100.0/24' })), ['192.0.2.3'], 'São Paulo → default');
  const l = (region: string, ip: string) => ({ ...a(`lat.${z.name}`, ip), SetIdentifier: region, Region: region as 'us-east-1' });
  await upsert(c, z.id, l('us-east-1', '192.0.2.10'), l('eu-central-1', '192.0.2.11'), l('sa-east-1', '192.0.2.12'));
  assert.deepEqual(values(await query(h.dd, `lat.${z.name}`, 'A', { subnet: '198.51.100.7/32' })), ['192.0.2.12']);
  assert.deepEqual(values(await query(h.dd, `lat.${z.name}`)), ['192.0.2.10'], 'loopback is in Ashburn');
  const p = (region: string, ip: string, Bias: number) => ({ ...a(`prox.${z.name}`, ip), SetIdentifier: region, GeoProximityLocation: { AWSRegion: region, Bias } });
  await upsert(c, z.id, p('us-east-1', '192.0.2.20', 0), p('eu-west-1', '192.0.2.21', 0));
  assert.deepEqual(values(await query(h.dd, `prox.${z.name}`, 'A', { subnet: '198.18.6.0/24' })), ['192.0.2.20'], "St. John's is closer to us-east-1");
  await upsert(c, z.id, p('eu-west-1', '192.0.2.21', 50));
  const biased = await query(h.dd, `prox.${z.name}`, 'A', { subnet: '198.18.6.0/24' });
  assert.deepEqual(values(biased), ['192.0.2.21'], 'a +50 bias halves the distance to eu-west-1');
  assert.match(biased.why.join('\n'), /eu-west-1: \d+ km, bias 50/);
});

test('IP-based routing uses CIDR collections, longest prefix first, with a default location', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const col = await c.send(new CreateCidrCollectionCommand({ Name: `c${Date.now()}`, CallerReference: 'cc' }));
  await c.send(new ChangeCidrCollectionCommand({ Id: col.Collection!.Id, Changes: [
    { LocationName: 'office', Action: 'PUT', CidrList: ['203.0.113.0/24'] },
    { LocationName: 'desk', Action: 'PUT', CidrList: ['203.0.113.128/25'] },
  ] }));
  const ipb = (id: string, ip: string, LocationName: string) => ({ ...a(`ip.${z.name}`, ip), SetIdentifier: id, CidrRoutingConfig: { CollectionId: col.Collection!.Id!, LocationName } });
  await upsert(c, z.id, ipb('office', '192.0.2.1', 'office'), ipb('desk', '192.0.2.2', 'desk'), ipb('rest', '192.0.2.3', '*'));
  assert.deepEqual(values(await query(h.dd, `ip.${z.name}`, 'A', { subnet: '203.0.113.5/32' })), ['192.0.2.1']);
  assert.deepEqual(values(await query(h.dd, `ip.${z.name}`, 'A', { subnet: '203.0.113.200/32' })), ['192.0.2.2']);
  assert.deepEqual(values(await query(h.dd, `ip.${z.name}`, 'A', { subnet: '198.18.0.1/32' })), ['192.0.2.3']);
});

test('TestDNSAnswer answers what the server answers, for a resolver IP or a client subnet', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const g = (id: string, ip: string, GeoLocation: object) => ({ ...a(`t.${z.name}`, ip), SetIdentifier: id, GeoLocation });
  await upsert(c, z.id, g('jp', '192.0.2.1', { CountryCode: 'JP' }), g('default', '192.0.2.2', { CountryCode: '*' }));
  const t = await c.send(new TestDNSAnswerCommand({ HostedZoneId: z.id, RecordName: `t.${z.name}`, RecordType: 'A', EDNS0ClientSubnetIP: '203.0.113.9', EDNS0ClientSubnetMask: '24' }));
  assert.deepEqual([t.RecordData, t.ResponseCode, t.Protocol, t.RecordName], [['192.0.2.1'], 'NOERROR', 'UDP', `t.${z.name}.`]);
  assert.deepEqual(values(await query(h.dd, `t.${z.name}`, 'A', { subnet: '203.0.113.9/24' })), t.RecordData);
  const r = await c.send(new TestDNSAnswerCommand({ HostedZoneId: z.id, RecordName: `t.${z.name}`, RecordType: 'A', ResolverIP: '198.18.0.53' }));
  assert.deepEqual(r.RecordData, ['192.0.2.2']);
  const nx = await c.send(new TestDNSAnswerCommand({ HostedZoneId: z.id, RecordName: `missing.${z.name}`, RecordType: 'A' }));
  assert.deepEqual([nx.ResponseCode, nx.RecordData], ['NXDOMAIN', []]);
});

test('a stock resolver (c-ares, no EDNS extras) gets the compact fast-path answers over UDP', async () => {
  const { Resolver } = await import('node:dns/promises');
  const c = r53(h.dd);
  const z = await createZone(c);
  const mv = (i: number) => ({ ...a(`fast.${z.name}`, `192.0.2.${i}`), SetIdentifier: `r${i}`, MultiValueAnswer: true });
  await upsert(c, z.id, mv(1), mv(2), mv(3), { ...a(`one.${z.name}`, '198.51.100.7'), TTL: 77 });
  const resolver = new Resolver();
  resolver.setServers([`127.0.0.1:${h.dd.dnsPort}`]);
  assert.deepEqual((await resolver.resolve4(`fast.${z.name}`)).sort(), ['192.0.2.1', '192.0.2.2', '192.0.2.3']);
  assert.deepEqual(await resolver.resolve4(`one.${z.name}`, { ttl: true }), [{ address: '198.51.100.7', ttl: 77 }]);
  await assert.rejects(resolver.resolve4(`missing.${z.name}`), { code: 'ENOTFOUND' });
});
