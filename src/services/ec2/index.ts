/**
 * Amazon EC2, the networking half: VPCs, subnets, route tables, gateways, addresses, ENIs,
 * security groups, network ACLs, transit gateways, Reachability Analyzer and Network Access
 * Analyzer, answered by the network engine (`src/engines/network`). Operations not listed
 * here answer NotImplemented.
 */
import '../../engines/network/dx-events.js';
import type { ServiceDefinition } from '../types.js';
import {
  createNetworkInsightsAccessScope, deleteNetworkInsightsAccessScope, deleteNetworkInsightsAccessScopeAnalysis,
  describeNetworkInsightsAccessScopeAnalyses, describeNetworkInsightsAccessScopes, getNetworkInsightsAccessScopeAnalysisFindings,
  getNetworkInsightsAccessScopeContent, startNetworkInsightsAccessScopeAnalysis,
} from './access-scopes.js';
import { ec2Resources, ec2Tags } from './authz.js';
import { applyDxChange } from './dx-link.js';
import {
  acceptVpcEndpointConnections, createVpcEndpointServiceConfiguration, deleteVpcEndpointServiceConfigurations, describeVpcEndpointConnections,
  describeVpcEndpointServiceConfigurations, describeVpcEndpointServicePermissions, modifyVpcEndpointServiceConfiguration,
  modifyVpcEndpointServicePermissions, rejectVpcEndpointConnections,
} from './endpoint-services.js';
import {
  createVpcEndpointConnectionNotification, deleteVpcEndpointConnectionNotifications, describeVpcEndpointConnectionNotifications,
  modifyVpcEndpointConnectionNotification,
} from './endpoint-services-notify.js';
import { createFlowLogs, deleteFlowLogs, describeFlowLogs } from './flow-logs.js';
import {
  createVpcEndpoint, deleteVpcEndpoints, describeManagedPrefixLists, describePrefixLists, describeVpcEndpoints, describeVpcEndpointServices,
  getManagedPrefixListEntries, modifyVpcEndpoint,
} from './endpoints.js';
import {
  allocateAddress, associateAddress, attachInternetGateway, createEgressOnlyInternetGateway, createInternetGateway, createNatGateway,
  deleteEgressOnlyInternetGateway, deleteInternetGateway, deleteNatGateway, describeAddresses, describeEgressOnlyInternetGateways,
  describeInternetGateways, describeNatGateways, detachInternetGateway, disassociateAddress, releaseAddress,
} from './gateways.js';
import {
  createNetworkInterface, deleteNetworkInterface, describeNetworkInterfaces, modifyNetworkInterfaceAttribute,
} from './enis.js';
import {
  createNetworkAcl, createNetworkAclEntry, deleteNetworkAcl, deleteNetworkAclEntry, describeNetworkAcls, replaceNetworkAclAssociation,
  replaceNetworkAclEntry,
} from './network-acls.js';
import {
  createNetworkInsightsPath, deleteNetworkInsightsAnalysis, deleteNetworkInsightsPath, describeNetworkInsightsAnalyses,
  describeNetworkInsightsPaths, startNetworkInsightsAnalysis,
} from './insights.js';
import {
  acceptVpcPeeringConnection, createVpcPeeringConnection, deleteVpcPeeringConnection, describeVpcPeeringConnections, rejectVpcPeeringConnection,
} from './peering.js';
import { describeAvailabilityZones, describeRegions } from './regions.js';
import {
  associateRouteTable, createRoute, createRouteTable, deleteRoute, deleteRouteTable, describeRouteTables, disassociateRouteTable,
  replaceRoute, replaceRouteTableAssociation,
} from './route-tables.js';
import {
  authorizeSecurityGroupEgress, authorizeSecurityGroupIngress, createSecurityGroup, deleteSecurityGroup, describeSecurityGroupRules,
  describeSecurityGroups, revokeSecurityGroupEgress, revokeSecurityGroupIngress,
} from './security-groups.js';
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from './subnets.js';
import { createTags, deleteTags, describeTags } from './tags.js';
import { createDefaultVpc } from './default-vpc.js';
import { describeImages } from './images.js';
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair } from './key-pairs.js';
import { describeInstanceTypeOfferings, describeInstanceTypes } from './instance-types.js';
import { describeInstanceStatus, describeInstances, runInstances } from './instances.js';
import { meterAllInstances } from './instances-metering.js';
import { CHECK_EVERY_MS, interruptSpotInstances } from './spot-interruptions.js';
import {
  describeInstanceAttribute, modifyInstanceAttribute, monitorInstances, rebootInstances, startInstances, stopInstances, terminateInstances,
  unmonitorInstances,
} from './instances-state.js';
import { cancelSpotInstanceRequests, describeSpotInstanceRequests, requestSpotInstances } from './spot.js';
import { describeSpotPriceHistory } from './spot-prices.js';
import {
  acceptTransitGatewayPeeringAttachment, createTransitGatewayPeeringAttachment, deleteTransitGatewayPeeringAttachment,
  describeTransitGatewayPeeringAttachments, rejectTransitGatewayPeeringAttachment,
} from './tgw-peering.js';
import {
  associateTransitGatewayRouteTable, createTransitGatewayRoute, createTransitGatewayRouteTable, deleteTransitGatewayRoute,
  deleteTransitGatewayRouteTable, describeTransitGatewayRouteTables, disableTransitGatewayRouteTablePropagation,
  disassociateTransitGatewayRouteTable, enableTransitGatewayRouteTablePropagation, getTransitGatewayAttachmentPropagations,
  getTransitGatewayRouteTableAssociations, getTransitGatewayRouteTablePropagations, replaceTransitGatewayRoute, searchTransitGatewayRoutes,
} from './tgw-route-tables.js';
import {
  createTransitGateway, createTransitGatewayVpcAttachment, deleteTransitGateway, deleteTransitGatewayVpcAttachment,
  describeTransitGatewayAttachments, describeTransitGateways, describeTransitGatewayVpcAttachments, modifyTransitGatewayVpcAttachment,
} from './transit-gateways.js';
import {
  associateVpcCidrBlock, createVpc, deleteVpc, describeVpcAttribute, describeVpcs, disassociateVpcCidrBlock, modifyVpcAttribute,
} from './vpcs.js';

