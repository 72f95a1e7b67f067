/**
 * Amazon Route 53: public and private hosted zones (VPC associations, across accounts with
 * authorization), record sets with AWS's change-batch validation and every routing policy,
 * changes PENDING → INSYNC on the clock, health checks probing real endpoints on the clock,
 * CIDR collections, reusable delegation sets, tags and TestDNSAnswer. The DNS server (src/dns) answers from this data
 * through `ports.route53Dns`.
 *
 * Not implemented (answer NotImplemented): traffic policies, DNSSEC (key-signing keys, DS
 * signing), hosted-zone query logging configs, record-set protections, account and zone limits,
 * GetGeoLocation/ListGeoLocations and GetCheckerIpRanges.
 */
import type { ServiceDefinition } from '../types.js';
import { changeCidrCollection, createCidrCollection, deleteCidrCollection, listCidrBlocks, listCidrCollections, listCidrLocations } from './cidr.js';
import { createDelegationSet, deleteDelegationSet, getDelegationSet, listDelegationSets } from './delegation-sets.js';
import { installDns, testDnsAnswer } from './dns-answer.js';
import {
  createHealthCheck, deleteHealthCheck, getHealthCheck, getHealthCheckCount, getHealthCheckLastFailureReason, getHealthCheckStatus, listHealthChecks,
  updateHealthCheck,
} from './health.js';
import { route53Resources } from './iam.js';
import { resumeAll } from './prober.js';
import { changeResourceRecordSets, listResourceRecordSets } from './records.js';
import { changeTags, listTags, listTagsMany } from './tags.js';
import {
  associateVpc, createHostedZone, createVpcAuthorization, deleteHostedZone, deleteVpcAuthorization, disassociateVpc, getChange, getHostedZone,
  getHostedZoneCount, listHostedZones, listHostedZonesByName, listHostedZonesByVPC, listVpcAuthorizations, updateHostedZoneComment,
} from './zones.js';

const route53: ServiceDefinition = {
  name: 'route53',
  handlers: {
    CreateHostedZone: createHostedZone,
    GetHostedZone: getHostedZone,
    GetHostedZoneCount: getHostedZoneCount,
    ListHostedZones: listHostedZones,
    ListHostedZonesByName: listHostedZonesByName,
    ListHostedZonesByVPC: listHostedZonesByVPC,
    DeleteHostedZone: deleteHostedZone,
    UpdateHostedZoneComment: updateHostedZoneComment,
    AssociateVPCWithHostedZone: associateVpc,
    DisassociateVPCFromHostedZone: disassociateVpc,
    CreateVPCAssociationAuthorization: createVpcAuthorization,
    DeleteVPCAssociationAuthorization: deleteVpcAuthorization,
    ListVPCAssociationAuthorizations: listVpcAuthorizations,
    GetChange: getChange,
    ChangeResourceRecordSets: changeResourceRecordSets,
    ListResourceRecordSets: listResourceRecordSets,
    CreateHealthCheck: createHealthCheck,
    GetHealthCheck: getHealthCheck,
    GetHealthCheckCount: getHealthCheckCount,
    ListHealthChecks: listHealthChecks,
    UpdateHealthCheck: updateHealthCheck,
    DeleteHealthCheck: deleteHealthCheck,
    GetHealthCheckStatus: getHealthCheckStatus,
    GetHealthCheckLastFailureReason: getHealthCheckLastFailureReason,
    CreateCidrCollection: createCidrCollection,
    ChangeCidrCollection: changeCidrCollection,
    ListCidrCollections: listCidrCollections,
    ListCidrLocations: listCidrLocations,
    ListCidrBlocks: listCidrBlocks,
    DeleteCidrCollection: deleteCidrCollection,
    ChangeTagsForResource: changeTags,
    ListTagsForResource: listTags,
    ListTagsForResources: listTagsMany,
    TestDNSAnswer: testDnsAnswer,
    CreateReusableDelegationSet: createDelegationSet,
    GetReusableDelegationSet: getDelegationSet,
    ListReusableDelegationSets: listDelegationSets,
    DeleteReusableDelegationSet: deleteDelegationSet,
  },
  install(host) {
    host.ports.resourceResolvers.set('route53', (operation, input) => route53Resources(operation, input));
    installDns(host);
    resumeAll(host);
  },
};

export default route53;
