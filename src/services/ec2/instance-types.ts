/**
 * The instance types Drydock launches: t3, t4g, m5, m7g, c6i, r6i sizes (and m1.small, which
 * RunInstances uses when no type is given), with vCPUs, memory and architecture from AWS's
 * instance type documentation, and the us-east-1 Linux on-demand price per hour from AWS's
 * public EC2 pricing page (used as the ceiling of Spot prices, see spot-prices.ts).
 */
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import { describe } from './describe.js';
import { invalidParam } from './errors.js';
import { dryRun } from './instances-common.js';
import { zonesOf } from './regions.js';

export interface InstanceTypeInfo {
  name: string;
  vcpus: number;
  memoryMiB: number;
  architecture: 'x86_64' | 'arm64';
  burstable: boolean;
  currentGeneration: boolean;
  network: string;
  maxEnis: number;
  ipsPerEni: number;
  onDemandUsd: number;
}

// [size, vCPUs, GiB, on-demand $/h, ENIs, IPs per ENI, network]
type Row = [string, number, number, number, number, number, string];

function family(prefix: string, arch: 'x86_64' | 'arm64', burstable: boolean, rows: Row[]): InstanceTypeInfo[] {
  return rows.map(([size, vcpus, gib, usd, enis, ips, network]) => ({
    name: `${prefix}.${size}`, vcpus, memoryMiB: gib * 1024, architecture: arch, burstable, currentGeneration: prefix !== 'm1',
    network, maxEnis: enis, ipsPerEni: ips, onDemandUsd: usd,
  }));
}

export const INSTANCE_TYPES: InstanceTypeInfo[] = [
  ...family('t3', 'x86_64', true, [
    ['nano', 2, 0.5, 0.0052, 2, 2, 'Up to 5 Gigabit'], ['micro', 2, 1, 0.0104, 2, 2, 'Up to 5 Gigabit'], ['small', 2, 2, 0.0208, 3, 4, 'Up to 5 Gigabit'],
    ['medium', 2, 4, 0.0416, 3, 6, 'Up to 5 Gigabit'], ['large', 2, 8, 0.0832, 3, 12, 'Up to 5 Gigabit'], ['xlarge', 4, 16, 0.1664, 4, 15, 'Up to 5 Gigabit'],
    ['2xlarge', 8, 32, 0.3328, 4, 15, 'Up to 5 Gigabit'],
  ]),
  ...family('t4g', 'arm64', true, [
    ['nano', 2, 0.5, 0.0042, 2, 2, 'Up to 5 Gigabit'], ['micro', 2, 1, 0.0084, 2, 2, 'Up to 5 Gigabit'], ['small', 2, 2, 0.0168, 3, 4, 'Up to 5 Gigabit'],
    ['medium', 2, 4, 0.0336, 3, 6, 'Up to 5 Gigabit'], ['large', 2, 8, 0.0672, 3, 12, 'Up to 5 Gigabit'], ['xlarge', 4, 16, 0.1344, 4, 15, 'Up to 5 Gigabit'],
    ['2xlarge', 8, 32, 0.2688, 4, 15, 'Up to 5 Gigabit'],
  ]),
  ...family('m5', 'x86_64', false, [
    ['large', 2, 8, 0.096, 3, 10, 'Up to 10 Gigabit'], ['xlarge', 4, 16, 0.192, 4, 15, 'Up to 10 Gigabit'],
    ['2xlarge', 8, 32, 0.384, 4, 15, 'Up to 10 Gigabit'], ['4xlarge', 16, 64, 0.768, 8, 30, 'Up to 10 Gigabit'],
  ]),
  ...family('m7g', 'arm64', false, [
    ['medium', 1, 4, 0.0408, 2, 4, 'Up to 12.5 Gigabit'], ['large', 2, 8, 0.0816, 3, 10, 'Up to 12.5 Gigabit'],
    ['xlarge', 4, 16, 0.1632, 4, 15, 'Up to 12.5 Gigabit'], ['2xlarge', 8, 32, 0.3264, 4, 15, 'Up to 15 Gigabit'],
  ]),
  ...family('c6i', 'x86_64', false, [
    ['large', 2, 4, 0.085, 3, 10, 'Up to 12.5 Gigabit'], ['xlarge', 4, 8, 0.17, 4, 15, 'Up to 12.5 Gigabit'],
    ['2xlarge', 8, 16, 0.34, 4, 15, 'Up to 12.5 Gigabit'], ['4xlarge', 16, 32, 0.68, 8, 30, 'Up to 12.5 Gigabit'],
  ]),
  ...family('r6i', 'x86_64', false, [
    ['large', 2, 16, 0.126, 3, 10, 'Up to 12.5 Gigabit'], ['xlarge', 4, 32, 0.252, 4, 15, 'Up to 12.5 Gigabit'],
    ['2xlarge', 8, 64, 0.504, 4, 15, 'Up to 12.5 Gigabit'], ['4xlarge', 16, 128, 1.008, 8, 30, 'Up to 12.5 Gigabit'],
  ]),
  ...family('m1', 'x86_64', false, [['small', 1, 1.7, 0.044, 2, 4, 'Low']]),
];

