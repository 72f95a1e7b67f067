/** Shared setup for the instance suites: an AMI id from the catalog and a launch into a subnet. */
import { DescribeImagesCommand, RunInstancesCommand, type EC2Client, type Instance, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';

/** The region's Amazon Linux 2023 image for an architecture, found as a client would. */
export async function al2023(c: EC2Client, arch: 'x86_64' | 'arm64' = 'x86_64'): Promise<string> {
  const r = await c.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] }, { Name: 'architecture', Values: [arch] }] }));
  return r.Images![0]!.ImageId!;
}

/** Runs one t3.micro (unless overridden) in `subnetId`; returns the instance. */
export async function runOne(c: EC2Client, subnetId: string, extra: Partial<RunInstancesCommandInput> = {}): Promise<Instance> {
  const r = await c.send(new RunInstancesCommand({ ImageId: await al2023(c), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetId, ...extra }));
  return r.Instances![0]!;
}
