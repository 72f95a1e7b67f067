/** Transit gateways: attachments, route tables, associations, propagations, static routes, search, peering. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptTransitGatewayPeeringAttachmentCommand, AssociateTransitGatewayRouteTableCommand, CreateTransitGatewayCommand,
  CreateTransitGatewayPeeringAttachmentCommand, CreateTransitGatewayRouteCommand, CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand, DescribeTransitGatewayAttachmentsCommand, DescribeTransitGatewayPeeringAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand, EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayRouteTableAssociationsCommand, GetTransitGatewayRouteTablePropagationsCommand, SearchTransitGatewayRoutesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

async function tgw(c: EC2Client, opts: Record<string, string> = {}) {
  const r = await c.send(new CreateTransitGatewayCommand({ Description: 'hub', Options: opts }));
  return r.TransitGateway!;
}

test('a transit gateway with defaults: VPC attachments associate with and propagate into the default table', async () => {
  const c = ec2Client(h.dd);
  const t = await tgw(c);
  assert.match(t.TransitGatewayId!, /^tgw-[0-9a-f]{17}$/);
  assert.equal(t.State, 'pending');
  const rtb = t.Options!.AssociationDefaultRouteTableId!;
  assert.equal(t.Options!.PropagationDefaultRouteTableId, rtb);
  const a = await vpcWithSubnets(c, '10.10.0.0/16', ['10.10.0.0/24', '10.10.1.0/24']);
  const att = await c.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t.TransitGatewayId, VpcId: a.vpcId, SubnetIds: a.subnetIds }));
  const attId = att.TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const assoc = await c.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rtb }));
  assert.deepEqual(assoc.Associations, [{ TransitGatewayAttachmentId: attId, ResourceId: a.vpcId, ResourceType: 'vpc', State: 'associated' }]);
  const routes = await c.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, Filters: [{ Name: 'type', Values: ['propagated'] }] }));
  assert.deepEqual(routes.Routes!.map((r) => [r.DestinationCidrBlock, r.Type, r.State, r.TransitGatewayAttachments![0]!.ResourceId]),
    [['10.10.0.0/16', 'propagated', 'active', a.vpcId]]);
  const dup = await failure(() => c.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t.TransitGatewayId, VpcId: a.vpcId, SubnetIds: [a.subnetIds[0]!] })));
  assert.equal(dup.name, 'DuplicateTransitGatewayAttachment');
  const missing = await failure(() => c.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: 'tgw-0123456789abcdef0' })));
  assert.deepEqual([missing.name, missing.message], ['InvalidTransitGatewayID.NotFound', 'Transit Gateway tgw-0123456789abcdef0 was deleted or does not exist.']);
});

test('route tables without defaults: association is one table per attachment; static, blackhole and longest-prefix search', async () => {
  const c = ec2Client(h.dd);
  const t = await tgw(c, { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' });
  assert.equal(t.Options!.AssociationDefaultRouteTableId, undefined);
  const v = await vpcWithSubnets(c, '10.20.0.0/16', ['10.20.0.0/24']);
  const w = await vpcWithSubnets(c, '10.21.0.0/16', ['10.21.0.0/24']);
  const attV = (await c.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t.TransitGatewayId, VpcId: v.vpcId, SubnetIds: v.subnetIds }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const attW = (await c.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t.TransitGatewayId, VpcId: w.vpcId, SubnetIds: w.subnetIds }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const rt = (await c.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: t.TransitGatewayId }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
  await c.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: rt, TransitGatewayAttachmentId: attV }));
  const again = await failure(() => c.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: rt, TransitGatewayAttachmentId: attV })));
  assert.equal(again.name, 'Resource.AlreadyAssociated');
  await c.send(new EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: rt, TransitGatewayAttachmentId: attW }));
  const props = await c.send(new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: rt }));
  assert.deepEqual(props.TransitGatewayRouteTablePropagations!.map((p) => p.ResourceId), [w.vpcId]);
  await c.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rt, DestinationCidrBlock: '10.0.0.0/8', TransitGatewayAttachmentId: attV }));
  await c.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rt, DestinationCidrBlock: '10.21.5.0/24', Blackhole: true }));
  const dup = await failure(() => c.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rt, DestinationCidrBlock: '10.0.0.0/8', Blackhole: true })));
  assert.equal(dup.name, 'RouteAlreadyExists');
  const lpm = async (ip: string) => (await c.send(new SearchTransitGatewayRoutesCommand({
    TransitGatewayRouteTableId: rt, Filters: [{ Name: 'route-search.longest-prefix-match', Values: [`${ip}/32`] }],
  }))).Routes!.map((r) => [r.DestinationCidrBlock, r.Type, r.State]);
  assert.deepEqual(await lpm('10.21.5.9'), [['10.21.5.0/24', 'static', 'blackhole']]);
  assert.deepEqual(await lpm('10.21.6.9'), [['10.21.0.0/16', 'propagated', 'active']]);
  assert.deepEqual(await lpm('10.99.0.1'), [['10.0.0.0/8', 'static', 'active']]);
  const all = await c.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rt, Filters: [{ Name: 'state', Values: ['active', 'blackhole'] }] }));
  assert.equal(all.Routes!.length, 3);
  await c.send(new DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: rt, TransitGatewayAttachmentId: attV }));
  const atts = await c.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'association.transit-gateway-route-table-id', Values: [rt] }] }));
  assert.equal(atts.TransitGatewayAttachments!.length, 0);
});

test('peering across regions waits for the accepter; only the accepter may accept', async () => {
  const east = ec2Client(h.dd);
  const west = ec2Client(h.dd, 'us-west-2');
  const a = await tgw(east);
  const b = await tgw(west);
  const r = await east.send(new CreateTransitGatewayPeeringAttachmentCommand({
    TransitGatewayId: a.TransitGatewayId, PeerTransitGatewayId: b.TransitGatewayId, PeerAccountId: '000000000000', PeerRegion: 'us-west-2',
  }));
  const id = r.TransitGatewayPeeringAttachment!.TransitGatewayAttachmentId!;
  assert.equal(r.TransitGatewayPeeringAttachment!.AccepterTgwInfo!.Region, 'us-west-2');
  const seen = await west.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }));
  assert.equal(seen.TransitGatewayPeeringAttachments![0]!.State, 'pendingAcceptance');
  assert.equal(seen.TransitGatewayPeeringAttachments![0]!.RequesterTgwInfo!.TransitGatewayId, a.TransitGatewayId);
  assert.equal((await failure(() => east.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id })))).name, 'InvalidParameterValue');
  await west.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id }));
  const after = await east.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }));
  assert.equal(after.TransitGatewayPeeringAttachments![0]!.State, 'available');
});
