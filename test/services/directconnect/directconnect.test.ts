/** Direct Connect through the SDK: states on the clock, LAG minimum links under faults, VIFs, gateways and associations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateConnectionCommand, CreateDirectConnectGatewayAssociationCommand, CreateDirectConnectGatewayCommand, CreateLagCommand,
  CreatePrivateVirtualInterfaceCommand, CreateTransitVirtualInterfaceCommand, DeleteDirectConnectGatewayCommand,
  DescribeConnectionsCommand, DescribeDirectConnectGatewayAttachmentsCommand, DescribeLagsCommand, DescribeTagsCommand,
  DescribeVirtualInterfacesCommand, DirectConnectClient, TagResourceCommand, UpdateLagCommand,
} from '@aws-sdk/client-direct-connect';
import { CreateTransitGatewayCommand, DescribeTransitGatewayAttachmentsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';

const h = useDrydock();
const dx = () => new DirectConnectClient(sdkConfig(h.dd));

test('a dedicated connection goes requested → pending → available on the clock, and reads down under a link fault', async () => {
  const c = dx();
  const conn = await c.send(new CreateConnectionCommand({ location: 'EqDC2', bandwidth: '10Gbps', connectionName: 'dc1' }));
  assert.match(conn.connectionId!, /^dxcon-[a-z0-9]{8}$/);
  assert.equal(conn.connectionState, 'requested');
  const state = async () => (await c.send(new DescribeConnectionsCommand({ connectionId: conn.connectionId }))).connections![0]!.connectionState;
  h.dd.app.clock.advance(61);
  assert.equal(await state(), 'pending');
  h.dd.app.clock.advance(300);
  assert.equal(await state(), 'available');
  const f = h.dd.app.faults.add({ type: 'dx-link-down', connectionId: conn.connectionId });
  assert.equal(await state(), 'down');
  h.dd.app.faults.remove(f.id);
  assert.equal(await state(), 'available');
  const bad = await failure(() => c.send(new CreateConnectionCommand({ location: 'EqDC2', bandwidth: '3Gbps', connectionName: 'x' })));
  assert.equal(bad.name, 'DirectConnectClientException');
  assert.equal((await failure(() => c.send(new CreateConnectionCommand({ location: 'Nowhere', bandwidth: '1Gbps', connectionName: 'x' })))).status, 400);
});

test('a LAG is down when fewer than its minimum links are up', async () => {
  const c = dx();
  const lag = await c.send(new CreateLagCommand({ lagName: 'agg', location: 'EqDC2', connectionsBandwidth: '10Gbps', numberOfConnections: 4 }));
  assert.equal(lag.connections!.length, 4);
  assert.equal((await failure(() => c.send(new UpdateLagCommand({ lagId: lag.lagId, minimumLinks: 5 })))).name, 'DirectConnectClientException');
  await c.send(new UpdateLagCommand({ lagId: lag.lagId, minimumLinks: 3 }));
  h.dd.app.clock.advance(301);
  const lagState = async () => (await c.send(new DescribeLagsCommand({ lagId: lag.lagId }))).lags![0]!.lagState;
  assert.equal(await lagState(), 'available');
  const f1 = h.dd.app.faults.add({ type: 'dx-link-down', connectionId: lag.connections![0]!.connectionId });
  assert.equal(await lagState(), 'available');
  const f2 = h.dd.app.faults.add({ type: 'dx-link-down', connectionId: lag.connections![1]!.connectionId });
  assert.equal(await lagState(), 'down');
  h.dd.app.faults.remove(f1.id);
  h.dd.app.faults.remove(f2.id);
  assert.equal(await lagState(), 'available');
});

test('VIFs: unique VLAN per link, transit VIFs need a gateway, state follows the link; on-prem CIDRs by tag', async () => {
  const c = dx();
  const conn = await c.send(new CreateConnectionCommand({ location: 'EqDC2', bandwidth: '1Gbps', connectionName: 'v' }));
  const gw = (await c.send(new CreateDirectConnectGatewayCommand({ directConnectGatewayName: 'gw' }))).directConnectGateway!;
  assert.match(gw.directConnectGatewayId!, /^[0-9a-f-]{36}$/);
  const vif = await c.send(new CreatePrivateVirtualInterfaceCommand({
    connectionId: conn.connectionId, newPrivateVirtualInterface: { virtualInterfaceName: 'p', vlan: 200, asn: 65000, directConnectGatewayId: gw.directConnectGatewayId },
  }));
  assert.equal(vif.virtualInterfaceState, 'pending');
  const dup = await failure(() => c.send(new CreatePrivateVirtualInterfaceCommand({
    connectionId: conn.connectionId, newPrivateVirtualInterface: { virtualInterfaceName: 'q', vlan: 200, asn: 65000, directConnectGatewayId: gw.directConnectGatewayId },
  })));
  assert.match(dup.message, /VLAN 200 is already in use/);
  const noGw = await failure(() => c.send(new CreateTransitVirtualInterfaceCommand({ connectionId: conn.connectionId, newTransitVirtualInterface: { virtualInterfaceName: 't', vlan: 201, asn: 65000 } })));
  assert.equal(noGw.name, 'DirectConnectClientException');
  h.dd.app.clock.advance(301);
  const arn = `arn:aws:directconnect:us-east-1:000000000000:dxvif/${vif.virtualInterfaceId}`;
  await c.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'drydock:on-prem-cidrs', value: '192.168.0.0/16, 172.16.0.0/12' }] }));
  const d = (await c.send(new DescribeVirtualInterfacesCommand({ virtualInterfaceId: vif.virtualInterfaceId }))).virtualInterfaces![0]!;
  assert.equal(d.virtualInterfaceState, 'available');
  assert.deepEqual(d.routeFilterPrefixes, [{ cidr: '192.168.0.0/16' }, { cidr: '172.16.0.0/12' }]);
  assert.equal((await c.send(new DescribeTagsCommand({ resourceArns: [arn] }))).resourceTags![0]!.tags!.length, 1);
  const att = await c.send(new DescribeDirectConnectGatewayAttachmentsCommand({ directConnectGatewayId: gw.directConnectGatewayId }));
  assert.deepEqual(att.directConnectGatewayAttachments!.map((a) => [a.virtualInterfaceId, a.attachmentState]), [[vif.virtualInterfaceId, 'attached']]);
  assert.equal((await failure(() => c.send(new DeleteDirectConnectGatewayCommand({ directConnectGatewayId: gw.directConnectGatewayId })))).name, 'DirectConnectClientException');
});

test('associating a gateway with a transit gateway gives the TGW a direct-connect-gateway attachment; unknown TGWs are refused', async () => {
  const c = dx();
  const ec2 = new EC2Client(sdkConfig(h.dd));
  const tgw = (await ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
  const gw = (await c.send(new CreateDirectConnectGatewayCommand({ directConnectGatewayName: 'assoc' }))).directConnectGateway!.directConnectGatewayId!;
  const missing = await failure(() => c.send(new CreateDirectConnectGatewayAssociationCommand({ directConnectGatewayId: gw, gatewayId: 'tgw-0123456789abcdef0', addAllowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.0.0/8' }] })));
  assert.match(missing.message, /tgw-0123456789abcdef0 does not exist/);
  const a = await c.send(new CreateDirectConnectGatewayAssociationCommand({ directConnectGatewayId: gw, gatewayId: tgw, addAllowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.0.0/8' }] }));
  assert.equal(a.directConnectGatewayAssociation!.associatedGateway!.type, 'transitGateway');
  await h.dd.app.bus.idle();
  const atts = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'transit-gateway-id', Values: [tgw] }] }));
  assert.deepEqual(atts.TransitGatewayAttachments!.map((x) => [x.ResourceType, x.ResourceId, x.State]), [['direct-connect-gateway', gw, 'available']]);
});
