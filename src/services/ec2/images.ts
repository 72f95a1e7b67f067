/**
 * A small catalog of public AMIs per region: Amazon Linux 2023 (x86_64, arm64), Ubuntu 24.04
 * and Windows Server 2022, owned by the accounts AWS uses for them (Amazon 137112412989,
 * Canonical 099720109477, Amazon's Windows images 801119661308). Ids are derived from the
 * region and image name, so an id is stable across restarts and differs between regions as on
 * AWS. No SSM parameters: callers find images with DescribeImages.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import { describe } from './describe.js';
import { dryRun } from './instances-common.js';

export interface ImageInfo {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  ownerAlias?: string;
  architecture: 'x86_64' | 'arm64';
  platform?: 'windows';
  platformDetails: string;
  usageOperation: string;
  rootDeviceName: string;
  rootSizeGiB: number;
  created: string;
}

const CATALOG: Omit<ImageInfo, 'id'>[] = [
  {
    name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64', description: 'Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1',
    ownerId: '137112412989', ownerAlias: 'amazon', architecture: 'x86_64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    rootDeviceName: '/dev/xvda', rootSizeGiB: 8, created: '2024-12-12T21:05:23.000Z',
  },
  {
    name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-arm64', description: 'Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1',
    ownerId: '137112412989', ownerAlias: 'amazon', architecture: 'arm64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    rootDeviceName: '/dev/xvda', rootSizeGiB: 8, created: '2024-12-12T21:05:41.000Z',
  },
  {
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image', ownerId: '099720109477', architecture: 'x86_64',
    platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances', rootDeviceName: '/dev/sda1', rootSizeGiB: 8, created: '2024-12-06T10:18:31.000Z',
  },
  {
    name: 'Windows_Server-2022-English-Full-Base-2024.12.13', description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    ownerId: '801119661308', ownerAlias: 'amazon', architecture: 'x86_64', platform: 'windows', platformDetails: 'Windows',
    usageOperation: 'RunInstances:0002', rootDeviceName: '/dev/sda1', rootSizeGiB: 30, created: '2024-12-13T08:12:10.000Z',
  },
];

const byRegion = new Map<string, ImageInfo[]>();

/** The region's catalog, ids derived from region and name. */
export function imagesOf(region: string): ImageInfo[] {
  let list = byRegion.get(region);
  if (list === undefined) {
    list = CATALOG.map((i) => ({ ...i, id: `ami-${createHash('sha256').update(`${region}/${i.name}`).digest('hex').slice(0, 17)}` }));
    byRegion.set(region, list);
  }
  return list;
}

const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** The image `id` names, or AWS's Malformed / NotFound errors. */
export function imageOf(region: string, id: unknown): ImageInfo {
  const text = String(id ?? '');
  if (!AMI_ID.test(text)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${text}" (expecting "ami-...")`, 400);
  const image = imagesOf(region).find((i) => i.id === text);
  if (image === undefined) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${text}]' does not exist`, 400);
  return image;
}

function imageOut(i: ImageInfo) {
  return {
    ImageId: i.id, Name: i.name, Description: i.description, OwnerId: i.ownerId, ImageOwnerAlias: i.ownerAlias,
    ImageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`, Architecture: i.architecture, Platform: i.platform,
    PlatformDetails: i.platformDetails, UsageOperation: i.usageOperation, State: 'available', Public: true, ImageType: 'machine',
    CreationDate: i.created, Hypervisor: 'xen', VirtualizationType: 'hvm', RootDeviceType: 'ebs', RootDeviceName: i.rootDeviceName,
    EnaSupport: true, SriovNetSupport: 'simple', BootMode: i.architecture === 'arm64' ? 'uefi' : undefined,
    BlockDeviceMappings: [{ DeviceName: i.rootDeviceName, Ebs: { DeleteOnTermination: true, SnapshotId: `snap-${i.id.slice(4)}`, VolumeSize: i.rootSizeGiB, VolumeType: 'gp3', Encrypted: false } }],
    Tags: [],
  };
}

/** `Owners` accepts account ids and the aliases `amazon`, `aws-marketplace` and `self`. */
function ownerMatches(i: ImageInfo, owners: string[], account: string): boolean {
  return owners.some((o) => o === i.ownerId || (o === 'amazon' && i.ownerAlias === 'amazon') || (o === 'self' && i.ownerId === account));
}

export const describeImages: Handler = (input, ctx) => {
  dryRun(input);
  const owners = Array.isArray(input['Owners']) ? (input['Owners'] as string[]) : [];
  const ids = Array.isArray(input['ImageIds']) ? (input['ImageIds'] as string[]) : [];
  for (const id of ids) if (!AMI_ID.test(id)) imageOf(ctx.region, id);
  const page = describe({
    items: imagesOf(ctx.region).filter((i) => owners.length === 0 || ownerMatches(i, owners, ctx.account)),
    idOf: (i) => i.id, tagsOf: () => [],
    notFound: (missing) => new AwsError('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`, 400),
    fields: {
      'image-id': (i) => i.id, name: (i) => i.name, description: (i) => i.description, architecture: (i) => i.architecture,
      'owner-id': (i) => i.ownerId, 'owner-alias': (i) => i.ownerAlias, platform: (i) => i.platform, 'platform-details': (i) => i.platformDetails,
      state: () => 'available', 'is-public': () => true, 'image-type': () => 'machine', 'root-device-type': () => 'ebs',
      'root-device-name': (i) => i.rootDeviceName, 'virtualization-type': () => 'hvm', hypervisor: () => 'xen', 'creation-date': (i) => i.created,
    },
    ids, filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { Images: page.items.map(imageOut), NextToken: page.nextToken };
};
