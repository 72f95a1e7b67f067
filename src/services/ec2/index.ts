/**
 * Amazon EC2, the networking half: VPCs, subnets, route tables, gateways, addresses, ENIs,
 * security groups, network ACLs, transit gateways, Reachability Analyzer and Network Access
 * Analyzer, answered by the network engine (`src/engines/network`). Operations not listed
 * here answer NotImplemented.
 */
import type { ServiceDefinition } from '../types.js';
import { describeAvailabilityZones, describeRegions } from './regions.js';
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from './subnets.js';
import { createTags, deleteTags, describeTags } from './tags.js';
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
  },
};

export default ec2;