const ec2: ServiceDefinition = {
  name: 'ec2',
  handlers: {
    DescribeRegions: describeRegions,
    DescribeAvailabilityZones: describeAvailabilityZones,
    CreateTags: createTags,
    DeleteTags: deleteTags,
    DescribeTags: describeTags,
    CreateVpc: createVpc,
    DescribeVpcs: describeVpcs,
    DeleteVpc: deleteVpc,
    AssociateVpcCidrBlock: associateVpcCidrBlock,
    DisassociateVpcCidrBlock: disassociateVpcCidrBlock,
    ModifyVpcAttribute: modifyVpcAttribute,
    DescribeVpcAttribute: describeVpcAttribute,
    CreateSubnet: createSubnet,
    DescribeSubnets: describeSubnets,
    DeleteSubnet: deleteSubnet,
    ModifySubnetAttribute: modifySubnetAttribute,
    CreateRouteTable: createRouteTable,
    DescribeRouteTables: describeRouteTables,
    DeleteRouteTable: deleteRouteTable,
    AssociateRouteTable: associateRouteTable,
    DisassociateRouteTable: disassociateRouteTable,
    ReplaceRouteTableAssociation: replaceRouteTableAssociation,
    CreateRoute: createRoute,
    ReplaceRoute: replaceRoute,
    DeleteRoute: deleteRoute,
    CreateInternetGateway: createInternetGateway,
    AttachInternetGateway: attachInternetGateway,
    DetachInternetGateway: detachInternetGateway,
    DeleteInternetGateway: deleteInternetGateway,
    DescribeInternetGateways: describeInternetGateways,
    CreateEgressOnlyInternetGateway: createEgressOnlyInternetGateway,
    DescribeEgressOnlyInternetGateways: describeEgressOnlyInternetGateways,
    DeleteEgressOnlyInternetGateway: deleteEgressOnlyInternetGateway,
    AllocateAddress: allocateAddress,
    AssociateAddress: associateAddress,
    DisassociateAddress: disassociateAddress,
    ReleaseAddress: releaseAddress,
    DescribeAddresses: describeAddresses,
    CreateNatGateway: createNatGateway,
    DescribeNatGateways: describeNatGateways,
    DeleteNatGateway: deleteNatGateway,
    CreateNetworkInterface: createNetworkInterface,
    DescribeNetworkInterfaces: describeNetworkInterfaces,
    DeleteNetworkInterface: deleteNetworkInterface,
    ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
    CreateSecurityGroup: createSecurityGroup,
    DescribeSecurityGroups: describeSecurityGroups,
    DescribeSecurityGroupRules: describeSecurityGroupRules,
    DeleteSecurityGroup: deleteSecurityGroup,
    AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
    RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
    RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
    CreateNetworkAcl: createNetworkAcl,
    DescribeNetworkAcls: describeNetworkAcls,
    DeleteNetworkAcl: deleteNetworkAcl,
    CreateNetworkAclEntry: createNetworkAclEntry,
    ReplaceNetworkAclEntry: replaceNetworkAclEntry,
    DeleteNetworkAclEntry: deleteNetworkAclEntry,
    ReplaceNetworkAclAssociation: replaceNetworkAclAssociation,
    CreateTransitGateway: createTransitGateway,
    DescribeTransitGateways: describeTransitGateways,
    DeleteTransitGateway: deleteTransitGateway,
    CreateTransitGatewayVpcAttachment: createTransitGatewayVpcAttachment,
    DescribeTransitGatewayVpcAttachments: describeTransitGatewayVpcAttachments,
    DeleteTransitGatewayVpcAttachment: deleteTransitGatewayVpcAttachment,
    ModifyTransitGatewayVpcAttachment: modifyTransitGatewayVpcAttachment,
    DescribeTransitGatewayAttachments: describeTransitGatewayAttachments,
    CreateTransitGatewayPeeringAttachment: createTransitGatewayPeeringAttachment,
    AcceptTransitGatewayPeeringAttachment: acceptTransitGatewayPeeringAttachment,
    RejectTransitGatewayPeeringAttachment: rejectTransitGatewayPeeringAttachment,
    DeleteTransitGatewayPeeringAttachment: deleteTransitGatewayPeeringAttachment,
    DescribeTransitGatewayPeeringAttachments: describeTransitGatewayPeeringAttachments,
    CreateTransitGatewayRouteTable: createTransitGatewayRouteTable,
    DescribeTransitGatewayRouteTables: describeTransitGatewayRouteTables,
    DeleteTransitGatewayRouteTable: deleteTransitGatewayRouteTable,
    AssociateTransitGatewayRouteTable: associateTransitGatewayRouteTable,
    DisassociateTransitGatewayRouteTable: disassociateTransitGatewayRouteTable,
    EnableTransitGatewayRouteTablePropagation: enableTransitGatewayRouteTablePropagation,
    DisableTransitGatewayRouteTablePropagation: disableTransitGatewayRouteTablePropagation,
    GetTransitGatewayRouteTableAssociations: getTransitGatewayRouteTableAssociations,
    GetTransitGatewayRouteTablePropagations: getTransitGatewayRouteTablePropagations,
    GetTransitGatewayAttachmentPropagations: getTransitGatewayAttachmentPropagations,
    CreateTransitGatewayRoute: createTransitGatewayRoute,
    ReplaceTransitGatewayRoute: replaceTransitGatewayRoute,
    DeleteTransitGatewayRoute: deleteTransitGatewayRoute,
    SearchTransitGatewayRoutes: searchTransitGatewayRoutes,
    CreateNetworkInsightsPath: createNetworkInsightsPath,
    DescribeNetworkInsightsPaths: describeNetworkInsightsPaths,
    DeleteNetworkInsightsPath: deleteNetworkInsightsPath,
    StartNetworkInsightsAnalysis: startNetworkInsightsAnalysis,
    DescribeNetworkInsightsAnalyses: describeNetworkInsightsAnalyses,
    DeleteNetworkInsightsAnalysis: deleteNetworkInsightsAnalysis,
    CreateNetworkInsightsAccessScope: createNetworkInsightsAccessScope,
    GetNetworkInsightsAccessScopeContent: getNetworkInsightsAccessScopeContent,
    DescribeNetworkInsightsAccessScopes: describeNetworkInsightsAccessScopes,
    DeleteNetworkInsightsAccessScope: deleteNetworkInsightsAccessScope,
    StartNetworkInsightsAccessScopeAnalysis: startNetworkInsightsAccessScopeAnalysis,
    DescribeNetworkInsightsAccessScopeAnalyses: describeNetworkInsightsAccessScopeAnalyses,
    GetNetworkInsightsAccessScopeAnalysisFindings: getNetworkInsightsAccessScopeAnalysisFindings,
    DeleteNetworkInsightsAccessScopeAnalysis: deleteNetworkInsightsAccessScopeAnalysis,
    CreateVpcEndpointServiceConfiguration: createVpcEndpointServiceConfiguration,
    DescribeVpcEndpointServiceConfigurations: describeVpcEndpointServiceConfigurations,
    ModifyVpcEndpointServiceConfiguration: modifyVpcEndpointServiceConfiguration,
    DeleteVpcEndpointServiceConfigurations: deleteVpcEndpointServiceConfigurations,
    ModifyVpcEndpointServicePermissions: modifyVpcEndpointServicePermissions,
    DescribeVpcEndpointServicePermissions: describeVpcEndpointServicePermissions,
    AcceptVpcEndpointConnections: acceptVpcEndpointConnections,
    RejectVpcEndpointConnections: rejectVpcEndpointConnections,
    DescribeVpcEndpointConnections: describeVpcEndpointConnections,
    CreateVpcEndpointConnectionNotification: createVpcEndpointConnectionNotification,
    DescribeVpcEndpointConnectionNotifications: describeVpcEndpointConnectionNotifications,
    ModifyVpcEndpointConnectionNotification: modifyVpcEndpointConnectionNotification,
    DeleteVpcEndpointConnectionNotifications: deleteVpcEndpointConnectionNotifications,
    CreateFlowLogs: createFlowLogs,
    DescribeFlowLogs: describeFlowLogs,
    DeleteFlowLogs: deleteFlowLogs,
    CreateVpcEndpoint: createVpcEndpoint,
    DescribeVpcEndpoints: describeVpcEndpoints,
    ModifyVpcEndpoint: modifyVpcEndpoint,
    DeleteVpcEndpoints: deleteVpcEndpoints,
    DescribeVpcEndpointServices: describeVpcEndpointServices,
    DescribePrefixLists: describePrefixLists,
    DescribeManagedPrefixLists: describeManagedPrefixLists,
    GetManagedPrefixListEntries: getManagedPrefixListEntries,
    CreateVpcPeeringConnection: createVpcPeeringConnection,
    AcceptVpcPeeringConnection: acceptVpcPeeringConnection,
    RejectVpcPeeringConnection: rejectVpcPeeringConnection,
    DeleteVpcPeeringConnection: deleteVpcPeeringConnection,
    DescribeVpcPeeringConnections: describeVpcPeeringConnections,
    RunInstances: runInstances,
    DescribeInstances: describeInstances,
    DescribeInstanceStatus: describeInstanceStatus,
    StartInstances: startInstances,
    StopInstances: stopInstances,
    RebootInstances: rebootInstances,
    TerminateInstances: terminateInstances,
    DescribeInstanceAttribute: describeInstanceAttribute,
    ModifyInstanceAttribute: modifyInstanceAttribute,
    DescribeImages: describeImages,
    DescribeInstanceTypes: describeInstanceTypes,
    DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
    MonitorInstances: monitorInstances,
    UnmonitorInstances: unmonitorInstances,
    RequestSpotInstances: requestSpotInstances,
    DescribeSpotInstanceRequests: describeSpotInstanceRequests,
    CancelSpotInstanceRequests: cancelSpotInstanceRequests,
    DescribeSpotPriceHistory: describeSpotPriceHistory,
    CreateDefaultVpc: createDefaultVpc,
    CreateKeyPair: createKeyPair,
    ImportKeyPair: importKeyPair,
    DescribeKeyPairs: describeKeyPairs,
    DeleteKeyPair: deleteKeyPair,
  },
  install(host) {
    // Direct Connect gateway associations become transit gateway attachments here.
    host.bus.subscribe('directconnect:gateway-changed', (e) => applyDxChange(host.stores, e, host.clock.nowMs()));
    host.ports.resourceResolvers.set('ec2', ec2Resources);
    host.ports.resourceTags.set('ec2', ec2Tags(host.stores));
    // Running instances' hours go to the meter every clock hour.
    host.clock.setRepeating(() => meterAllInstances(host.stores, host.meter, host.clock.nowMs()), 3_600_000);
    host.clock.setRepeating(() => interruptSpotInstances(host.stores, host.faults, host.meter, host.clock.nowMs()), CHECK_EVERY_MS);
  },
};

export default ec2;
