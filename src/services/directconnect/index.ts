/**
 * AWS Direct Connect: dedicated connections provisioned on the clock, LAGs with minimum links,
 * private and transit virtual interfaces, and Direct Connect gateways associated with transit
 * gateways in any region. EC2 learns each gateway's uplinks and associations over the bus, so
 * the network engine routes on-premises traffic through them and honours `dx-link-down`
 * faults. Hosted connections, interconnects, public VIFs, MACsec, BGP peers management and
 * virtual private gateway associations are not implemented.
 */
import type { ServiceDefinition } from '../types.js';
import {
  associateConnectionWithLag, createConnection, createLag, deleteConnection, deleteLag, describeConnections, describeLags, describeLocations,
  disassociateConnectionFromLag, updateConnection, updateLag,
} from './connections.js';
import {
  createDirectConnectGateway, createDirectConnectGatewayAssociation, deleteDirectConnectGateway, deleteDirectConnectGatewayAssociation,
  describeDirectConnectGatewayAssociations, describeDirectConnectGatewayAttachments, describeDirectConnectGateways,
  updateDirectConnectGateway, updateDirectConnectGatewayAssociation,
} from './gateways.js';
import { describeTags, tagResource, untagResource } from './tags.js';
import { createPrivateVirtualInterface, createTransitVirtualInterface, deleteVirtualInterface, describeVirtualInterfaces } from './vifs.js';

const directconnect: ServiceDefinition = {
  name: 'directconnect',
  handlers: {
    CreateConnection: createConnection,
    DescribeConnections: describeConnections,
    DeleteConnection: deleteConnection,
    UpdateConnection: updateConnection,
    CreateLag: createLag,
    DescribeLags: describeLags,
    UpdateLag: updateLag,
    DeleteLag: deleteLag,
    AssociateConnectionWithLag: associateConnectionWithLag,
    DisassociateConnectionFromLag: disassociateConnectionFromLag,
    DescribeLocations: describeLocations,
    CreatePrivateVirtualInterface: createPrivateVirtualInterface,
    CreateTransitVirtualInterface: createTransitVirtualInterface,
    DescribeVirtualInterfaces: describeVirtualInterfaces,
    DeleteVirtualInterface: deleteVirtualInterface,
    CreateDirectConnectGateway: createDirectConnectGateway,
    DescribeDirectConnectGateways: describeDirectConnectGateways,
    UpdateDirectConnectGateway: updateDirectConnectGateway,
    DeleteDirectConnectGateway: deleteDirectConnectGateway,
    CreateDirectConnectGatewayAssociation: createDirectConnectGatewayAssociation,
    UpdateDirectConnectGatewayAssociation: updateDirectConnectGatewayAssociation,
    DeleteDirectConnectGatewayAssociation: deleteDirectConnectGatewayAssociation,
    DescribeDirectConnectGatewayAssociations: describeDirectConnectGatewayAssociations,
    DescribeDirectConnectGatewayAttachments: describeDirectConnectGatewayAttachments,
    TagResource: tagResource,
    UntagResource: untagResource,
    DescribeTags: describeTags,
  },
  install(host) {
    // EC2 must be listening before the first gateway change is published.
    void host.service('ec2');
  },
};

export default directconnect;
