/** Shared setup for the Lambda suites: zips, an execution role, functions made once per file. */
import { request } from 'node:http';
import { zipSync, strToU8 } from 'fflate';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, type InvokeCommandOutput, type Runtime } from '@aws-sdk/client-lambda';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

export function lambdaClient(dd: RunningDrydock): LambdaClient {
  return new LambdaClient(sdkConfig(dd));
}

/** A zip of the given files (text contents). */
export function zip(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An execution role Lambda may assume, allowed everything (for SDK calls from functions). */
export async function executionRole(dd: RunningDrydock, name = 'lambda-exec'): Promise<string> {
  const iam = new IAMClient(sdkConfig(dd));
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: name, PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  }));
  return Role!.Arn!;
}

export async function createNodeFunction(
  client: LambdaClient, role: string, name: string, code: string, opts: { handler?: string; file?: string; timeout?: number; runtime?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const out = await client.send(new CreateFunctionCommand({
    FunctionName: name, Role: role, Runtime: (opts.runtime ?? 'nodejs20.x') as Runtime, Handler: opts.handler ?? 'index.handler',
    Code: { ZipFile: zip({ [opts.file ?? 'index.js']: code }) }, Timeout: opts.timeout ?? 3,
    ...(opts.env ? { Environment: { Variables: opts.env } } : {}),
  }));
  return out.FunctionArn!;
}

export function text(out: InvokeCommandOutput): string {
  return Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
}

export function json(out: InvokeCommandOutput): unknown {
  return JSON.parse(text(out));
}

export function tail(out: InvokeCommandOutput): string {
  return Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
}

export async function invoke(client: LambdaClient, name: string, payload: unknown = {}, extra: Record<string, unknown> = {}): Promise<InvokeCommandOutput> {
  return client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
}

/** An HTTP request to Drydock with a given Host header (function URLs, code downloads). */
export function hostRequest(endpoint: string, url: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const target = new URL(url);
  const e = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({
      host: e.hostname, port: e.port, method: opts.method ?? 'GET', path: target.pathname + target.search,
      headers: { host: target.host, ...(opts.headers ?? {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
