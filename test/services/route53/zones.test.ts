/** Hosted zones through the real SDK: public and private, defaults, listings, deletion rules, changes on the clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateVPCWithHostedZoneCommand, ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, CreateVPCAssociationAuthorizationCommand,
  DeleteHostedZoneCommand, DisassociateVPCFromHostedZoneCommand, GetChangeCommand, GetHostedZoneCommand, ListHostedZonesByNameCommand,
  ListHostedZonesByVPCCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import { failure, useDrydock } from '../../helpers.js';
import { a, createZone, newVpc, r53, uniqueZone } from './helpers.js';

const h = useDrydock();

test('a public zone has four name servers, and the apex NS and SOA records', async () => {
  const c = r53(h.dd);
  const name = uniqueZone();
  const r = await c.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `ref-${name}` }));
  assert.equal(r.$metadata.httpStatusCode, 201);
  assert.match(r.HostedZone!.Id!, /^\/hostedzone\/Z[A-Z0-9]+$/);
  assert.equal(r.HostedZone!.Name, `${name}.`);
  assert.deepEqual(r.HostedZone!.Config, { PrivateZone: false });
  assert.equal(r.HostedZone!.ResourceRecordSetCount, 2);
  assert.equal(r.Location, `https://route53.amazonaws.com/2013-04-01/hostedzone/${r.HostedZone!.Id!.slice(12)}`);
  assert.equal(r.DelegationSet!.NameServers!.length, 4);
  assert.equal(r.ChangeInfo!.Status, 'PENDING');
  const sets = (await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: r.HostedZone!.Id }))).ResourceRecordSets!;
  assert.deepEqual(sets.map((s) => [s.Type, s.TTL]), [['NS', 172800], ['SOA', 900]]);
  assert.deepEqual(sets[0]!.ResourceRecords!.map((v) => v.Value), r.DelegationSet!.NameServers!.map((n) => `${n}.`));
  assert.equal(sets[1]!.ResourceRecords![0]!.Value, `${r.DelegationSet!.NameServers![0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`);
  const e = await failure(() => c.send(new CreateHostedZoneCommand({ Name: uniqueZone(), CallerReference: `ref-${name}` })));
  assert.deepEqual(e, { name: 'HostedZoneAlreadyExists', code: 'HostedZoneAlreadyExists', message: 'A hosted zone has already been created with the specified caller reference.', status: 409 });
});

test('a private zone carries its VPC; a malformed or unknown VPC id is refused as AWS does', async () => {
  const c = r53(h.dd);
  const vpc = await newVpc(h.dd);
  const r = await c.send(new CreateHostedZoneCommand({
    Name: uniqueZone(), CallerReference: 'p1', HostedZoneConfig: { Comment: 'test', PrivateZone: true }, VPC: { VPCId: vpc, VPCRegion: 'us-east-1' },
  }));
  assert.deepEqual(r.HostedZone!.Config, { Comment: 'test', PrivateZone: true });
  assert.deepEqual(r.VPC, { VPCId: vpc, VPCRegion: 'us-east-1' });
  assert.equal(r.DelegationSet, undefined);
  const g = await c.send(new GetHostedZoneCommand({ Id: r.HostedZone!.Id }));
  assert.deepEqual(g.VPCs, [{ VPCId: vpc, VPCRegion: 'us-east-1' }]);
  const byVpc = await c.send(new ListHostedZonesByVPCCommand({ VPCId: vpc, VPCRegion: 'us-east-1' }));
  assert.deepEqual(byVpc.HostedZoneSummaries, [{ HostedZoneId: r.HostedZone!.Id!.slice(12), Name: r.HostedZone!.Name, Owner: { OwningAccount: '000000000000' } }]);
  for (const VPCId of ['vpc-nope', 'vpc-0123456789abcdef0']) {
    const e = await failure(() => c.send(new CreateHostedZoneCommand({ Name: uniqueZone(), CallerReference: `p2-${VPCId}`, VPC: { VPCId, VPCRegion: 'us-east-1' } })));
    assert.deepEqual([e.name, e.message, e.status], ['InvalidVPCId', 'The VPC ID is invalid.', 400]);
  }
});

test('VPC associations: another VPC, the last one cannot go, another account needs authorization', async () => {
  const c = r53(h.dd);
  const vpc1 = await newVpc(h.dd);
  const z = await createZone(c, { vpcId: vpc1 });
  const vpc2 = { VPCId: await newVpc(h.dd), VPCRegion: 'us-east-1' as const };
  await c.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: z.id, VPC: vpc2 }));
  await c.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: z.id, VPC: { VPCId: vpc1, VPCRegion: 'us-east-1' } }));
  const last = await failure(() => c.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: z.id, VPC: vpc2 })));
  assert.equal(last.name, 'LastVPCAssociation');
  const other = r53(h.dd, '111111111111');
  const vpc3 = { VPCId: await newVpc(h.dd, '111111111111'), VPCRegion: 'us-east-1' as const };
  const denied = await failure(() => other.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: z.id, VPC: vpc3 })));
  assert.equal(denied.name, 'NotAuthorizedException');
  await c.send(new CreateVPCAssociationAuthorizationCommand({ HostedZoneId: z.id, VPC: vpc3 }));
  await other.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: z.id, VPC: vpc3 }));
  assert.deepEqual((await c.send(new GetHostedZoneCommand({ Id: z.id }))).VPCs!.map((v) => v.VPCId), [vpc2.VPCId, vpc3.VPCId]);
});

test('a zone with records cannot be deleted; an unknown zone is NoSuchHostedZone', async () => {
  const c = r53(h.dd);
  const z = await createZone(c);
  await c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: a(`www.${z.name}`, '192.0.2.1') }] } }));
  const e = await failure(() => c.send(new DeleteHostedZoneCommand({ Id: z.id })));
  assert.deepEqual([e.name, e.status], ['HostedZoneNotEmpty', 400]);
  await c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: a(`www.${z.name}`, '192.0.2.1') }] } }));
  const d = await c.send(new DeleteHostedZoneCommand({ Id: z.id }));
  assert.equal(d.ChangeInfo!.Status, 'PENDING');
  const gone = await failure(() => c.send(new GetHostedZoneCommand({ Id: z.id })));
  assert.deepEqual(gone, { name: 'NoSuchHostedZone', code: 'NoSuchHostedZone', message: `No hosted zone found with ID: ${z.id}`, status: 404 });
});

test('a change is PENDING until it has propagated on the clock, then INSYNC', async () => {
  const c = r53(h.dd);
  h.dd.clock.freeze(true);
  try {
    const z = await createZone(c);
    const r = await c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.id, ChangeBatch: { Comment: 'go', Changes: [{ Action: 'CREATE', ResourceRecordSet: a(`x.${z.name}`, '192.0.2.9') }] } }));
    assert.equal(r.ChangeInfo!.Status, 'PENDING');
    assert.equal(r.ChangeInfo!.Comment, 'go');
    assert.equal((await c.send(new GetChangeCommand({ Id: r.ChangeInfo!.Id }))).ChangeInfo!.Status, 'PENDING');
    h.dd.clock.advance(5);
    assert.equal((await c.send(new GetChangeCommand({ Id: r.ChangeInfo!.Id }))).ChangeInfo!.Status, 'INSYNC');
    const e = await failure(() => c.send(new GetChangeCommand({ Id: 'CNOTACHANGE' })));
    assert.deepEqual([e.name, e.status], ['NoSuchChange', 404]);
  } finally {
    h.dd.clock.freeze(false);
  }
});

test('listings page with markers, and by name in reverse-label order', async () => {
  const c = r53(h.dd, '222222222222');
  for (const n of ['b.example.org', 'a.example.org', 'example.net']) await createZone(c, { name: n });
  const byName = await c.send(new ListHostedZonesByNameCommand({}));
  assert.deepEqual(byName.HostedZones!.map((z) => z.Name), ['example.net.', 'a.example.org.', 'b.example.org.']);
  const from = await c.send(new ListHostedZonesByNameCommand({ DNSName: 'b.example.org', MaxItems: 1 }));
  assert.deepEqual([from.HostedZones!.map((z) => z.Name), from.IsTruncated], [['b.example.org.'], false]);
  const p1 = await c.send(new ListHostedZonesCommand({ MaxItems: 2 }));
  assert.equal(p1.HostedZones!.length, 2);
  assert.equal(p1.IsTruncated, true);
  const p2 = await c.send(new ListHostedZonesCommand({ MaxItems: 2, Marker: p1.NextMarker }));
  assert.deepEqual([p2.HostedZones!.length, p2.IsTruncated], [1, false]);
});

test('a reusable delegation set gives several zones the same name servers, and cannot go while in use', async () => {
  const { CreateReusableDelegationSetCommand, DeleteReusableDelegationSetCommand, GetReusableDelegationSetCommand } = await import('@aws-sdk/client-route-53');
  const c = r53(h.dd, '333333333333');
  const ds = await c.send(new CreateReusableDelegationSetCommand({ CallerReference: 'ds-1' }));
  assert.match(ds.DelegationSet!.Id!, /^\/delegationset\/N[A-Z0-9]+$/);
  const z1 = await c.send(new CreateHostedZoneCommand({ Name: uniqueZone(), CallerReference: 'ds-z1', DelegationSetId: ds.DelegationSet!.Id }));
  const z2 = await c.send(new CreateHostedZoneCommand({ Name: uniqueZone(), CallerReference: 'ds-z2', DelegationSetId: ds.DelegationSet!.Id }));
  assert.deepEqual(z1.DelegationSet!.NameServers, ds.DelegationSet!.NameServers);
  assert.deepEqual(z2.DelegationSet!.NameServers, ds.DelegationSet!.NameServers);
  assert.equal(z1.DelegationSet!.Id, ds.DelegationSet!.Id);
  const again = await failure(() => c.send(new CreateReusableDelegationSetCommand({ CallerReference: 'ds-1' })));
  assert.equal(again.name, 'DelegationSetAlreadyCreated');
  const inUse = await failure(() => c.send(new DeleteReusableDelegationSetCommand({ Id: ds.DelegationSet!.Id })));
  assert.equal(inUse.name, 'DelegationSetInUse');
  await c.send(new DeleteHostedZoneCommand({ Id: z1.HostedZone!.Id }));
  await c.send(new DeleteHostedZoneCommand({ Id: z2.HostedZone!.Id }));
  await c.send(new DeleteReusableDelegationSetCommand({ Id: ds.DelegationSet!.Id }));
  const gone = await failure(() => c.send(new GetReusableDelegationSetCommand({ Id: ds.DelegationSet!.Id })));
  assert.equal(gone.name, 'NoSuchDelegationSet');
});

test('IAM decides on the zone ARN: a user allowed one zone is denied another', async () => {
  const { IAMClient, CreateUserCommand, PutUserPolicyCommand, CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
  const { accountConfig } = await import('../../helpers.js');
  const admin = r53(h.dd, '444444444444');
  const mine = await createZone(admin);
  const other = await createZone(admin);
  const iam = new IAMClient(accountConfig(h.dd, { accessKeyId: '444444444444' }));
  await iam.send(new CreateUserCommand({ UserName: 'dns-editor' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'dns-editor', PolicyName: 'one-zone', PolicyDocument: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['route53:GetHostedZone', 'route53:ChangeResourceRecordSets'], Resource: `arn:aws:route53:::hostedzone/${mine.id}` }],
  }) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dns-editor' }))).AccessKey!;
  const { Route53Client } = await import('@aws-sdk/client-route-53');
  const user = new Route53Client({ ...accountConfig(h.dd), credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  assert.equal((await user.send(new GetHostedZoneCommand({ Id: mine.id }))).HostedZone!.Id, `/hostedzone/${mine.id}`);
  const denied = await failure(() => user.send(new GetHostedZoneCommand({ Id: other.id })));
  // AWS answers Route 53 denials as AccessDenied with HTTP 403.
  assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
  assert.match(denied.message, new RegExp(`route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/${other.id}`));
});
