/** The control plane: function lifecycle, versions, aliases, tags, permissions, limits and errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, DeleteFunctionCommand, GetAccountSettingsCommand, GetAliasCommand,
  GetFunctionCommand, GetFunctionConfigurationCommand, GetPolicyCommand, ListFunctionsCommand, ListTagsCommand, ListVersionsByFunctionCommand,
  PublishVersionCommand, PutFunctionConcurrencyCommand, RemovePermissionCommand, TagResourceCommand, UpdateAliasCommand,
  UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, GetFunctionConcurrencyCommand, DeleteFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { failure, useDrydock } from '../../helpers.js';
import { executionRole, hostRequest, lambdaClient, zip } from './helpers.js';

const h = useDrydock();
const CODE = zip({ 'index.js': 'exports.handler = async () => 1;' });
let role = '';

async function setup() {
  if (role === '') role = await executionRole(h.dd, 'api-role');
  return { client: lambdaClient(h.dd), role };
}

test('create, get, update, list and delete a function', async () => {
  const { client, role } = await setup();
  const created = await client.send(new CreateFunctionCommand({
    FunctionName: 'life', Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: CODE }, Tags: { team: 'a' },
    Environment: { Variables: { A: '1' } }, MemorySize: 256,
  }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:life');
  assert.deepEqual([created.State, created.StateReasonCode, created.Version, created.MemorySize, created.Timeout], ['Pending', 'Creating', '$LATEST', 256, 3]);
  assert.deepEqual(created.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/life' });
  assert.match(created.CodeSha256!, /^[A-Za-z0-9+/]{43}=$/);
  const got = await client.send(new GetFunctionCommand({ FunctionName: 'life' }));
  assert.deepEqual([got.Configuration!.State, got.Configuration!.LastUpdateStatus, got.Tags], ['Active', 'Successful', { team: 'a' }]);
  const download = await hostRequest(h.dd.endpoint, got.Code!.Location!);
  assert.deepEqual(new Uint8Array(download.body), CODE);
  const updated = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'life', Timeout: 10, Description: 'changed' }));
  assert.deepEqual([updated.Timeout, updated.Description, updated.LastUpdateStatus], [10, 'changed', 'InProgress']);
  const code2 = zip({ 'index.js': 'exports.handler = async () => 2;' });
  const recoded = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'life', ZipFile: code2 }));
  assert.notEqual(recoded.CodeSha256, created.CodeSha256);
  const listed = await client.send(new ListFunctionsCommand({}));
  assert.ok(listed.Functions!.some((f) => f.FunctionName === 'life'));
  await client.send(new DeleteFunctionCommand({ FunctionName: 'life' }));
  const gone = await failure(() => client.send(new GetFunctionCommand({ FunctionName: 'life' })));
  assert.deepEqual(gone, { name: 'ResourceNotFoundException', code: undefined, status: 404, message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:life' });
});

test('bad input gets Lambda\'s errors', async () => {
  const { client, role } = await setup();
  const base = { Role: role, Runtime: 'nodejs20.x' as const, Handler: 'index.handler', Code: { ZipFile: CODE } };
  const dup = async () => client.send(new CreateFunctionCommand({ FunctionName: 'dup', ...base }));
  await dup();
  assert.deepEqual(await failure(dup), { name: 'ResourceConflictException', code: undefined, status: 409, message: 'Function already exist: dup' });
  const badZip = await failure(() => client.send(new CreateFunctionCommand({ ...base, FunctionName: 'badzip', Code: { ZipFile: Buffer.from('nope') } })));
  assert.deepEqual([badZip.name, badZip.message], ['InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.']);
  const badRuntime = await failure(() => client.send(new CreateFunctionCommand({ ...base, FunctionName: 'old', Runtime: 'nodejs12.x' })));
  assert.match(badRuntime.message, /^The runtime parameter of nodejs12.x is no longer supported/);
  const badTimeout = await failure(() => client.send(new CreateFunctionCommand({ ...base, FunctionName: 'slow', Timeout: 901 })));
  assert.deepEqual([badTimeout.name, badTimeout.message], ['ValidationException', "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"]);
  const reserved = await failure(() => client.send(new CreateFunctionCommand({ ...base, FunctionName: 'env', Environment: { Variables: { AWS_REGION: 'x' } } })));
  assert.match(reserved.message, /Reserved keys used in this request: AWS_REGION$/);
  const untrusted = await executionRole(h.dd, 'not-for-lambda').then(async (arn) => {
    const { IAMClient, UpdateAssumeRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await new IAMClient({ ...h.config() }).send(new UpdateAssumeRolePolicyCommand({ RoleName: 'not-for-lambda', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    return failure(() => client.send(new CreateFunctionCommand({ ...base, FunctionName: 'untrusted', Role: arn })));
  });
  assert.deepEqual([untrusted.name, untrusted.message], ['InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.']);
  const mismatch = await failure(() => client.send(new GetFunctionCommand({ FunctionName: 'dup:1', Qualifier: '2' })));
  assert.equal(mismatch.message, 'The derived qualifier from the function name does not match the specified qualifier.');
  const region = await failure(() => client.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:dup' })));
  assert.equal(region.message, "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
});

test('versions and aliases with weighted routing', async () => {
  const { client, role } = await setup();
  await client.send(new CreateFunctionCommand({ FunctionName: 'ver', Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: CODE }, Publish: true }));
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ver', Description: 'two' }));
  const v2 = await client.send(new PublishVersionCommand({ FunctionName: 'ver' }));
  assert.deepEqual([v2.Version, v2.FunctionArn, v2.Description], ['2', 'arn:aws:lambda:us-east-1:000000000000:function:ver:2', 'two']);
  const again = await client.send(new PublishVersionCommand({ FunctionName: 'ver' }));
  assert.equal(again.Version, '2', 'an unchanged $LATEST publishes no new version');
  const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver' }));
  assert.deepEqual(versions.Versions!.map((v) => v.Version), ['$LATEST', '1', '2']);
  const alias = await client.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.25 } } }));
  assert.deepEqual([alias.AliasArn, alias.RoutingConfig?.AdditionalVersionWeights], ['arn:aws:lambda:us-east-1:000000000000:function:ver:live', { 2: 0.25 }]);
  const viaAlias = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver', Qualifier: 'live' }));
  assert.deepEqual([viaAlias.Version, viaAlias.FunctionArn], ['1', 'arn:aws:lambda:us-east-1:000000000000:function:ver:live']);
  const moved = await client.send(new UpdateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
  assert.equal(moved.FunctionVersion, '2');
  assert.equal((await client.send(new GetAliasCommand({ FunctionName: 'ver', Name: 'live' }))).RevisionId, moved.RevisionId);
  const badAlias = await failure(() => client.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'x', FunctionVersion: '9' })));
  assert.deepEqual([badAlias.name, badAlias.status], ['ResourceNotFoundException', 404]);
  const noAlias = await failure(() => client.send(new GetAliasCommand({ FunctionName: 'ver', Name: 'nope' })));
  assert.equal(noAlias.message, 'Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:ver:nope');
});

test('tags, permissions and the policy', async () => {
  const { client, role } = await setup();
  const { FunctionArn } = await client.send(new CreateFunctionCommand({ FunctionName: 'perm', Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: CODE } }));
  await client.send(new TagResourceCommand({ Resource: FunctionArn, Tags: { k: 'v' } }));
  assert.deepEqual((await client.send(new ListTagsCommand({ Resource: FunctionArn }))).Tags, { k: 'v' });
  const onVersion = await failure(() => client.send(new TagResourceCommand({ Resource: `${FunctionArn}:1`, Tags: { k: 'v' } })));
  assert.equal(onVersion.message, 'Tags on function aliases and versions are not supported. Please specify a function ARN.');
  const added = await client.send(new AddPermissionCommand({
    FunctionName: 'perm', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc/*',
  }));
  assert.deepEqual(JSON.parse(added.Statement!), {
    Sid: 'apigw', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: FunctionArn,
    Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc/*' } },
  });
  const dupSid = await failure(() => client.send(new AddPermissionCommand({ FunctionName: 'perm', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' })));
  assert.deepEqual([dupSid.name, dupSid.status], ['ResourceConflictException', 409]);
  const policy = JSON.parse((await client.send(new GetPolicyCommand({ FunctionName: 'perm' }))).Policy!) as { Statement: unknown[] };
  assert.equal(policy.Statement.length, 1);
  await client.send(new RemovePermissionCommand({ FunctionName: 'perm', StatementId: 'apigw' }));
  const none = await failure(() => client.send(new GetPolicyCommand({ FunctionName: 'perm' })));
  assert.deepEqual([none.name, none.message], ['ResourceNotFoundException', 'The resource you requested does not exist.']);
});

test('reserved concurrency keeps 100 unreserved; account settings show it', async () => {
  const { client, role } = await setup();
  await client.send(new CreateFunctionCommand({ FunctionName: 'conc', Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: CODE } }));
  assert.deepEqual((await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 50 }))).ReservedConcurrentExecutions, 50);
  assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }))).ReservedConcurrentExecutions, 50);
  const settings = await client.send(new GetAccountSettingsCommand({}));
  assert.deepEqual([settings.AccountLimit!.ConcurrentExecutions, settings.AccountLimit!.UnreservedConcurrentExecutions], [1000, 950]);
  const tooMuch = await failure(() => client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 901 })));
  assert.deepEqual([tooMuch.name, tooMuch.message], ['InvalidParameterValueException',
    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."]);
  await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'conc' }));
  assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }))).ReservedConcurrentExecutions, undefined);
});