const BY_NAME = new Map(INSTANCE_TYPES.map((t) => [t.name, t]));

export function instanceTypeInfo(name: string): InstanceTypeInfo | undefined {
  return BY_NAME.get(name);
}

/** The type RunInstances asked for, or AWS's InvalidParameterValue. */
export function launchableType(name: unknown): InstanceTypeInfo {
  const text = String(name ?? 'm1.small');
  const t = BY_NAME.get(text);
  if (t === undefined) throw new AwsError('InvalidParameterValue', `Invalid value '${text}' for InstanceType.`, 400);
  return t;
}

/** Graviton types run one thread per core; Intel and AMD two, except single-vCPU types. */
export function threadsPerCore(t: InstanceTypeInfo): number {
  return t.architecture === 'arm64' || t.vcpus === 1 ? 1 : 2;
}

function typeOut(t: InstanceTypeInfo) {
  const threads = threadsPerCore(t);
  return {
    InstanceType: t.name, CurrentGeneration: t.currentGeneration, FreeTierEligible: t.name === 't3.micro' || t.name === 't4g.micro',
    SupportedUsageClasses: ['on-demand', 'spot'], SupportedRootDeviceTypes: ['ebs'], SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false, Hypervisor: 'nitro', BurstablePerformanceSupported: t.burstable, HibernationSupported: !t.burstable,
    ProcessorInfo: { SupportedArchitectures: [t.architecture], SustainedClockSpeedInGhz: t.architecture === 'arm64' ? 2.5 : 3.1 },
    VCpuInfo: { DefaultVCpus: t.vcpus, DefaultCores: t.vcpus / threads, DefaultThreadsPerCore: threads },
    MemoryInfo: { SizeInMiB: Math.round(t.memoryMiB) }, InstanceStorageSupported: false,
    EbsInfo: { EbsOptimizedSupport: 'default', EncryptionSupport: 'supported', NvmeSupport: 'required' },
    NetworkInfo: {
      NetworkPerformance: t.network, MaximumNetworkInterfaces: t.maxEnis, Ipv4AddressesPerInterface: t.ipsPerEni,
      Ipv6AddressesPerInterface: t.ipsPerEni, Ipv6Supported: true, EnaSupport: 'required', DefaultNetworkCardIndex: 0, MaximumNetworkCards: 1,
    },
    PlacementGroupInfo: { SupportedStrategies: ['cluster', 'partition', 'spread'] },
    DedicatedHostsSupported: !t.burstable, AutoRecoverySupported: true, SupportedBootModes: t.architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
  };
}

export const describeInstanceTypes: Handler = (input) => {
  dryRun(input);
  const asked = Array.isArray(input['InstanceTypes']) ? (input['InstanceTypes'] as string[]) : [];
  const page = describe({
    items: INSTANCE_TYPES, idOf: (t) => t.name, tagsOf: () => [],
    notFound: (missing) => new AwsError('InvalidInstanceType', `The following supplied instance types do not exist: [${missing.join(', ')}]`, 400),
    fields: {
      'instance-type': (t) => t.name, 'current-generation': (t) => t.currentGeneration, 'burstable-performance-supported': (t) => t.burstable,
      'processor-info.supported-architecture': (t) => t.architecture, 'vcpu-info.default-vcpus': (t) => t.vcpus,
      'memory-info.size-in-mib': (t) => Math.round(t.memoryMiB), 'free-tier-eligible': (t) => t.name === 't3.micro' || t.name === 't4g.micro',
      'supported-usage-class': () => ['on-demand', 'spot'], hypervisor: () => 'nitro', 'bare-metal': () => false,
    },
    ids: asked, filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [5, 100],
  });
  return { InstanceTypes: page.items.map(typeOut), NextToken: page.nextToken };
};

/** Every type is offered in every zone of every region (no capacity gaps are modelled). */
export const describeInstanceTypeOfferings: Handler = (input, ctx) => {
  dryRun(input);
  const type = String(input['LocationType'] ?? 'region');
  const zones = zonesOf(ctx.region);
  const locations = type === 'region' ? [ctx.region] : type === 'availability-zone' ? zones.map((z) => z.name) : type === 'availability-zone-id' ? zones.map((z) => z.id) : undefined;
  if (locations === undefined) throw invalidParam(`Value (${type}) for parameter locationType is invalid.`);
  const rows = locations.flatMap((location) => INSTANCE_TYPES.map((t) => ({ InstanceType: t.name, LocationType: type, Location: location })));
  const page = describe({
    items: rows, idOf: () => '', tagsOf: () => [], notFound: () => invalidParam('unexpected ids'),
    fields: { location: (r) => r.Location, 'instance-type': (r) => r.InstanceType },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [5, 1000],
  });
  return { InstanceTypeOfferings: page.items, NextToken: page.nextToken };
};
