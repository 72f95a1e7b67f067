/**
 * Flow log record formats: the default (version 2) and custom `LogFormat` strings of `${field}`
 * names, as the VPC User Guide lists them. A record's version is the highest version among the
 * fields it carries; a field with no value for a flow is written `-`, as AWS does.
 */
import { AwsError } from '../../core/errors.js';

export const DEFAULT_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

// Field → the record version that introduced it.
const FIELDS: Record<string, number> = {
  version: 2, 'account-id': 2, 'interface-id': 2, srcaddr: 2, dstaddr: 2, srcport: 2, dstport: 2, protocol: 2, packets: 2, bytes: 2,
  start: 2, end: 2, action: 2, 'log-status': 2,
  'vpc-id': 3, 'subnet-id': 3, 'instance-id': 3, 'tcp-flags': 3, type: 3, 'pkt-srcaddr': 3, 'pkt-dstaddr': 3,
  region: 4, 'az-id': 4, 'sublocation-type': 4, 'sublocation-id': 4,
  'pkt-src-aws-service': 5, 'pkt-dst-aws-service': 5, 'flow-direction': 5, 'traffic-path': 5,
  'ecs-cluster-arn': 7, 'ecs-cluster-name': 7, 'ecs-container-instance-arn': 7, 'ecs-container-instance-id': 7, 'ecs-container-id': 7,
  'ecs-second-container-id': 7, 'ecs-service-name': 7, 'ecs-task-definition-arn': 7, 'ecs-task-arn': 7, 'ecs-task-id': 7,
  'reject-reason': 8,
};

/** The fields of a format, or AWS's error for an unknown one. */
export function parseFormat(format: string): string[] {
  const tokens = format.trim().split(/\s+/);
  const fields = tokens.map((t) => /^\$\{([a-z0-9-]+)\}$/.exec(t)?.[1]);
  const bad = tokens.filter((_, i) => fields[i] === undefined || FIELDS[fields[i]!] === undefined);
  if (tokens.length === 0 || tokens[0] === '' || bad.length > 0) {
    throw new AwsError('InvalidParameter', `Unknown fields provided: ${bad.join(', ') || '(empty)'}`, 400);
  }
  return fields as string[];
}

/** One record: the values by field name, joined in the format's order. */
export function renderRecord(format: string, values: Record<string, string | number | undefined>): string {
  const fields = parseFormat(format);
  const version = Math.max(...fields.map((f) => FIELDS[f]!), 2);
  return fields.map((f) => {
    const v = f === 'version' ? version : values[f];
    return v === undefined || v === '' ? '-' : String(v);
  }).join(' ');
}
