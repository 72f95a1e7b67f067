/** Shared plumbing for the HTTP API suites: a client, functions, invoke URLs of the host form. */
import { request } from 'node:http';
import { zipSync, strToU8 } from 'fflate';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

export function v2(dd: RunningDrydock): ApiGatewayV2Client {
  return new ApiGatewayV2Client(sdkConfig(dd));
}

export interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A request to `http://<apiId>.execute-api.localhost.localstack.cloud:<port><path>` (Host set by hand: fetch may not). */
export function call(dd: RunningDrydock, apiId: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const port = Number(new URL(dd.endpoint).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...opts.headers } }, (r) => {
      let body = '';
      r.on('data', (c: Buffer) => { body += c.toString(); });
      r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

let role: Promise<string> | undefined;

/** A nodejs20.x function API Gateway may invoke. */
export async function fn(dd: RunningDrydock, name: string, code: string): Promise<string> {
  role ??= new IAMClient(sdkConfig(dd)).send(new CreateRoleCommand({
    RoleName: 'apigwv2-fn', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  })).then((r) => r.Role!.Arn!);
  const lambda = new LambdaClient(sdkConfig(dd));
  const out = await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Role: await role, Runtime: 'nodejs20.x', Handler: 'index.handler', Timeout: 5, Code: { ZipFile: zipSync({ 'index.js': strToU8(code) }) },
  }));
  await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  return out.FunctionArn!;
}

export { failure } from '../../helpers.js';
