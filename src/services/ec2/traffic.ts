/**
 * The traffic simulator behind `POST /_drydock/network/traffic`: Drydock carries no packets,
 * so a flow is described (from, to, protocol, port, packets, bytes), traced by the network
 * engine exactly as Reachability Analyzer traces it (endpoint policies judged by the IAM
 * engine), and every ENI on its path that a flow log watches gets a flow log record, delivered
 * to the flow log's destination (see flow-log-delivery.ts).
 */
import { evaluate, parsePolicy, type Policy } from '../../engines/iam-policy/index.js';
import { NetIndex } from '../../engines/network/index-topology.js';
import { observeFlow, observeReply, type FlowObservation } from '../../engines/network/flow.js';
import type { EndpointPolicyCheck, ReachResult, ServiceRequest } from '../../engines/network/path.js';
import { analyzeReachability, UnknownEndpointError, type Endpoint } from '../../engines/network/reach.js';
import { protoNumber, type Protocol } from '../../engines/network/rules.js';
import type { ServiceHost } from '../types.js';
import { deliverRecords, type PendingRecord } from './flow-log-delivery.js';
import { flowLogsFor } from './flow-logs.js';
import { snapshot } from './snapshot.js';
import { stateOf } from './store.js';

export interface TrafficRequest {
  account?: string;
  region?: string;
  from: string;
  to: string;
  protocol?: string;
  port?: number;
  packets?: number;
  bytes?: number;
  /** The API call the traffic carries to an AWS service (`s3:GetObject`), for endpoint policies. */
  action?: string;
  resource?: string;
}

/** A bad request to the simulator (answered 400 by the admin API). */
export class TrafficError extends Error {}

const AWS_SERVICES = new Set(['s3', 'dynamodb', 'sqs', 'sns', 'kms', 'sts', 'lambda', 'logs', 'events', 'ssm', 'secretsmanager', 'states', 'execute-api', 'ec2']);

/** `s3://bucket/key` and `arn:aws:s3:::bucket/key` name an S3 request; `s3`, `dynamodb`, … name a service. */
function serviceTarget(to: string): { service: string; request?: ServiceRequest } | undefined {
  const url = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(to);
  const s3arn = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/(.*))?$/.exec(to);
  const m = url ?? s3arn;
  if (m) {
    const [, bucket, key] = m;
    return { service: 's3', request: key ? { action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${key}` } : { action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}` } };
  }
  return AWS_SERVICES.has(to) ? { service: to } : undefined;
}

function endpointOf(ix: NetIndex, v: string): Endpoint {
  if (v === 'internet') return { type: 'internet' };
  if (v.startsWith('eni-')) return { type: 'eni', id: v };
  if (v.startsWith('subnet-')) return { type: 'subnet', id: v };
  if (v.startsWith('i-')) {
    const eni = [...ix.enis.values()].find((e) => e.instanceId === v);
    if (eni === undefined) throw new TrafficError(`instance \`${v}\` has no network interface in this account`);
    return { type: 'eni', id: eni.id };
  }
  const svc = /(vpce-svc-[0-9a-f]+)$/.exec(v);
  if (svc) return { type: 'endpoint-service', id: svc[1]! };
  if (v.startsWith('vpce-')) return { type: 'service', endpointId: v };
  const target = serviceTarget(v);
  if (target) return { type: 'aws-service', service: target.service };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v)) return { type: 'ip', ip: v };
  throw new TrafficError(`\`${v}\` is not a network interface, subnet, instance, address, \`internet\`, AWS service or endpoint service`);
}

const ALLOW_ALL = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { kind: 'identity' });

/**
 * An endpoint policy judged by the IAM engine: the caller's own permissions are taken as
 * allowing everything, so the answer is the endpoint policy's alone (a required resource policy).
 */
export function endpointPolicyCheck(account: string, now: Date): EndpointPolicyCheck {
  const principal = { arn: `arn:aws:sts::${account}:assumed-role/drydock-traffic/simulation`, account, type: 'assumed-role' as const, userId: 'AROADRYDOCKTRAFFIC:simulation' };
  const cache = new Map<string, Policy | undefined>();
  return (doc, request) => {
    if (!cache.has(doc)) {
      try { cache.set(doc, parsePolicy(doc, { kind: 'resource', id: 'vpc-endpoint-policy' })); } catch { cache.set(doc, undefined); }
    }
    const policy = cache.get(doc);
    if (policy === undefined) return { allowed: false, reason: 'the policy document is malformed' };
    const d = evaluate({
      principal, action: request.action, resources: [request.resource], context: {}, identityPolicies: [ALLOW_ALL],
      resourcePolicy: { policy, resourceAccount: account, required: true }, now,
    });
    return { allowed: d.decision === 'Allow', reason: d.decision === 'ExplicitDeny' ? 'an explicit deny in the endpoint policy' : 'no statement of the endpoint policy allows it' };
  };
}

