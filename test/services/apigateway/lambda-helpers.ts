/** Functions for the API Gateway suites: a role, a Node function from source, permission for API Gateway. */
import { zipSync, strToU8 } from 'fflate';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

let role: Promise<string> | undefined;

function executionRole(dd: RunningDrydock): Promise<string> {
  role ??= new IAMClient(sdkConfig(dd)).send(new CreateRoleCommand({
    RoleName: 'apigw-test-fn', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  })).then((r) => r.Role!.Arn!);
  return role;
}

/** A nodejs20.x function whose index.js is `code`; with `allowApi`, API Gateway may invoke it (from any API). */
export async function nodeFunction(dd: RunningDrydock, name: string, code: string, allowApi = true): Promise<string> {
  const lambda = new LambdaClient(sdkConfig(dd));
  const out = await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Role: await executionRole(dd), Runtime: 'nodejs20.x', Handler: 'index.handler', Timeout: 5,
    Code: { ZipFile: zipSync({ 'index.js': strToU8(code) }) },
  }));
  if (allowApi) {
    await lambda.send(new AddPermissionCommand({
      FunctionName: name, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:*',
    }));
  }
  return out.FunctionArn!;
}

/** The integration URI API Gateway uses for a function. */
export function lambdaUri(fnArn: string): string {
  return `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations`;
}
