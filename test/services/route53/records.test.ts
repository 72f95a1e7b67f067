/** ChangeResourceRecordSets and ListResourceRecordSets through the real SDK: validation, atomic batches, ordering, paging. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, type Change, type Route53Client } from '@aws-sdk/client-route-53';
import { failure, useDrydock } from '../../helpers.js';
import { a, createZone, r53, upsert } from './helpers.js';

const h = useDrydock();

const change = (c: Route53Client, zoneId: string, ...changes: Change[]) =>
  c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));

test('InvalidChangeBatch lists every problem of the batch, and nothing of it is applied', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await change(c, z.id, { Action: 'CREATE', ResourceRecordSet: a(`www.${z.name}`, '192.0.2.1') });
  const e = await failure(() => change(c, z.id,
    { Action: 'CREATE', ResourceRecordSet: a(`ok.${z.name}`, '192.0.2.2') },
    { Action: 'CREATE', ResourceRecordSet: a(`www.${z.name}`, '192.0.2.1') },
    { Action: 'DELETE', ResourceRecordSet: a(`gone.${z.name}`, '192.0.2.3') },
    { Action: 'CREATE', ResourceRecordSet: a(`bad.${z.name}`, '1.2.3') },
    { Action: 'CREATE', ResourceRecordSet: a('www.elsewhere.org', '192.0.2.4') },
  ));
  assert.equal(e.name, 'InvalidChangeBatch');
  assert.equal(e.status, 400);
  assert.equal(e.message, `[Tried to create resource record set [name='www.${z.name}.', type='A'] but it already exists, `
    + `Tried to delete resource record set [name='gone.${z.name}.', type='A'] but it was not found, `
    + 'Invalid Resource Record: \'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with \'1.2.3\'\', '
    + `RRSet with DNS name www.elsewhere.org. is not permitted in zone ${z.name}.]`);
  const names = (await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id }))).ResourceRecordSets!.map((r) => r.Name);
  assert.ok(!names.includes(`ok.${z.name}.`), 'a failed batch applies nothing');
});

test('CNAME rules: not at the apex, not beside other records', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const cname = (Name: string) => ({ Name, Type: 'CNAME' as const, TTL: 60, ResourceRecords: [{ Value: 'target.example.org' }] });
  const apex = await failure(() => change(c, z.id, { Action: 'CREATE', ResourceRecordSet: cname(z.name) }));
  assert.equal(apex.message, `[RRSet of type CNAME with DNS name ${z.name}. is not permitted at apex in zone ${z.name}.]`);
  await change(c, z.id, { Action: 'CREATE', ResourceRecordSet: a(`host.${z.name}`, '192.0.2.1') });
  const beside = await failure(() => change(c, z.id, { Action: 'CREATE', ResourceRecordSet: cname(`host.${z.name}`) }));
  assert.equal(beside.message, `[RRSet of type CNAME with DNS name host.${z.name}. is not permitted as it conflicts with other records with the same DNS name in zone ${z.name}.]`);
});

test('shape errors are InvalidInput: missing TTL, alias with records, a policy without SetIdentifier', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const name = `w.${z.name}`;
  const noTtl = await failure(() => change(c, z.id, { Action: 'CREATE', ResourceRecordSet: { Name: name, Type: 'A', ResourceRecords: [{ Value: '192.0.2.1' }] } }));
  assert.deepEqual([noTtl.name, noTtl.message], ['InvalidInput', `Invalid request: Missing field 'TTL' in Change with [Action=CREATE, Name=${name}., Type=A, SetIdentifier=null]`]);
  const both = await failure(() => change(c, z.id, { Action: 'CREATE', ResourceRecordSet: { ...a(name, '192.0.2.1'), AliasTarget: { HostedZoneId: z.id, DNSName: z.name, EvaluateTargetHealth: false } } }));
  assert.match(both.message, /^Invalid request: Expected exactly one of \[AliasTarget, all of \[TTL, and ResourceRecords\], or TrafficPolicyInstanceId\], but found more than one/);
  const noId = await failure(() => change(c, z.id, { Action: 'CREATE', ResourceRecordSet: { ...a(name, '192.0.2.1'), Weight: 10 } }));
  assert.equal(noId.message, `Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=${name}., Type=A, SetIdentifier=null]`);
});

test('DELETE must match the current values; UPSERT replaces them', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await upsert(c, z.id, a(`v.${z.name}`, '192.0.2.1'));
  await upsert(c, z.id, a(`v.${z.name}`, '192.0.2.2', '192.0.2.3'));
  const e = await failure(() => change(c, z.id, { Action: 'DELETE', ResourceRecordSet: a(`v.${z.name}`, '192.0.2.1') }));
  assert.equal(e.message, `[Tried to delete resource record set [name='v.${z.name}.', type='A'] but the values provided do not match the current values]`);
  await change(c, z.id, { Action: 'DELETE', ResourceRecordSet: a(`v.${z.name}`, '192.0.2.2', '192.0.2.3') });
  const soaSet = (await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id }))).ResourceRecordSets![1]!;
  const soa = await failure(() => change(c, z.id, { Action: 'DELETE', ResourceRecordSet: soaSet }));
  assert.equal(soa.message, '[A HostedZone must contain exactly one SOA record.]');
});

test('every common record type is accepted, names are stored lowercase with * escaped', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const rr = (Name: string, Type: string, ...v: string[]) => ({ Name, Type: Type as 'A', TTL: 300, ResourceRecords: v.map((Value) => ({ Value })) });
  await upsert(c, z.id,
    rr(`*.WILD.${z.name}`, 'A', '192.0.2.7'), rr(`v6.${z.name}`, 'AAAA', '2001:db8::1'), rr(`mail.${z.name}`, 'MX', '10 mx1.example.org.', '20 mx2.example.org.'),
    rr(`txt.${z.name}`, 'TXT', '"hello world"', '"v=spf1 -all"'), rr(`_sip._tcp.${z.name}`, 'SRV', '1 10 5060 sip.example.org.'),
    rr(z.name, 'CAA', '0 issue "amazon.com"'), rr(`1.2.0.192.in-addr.${z.name}`, 'PTR', 'host.example.org.'),
    rr(`sub.${z.name}`, 'NS', 'ns1.example.org.'), rr(`sub.${z.name}`, 'DS', '12345 13 2 ABCDEF0123'),
  );
  const sets = (await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id }))).ResourceRecordSets!;
  assert.ok(sets.some((s) => s.Name === `\\052.wild.${z.name}.` && s.Type === 'A'));
  const bad = await failure(() => upsert(c, z.id, rr(`m2.${z.name}`, 'MX', 'mx.example.org.')));
  assert.equal(bad.message, '[Invalid Resource Record: \'FATAL problem: MXRRDATATooFewFields (Value contains too few fields) encountered with \'mx.example.org.\'\']');
  const badTxt = await failure(() => upsert(c, z.id, rr(`t2.${z.name}`, 'TXT', 'unquoted')));
  assert.match(badTxt.message, /InvalidCharacterString/);
});

test('listing: reverse-label order, then type and set identifier; pages resume from Next*', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  const w = (id: string, weight: number) => ({ ...a(`w.${z.name}`, `192.0.2.${weight}`), SetIdentifier: id, Weight: weight });
  await upsert(c, z.id, a(`b.${z.name}`, '192.0.2.1'), a(`a.b.${z.name}`, '192.0.2.2'), w('two', 2), w('one', 1), { ...a(`b.${z.name}`, '2001:db8::1'), Type: 'AAAA' });
  const all = (await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id }))).ResourceRecordSets!;
  assert.deepEqual(all.map((s) => `${s.Name!.slice(0, -z.name.length - 2)}/${s.Type}/${s.SetIdentifier ?? ''}`),
    ['/NS/', '/SOA/', 'b/A/', 'b/AAAA/', 'a.b/A/', 'w/A/one', 'w/A/two']);
  const p1 = await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id, MaxItems: 5 }));
  assert.deepEqual([p1.IsTruncated, p1.NextRecordName, p1.NextRecordType, p1.NextRecordIdentifier], [true, `w.${z.name}.`, 'A', 'one']);
  const p2 = await c.send(new ListResourceRecordSetsCommand({
    HostedZoneId: z.id, MaxItems: 5, StartRecordName: p1.NextRecordName, StartRecordType: p1.NextRecordType as 'A', StartRecordIdentifier: p1.NextRecordIdentifier,
  }));
  assert.deepEqual([p2.ResourceRecordSets!.map((s) => s.SetIdentifier), p2.IsTruncated], [['one', 'two'], false]);
});

test('mixing routing policies for one name and type is refused', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await upsert(c, z.id, { ...a(`m.${z.name}`, '192.0.2.1'), SetIdentifier: 'x', Weight: 1 });
  const e = await failure(() => upsert(c, z.id, { ...a(`m.${z.name}`, '192.0.2.2'), SetIdentifier: 'y', MultiValueAnswer: true }));
  assert.equal(e.name, 'InvalidChangeBatch');
  const simple = await failure(() => upsert(c, z.id, a(`m.${z.name}`, '192.0.2.3')));
  assert.equal(simple.name, 'InvalidChangeBatch');
});
