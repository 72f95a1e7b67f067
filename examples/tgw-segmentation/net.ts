/**
 * Small helpers the network scenarios share (this one and isolated-vpcs): EC2 and Direct
 * Connect clients, Drydock's clock and fault admin endpoints, and one Reachability Analyzer
 * question asked the way any AWS client asks it.
 */
import {
  CreateNetworkInsightsPathCommand, DescribeNetworkInsightsAnalysesCommand, EC2Client, StartNetworkInsightsAnalysisCommand,
  type NetworkInsightsAnalysis,
} from '@aws-sdk/client-ec2';
import { DirectConnectClient } from '@aws-sdk/client-direct-connect';
import type { Credentials } from '../_lib/harness.js';

export function clients(endpoint: string, credentials: Credentials, region = 'us-east-1') {
  const config = { endpoint, region, credentials, maxAttempts: 1 };
  return { ec2: new EC2Client(config), dx: new DirectConnectClient(config) };
}

async function admin(endpoint: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${endpoint}${path}`, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${String(json['error'] ?? res.status)}`);
  return json;
}

/** Moves Drydock's clock forward (Direct Connect links take minutes to provision). */
export const advanceClock = (endpoint: string, seconds: number) => admin(endpoint, 'POST', '/_drydock/clock', { advanceSeconds: seconds });
export const addFault = async (endpoint: string, spec: object) => String((await admin(endpoint, 'POST', '/_drydock/faults', spec))['id']);
export const removeFault = (endpoint: string, id: string) => admin(endpoint, 'DELETE', `/_drydock/faults/${encodeURIComponent(id)}`);

/** Source → destination on TCP `port`, analysed by Reachability Analyzer. */
export async function analyse(
  ec2: EC2Client, path: { Source: string; SourceIp?: string; Destination?: string; DestinationIp?: string }, port = 443,
): Promise<NetworkInsightsAnalysis> {
  const p = await ec2.send(new CreateNetworkInsightsPathCommand({ ...path, Protocol: 'tcp', DestinationPort: port }));
  const a = await ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: p.NetworkInsightsPath!.NetworkInsightsPathId }));
  const d = await ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [a.NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!] }));
  return d.NetworkInsightsAnalyses![0]!;
}