export interface TrafficReport {
  reachable: boolean;
  result: ReachResult;
  records: { eniId: string; action: string; flowLogId: string; record: string; delivered: boolean; error?: string }[];
}

/** Traces one flow and writes its flow log records. */
export async function simulateTraffic(host: ServiceHost, req: TrafficRequest): Promise<TrafficReport> {
  const account = req.account ?? '000000000000';
  const region = req.region ?? 'us-east-1';
  if (typeof req.from !== 'string' || typeof req.to !== 'string') throw new TrafficError('give `from` and `to`');
  const protocol = (req.protocol ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'icmp'].includes(protocol)) throw new TrafficError(`protocol \`${protocol}\` is not tcp, udp or icmp`);
  const target = serviceTarget(req.to);
  const port = req.port ?? (target || /vpce-svc-/.test(req.to) ? 443 : undefined);
  if (protocol !== 'icmp' && (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535)) throw new TrafficError('give a destination `port` (0-65535)');
  const packets = req.packets ?? 1;
  const bytes = req.bytes ?? packets * 60;
  const nowMs = host.clock.nowMs();
  const ix = new NetIndex(snapshot(host.stores, host.faults, account, nowMs));
  const request = req.action !== undefined ? { action: req.action, resource: req.resource ?? '*' } : target?.request;
  let result: ReachResult;
  try {
    result = analyzeReachability(ix, {
      source: endpointOf(ix, req.from), destination: endpointOf(ix, req.to), protocol: protocol as Protocol, port, request,
    }, { endpointPolicy: endpointPolicyCheck(account, new Date(nowMs)) });
  } catch (e) {
    if (e instanceof UnknownEndpointError || (e instanceof Error && /IPv4 address/.test(e.message))) throw new TrafficError(e.message);
    throw e;
  }
  const start = Math.floor(nowMs / 1000);
  const flow = {
    srcaddr: result.addresses?.source, dstaddr: result.addresses?.destination, srcport: protocol === 'icmp' ? 0 : 49152 + (start % 16384),
    dstport: protocol === 'icmp' ? 0 : port, protocol: protoNumber(protocol), packets, bytes, start, 'log-status': 'OK', type: 'IPv4',
    'pkt-dst-aws-service': target?.service.toUpperCase(),
  };
  // The reply is a flow of its own: addresses and ports swapped.
  const reply = { ...flow, srcaddr: flow.dstaddr, dstaddr: flow.srcaddr, srcport: flow.dstport, dstport: flow.srcport, 'pkt-dst-aws-service': undefined, 'pkt-src-aws-service': flow['pkt-dst-aws-service'] };
  const pending: PendingRecord[] = [];
  const record = (observations: FlowObservation[], values: Record<string, string | number | undefined>) => {
    for (const o of observations) {
      const eni = ix.enis.get(o.eniId)!;
      const eniRegion = ix.vpcs.get(eni.vpcId)?.region ?? region;
      for (const f of flowLogsFor(stateOf(host.stores, account, eniRegion), eni, o.action)) {
        pending.push({
          account, region: eniRegion, flowLog: f, eniId: eni.id,
          values: {
            ...values, 'account-id': account, 'interface-id': eni.id, end: start + Math.min(f.maxAggregationInterval, 60), action: o.action,
            'vpc-id': eni.vpcId, 'subnet-id': eni.subnetId, 'instance-id': eni.instanceId, region: eniRegion, 'flow-direction': o.direction,
            'tcp-flags': protocol === 'tcp' ? (o.action === 'ACCEPT' ? 19 : 2) : undefined, 'pkt-srcaddr': values['srcaddr'], 'pkt-dstaddr': values['dstaddr'],
          },
        });
      }
    }
  };
  record(observeFlow(ix, result), flow);
  record(observeReply(ix, result), reply);
  return { reachable: result.reachable, result, records: await deliverRecords(host, pending) };
}
