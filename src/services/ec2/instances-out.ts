/** An instance record in EC2's `Instance` and `Reservation` output shapes. */
import { publicIpOf } from './enis.js';
import { stateOut, type InstanceRecord } from './instances-common.js';
import { instanceTypeInfo, threadsPerCore } from './instance-types.js';
import type { Ec2State } from './store.js';

/** `ip-10-0-1-5.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** `ec2-3-1-2-3.compute-1.amazonaws.com` in us-east-1, `ec2-….<region>.compute.amazonaws.com` elsewhere. */
function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

function cpuOptions(type: string) {
  const t = instanceTypeInfo(type);
  const threads = t === undefined ? 1 : threadsPerCore(t);
  return { CoreCount: Math.max(1, (t?.vcpus ?? 1) / threads), ThreadsPerCore: threads };
}

function groupsOut(s: Ec2State, ids: string[]) {
  return ids.map((id) => ({ GroupId: id, GroupName: s.securityGroups.get(id)?.name }));
}

function interfaceOut(s: Ec2State, i: InstanceRecord, account: string, region: string) {
  const eni = s.enis.get(i.eniId);
  if (eni === undefined) return [];
  const pub = publicIpOf(s, eni.id)?.PublicIp ?? eni.publicIp;
  const association = pub && { PublicIp: pub, PublicDnsName: publicDnsName(pub, region), IpOwnerId: eni.publicIp === pub ? 'amazon' : account };
  return [{
    NetworkInterfaceId: eni.id, SubnetId: eni.subnetId, VpcId: eni.vpcId, Description: eni.description, OwnerId: account, Status: 'in-use',
    MacAddress: eni.mac, PrivateIpAddress: eni.privateIps[0], PrivateDnsName: privateDnsName(eni.privateIps[0]!, region),
    SourceDestCheck: eni.sourceDestCheck, Groups: groupsOut(s, eni.groupIds), InterfaceType: eni.interfaceType, Ipv6Addresses: [],
    Attachment: { AttachmentId: eni.attachment?.id, DeviceIndex: 0, Status: 'attached', DeleteOnTermination: true, AttachTime: new Date(i.launchMs), NetworkCardIndex: 0 },
    PrivateIpAddresses: eni.privateIps.map((ip, n) => ({ Primary: n === 0, PrivateIpAddress: ip, PrivateDnsName: privateDnsName(ip, region), ...(n === 0 && association ? { Association: association } : {}) })),
    ...(association ? { Association: association } : {}),
  }];
}

export function instanceOut(s: Ec2State, i: InstanceRecord, account: string, region: string) {
  const eni = s.enis.get(i.eniId);
  const publicIp = (eni ? publicIpOf(s, eni.id)?.PublicIp : undefined) ?? eni?.publicIp;
  const live = i.state !== 'terminated';
  return {
    InstanceId: i.id, ImageId: i.imageId, InstanceType: i.instanceType, AmiLaunchIndex: i.amiLaunchIndex, KeyName: i.keyName,
    LaunchTime: new Date(i.launchMs), State: stateOut(i.state), StateTransitionReason: i.stateTransitionReason,
    ...(i.stateReason ? { StateReason: i.stateReason } : {}),
    Placement: { AvailabilityZone: i.az, GroupName: '', Tenancy: 'default' }, Monitoring: { State: i.monitoring ? 'enabled' : 'disabled' },
    PrivateDnsName: live ? privateDnsName(i.privateIp, region) : '', PrivateIpAddress: live ? i.privateIp : undefined,
    PublicDnsName: publicIp ? publicDnsName(publicIp, region) : '', PublicIpAddress: publicIp, ProductCodes: [],
    SubnetId: live ? i.subnetId : undefined, VpcId: live ? i.vpcId : undefined, Architecture: i.architecture, Platform: i.platform,
    PlatformDetails: i.platformDetails, UsageOperation: i.usageOperation, UsageOperationUpdateTime: new Date(i.launchMs),
    RootDeviceName: i.rootDeviceName, RootDeviceType: 'ebs', VirtualizationType: 'hvm', Hypervisor: 'xen', EnaSupport: true,
    BlockDeviceMappings: live ? [{ DeviceName: i.rootDeviceName, Ebs: { VolumeId: i.rootVolumeId, Status: 'attached', AttachTime: new Date(i.launchMs), DeleteOnTermination: true } }] : [],
    EbsOptimized: i.ebsOptimized, ClientToken: i.clientToken ?? '', SourceDestCheck: eni?.sourceDestCheck ?? true,
    SecurityGroups: live ? groupsOut(s, i.groupIds) : [], NetworkInterfaces: live ? interfaceOut(s, i, account, region) : [],
    ...(i.iamProfileArn ? { IamInstanceProfile: { Arn: i.iamProfileArn, Id: i.iamProfileId } } : {}),
    ...(i.lifecycle ? { InstanceLifecycle: i.lifecycle, SpotInstanceRequestId: i.spotRequestId } : {}),
    Tags: i.tags.length ? i.tags : undefined,
    CpuOptions: cpuOptions(i.instanceType), HibernationOptions: { Configured: false }, EnclaveOptions: { Enabled: false },
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: 'default' }, CurrentInstanceBootMode: i.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
  };
}

/** Instances grouped into their reservations, in the order first seen. */
export function reservationsOut(s: Ec2State, list: InstanceRecord[], account: string, region: string) {
  const byId = new Map<string, InstanceRecord[]>();
  for (const i of list) byId.set(i.reservationId, [...(byId.get(i.reservationId) ?? []), i]);
  return [...byId].map(([id, items]) => ({
    ReservationId: id, OwnerId: account,
    Groups: [], Instances: items.map((i) => instanceOut(s, i, account, region)),
  }));
}
