/** `drydock reach` against a running Drydock: the readable path, the blocker, and the exit code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateNetworkInterfaceCommand, DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { reach } from '../../../src/cli/reach.js';
import { useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

test('reach prints each hop, then the blocking component and why; exit 0 when reachable, 2 when not', async () => {
  process.env['DRYDOCK_ENDPOINT'] = h.dd.endpoint;
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.60.0.0/16', ['10.60.1.0/24', '10.60.2.0/24']);
  const a = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: v.subnetIds[0] }))).NetworkInterface!.NetworkInterfaceId!;
  const b = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: v.subnetIds[1] }))).NetworkInterface!.NetworkInterfaceId!;
  const lines: string[] = [];
  assert.equal(await reach([a, b, '--port', '443'], (l) => lines.push(l)), 0);
  assert.equal(lines[0], `✔ reachable: ${a} → ${b}  tcp/443`);
  const rt = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  assert.ok(lines.some((l) => l.includes('route-table') && l.includes(rt) && l.includes('10.60.0.0/16 → local')), lines.join('\n'));
  assert.ok(lines.includes('return:'));
  const blocked: string[] = [];
  assert.equal(await reach([a, '192.168.1.1', '--port', '22'], (l) => blocked.push(l)), 2);
  assert.equal(blocked[0], `✘ not reachable: ${a} → 192.168.1.1  tcp/22`);
  assert.equal(blocked.at(-1), `blocked at route-table ${rt}: NO_ROUTE_TO_DESTINATION — the route table has no route to 192.168.1.1`);
});
