/** REST API control plane through the real SDK: shapes, defaults and AWS's errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand,
  CreateStageCommand, DeleteDeploymentCommand, GetAccountCommand, UpdateAccountCommand, UpdateDeploymentCommand, DeleteModelCommand, DeleteRestApiCommand, GetGatewayResponseCommand, GetIntegrationCommand,
  GetMethodCommand, GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, GetStageCommand, PutGatewayResponseCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, UpdateResourceCommand, UpdateRestApiCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { useDrydock } from '../../helpers.js';
import { apigw, failure } from './helpers.js';

const h = useDrydock();

test('CreateRestApi answers AWS defaults and a root resource; GetRestApis lists it; DeleteRestApi forgets it', async () => {
  const c = apigw(h.dd);
  const api = await c.send(new CreateRestApiCommand({ name: 'pets' }));
  assert.equal(api.$metadata.httpStatusCode, 201);
  assert.match(api.id!, /^[a-z0-9]{10}$/);
  assert.equal(api.apiKeySource, 'HEADER');
  assert.equal(api.disableExecuteApiEndpoint, false);
  assert.deepEqual(api.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
  assert.ok(api.createdDate instanceof Date);
  const res = await c.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(res.items, [{ id: api.rootResourceId, path: '/' }]);
  assert.ok((await c.send(new GetRestApisCommand({}))).items!.some((a) => a.id === api.id));
  await c.send(new DeleteRestApiCommand({ restApiId: api.id }));
  const e = await failure(() => c.send(new GetRestApiCommand({ restApiId: api.id })));
  assert.deepEqual(e, { name: 'NotFoundException', code: undefined, message: `Invalid API identifier specified 000000000000:${api.id}`, status: 404 });
});

test('CreateRestApi refuses what AWS refuses', async () => {
  const c = apigw(h.dd);
  assert.equal((await failure(() => c.send(new CreateRestApiCommand({ name: 'x', description: '' })))).message, 'Description cannot be an empty string');
  assert.equal((await failure(() => c.send(new CreateRestApiCommand({ name: 'x', minimumCompressionSize: -1 })))).message,
    'Invalid minimum compression size, must be between 0 and 10485760');
  assert.equal((await failure(() => c.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } })))).message,
    'Cannot create an api with multiple Endpoint Types.');
  const priv = await c.send(new CreateRestApiCommand({ name: 'p', endpointConfiguration: { types: ['PRIVATE'] } }));
  assert.deepEqual(priv.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
});

test('resources: paths, greedy and variable siblings, renames, cycles', async () => {
  const c = apigw(h.dd);
  const api = await c.send(new CreateRestApiCommand({ name: 'tree' }));
  const pets = await c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
  assert.equal(pets.$metadata.httpStatusCode, 201);
  assert.equal(pets.path, '/pets');
  const sub = await c.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets.id, pathPart: '{id}' }));
  assert.equal(sub.path, '/pets/{id}');
  const dup = await failure(() => c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' })));
  assert.deepEqual([dup.name, dup.message, dup.status], ['ConflictException', 'Another resource with the same parent already has this name: pets', 409]);
  const proxy = await c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
  const sibling = await failure(() => c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{other}' })));
  assert.equal(sibling.message, 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed');
  const child = await failure(() => c.send(new CreateResourceCommand({ restApiId: api.id, parentId: proxy.id, pathPart: 'x' })));
  assert.equal(child.message, 'Cannot create a child of a resource with a greedy path variable: {proxy+}');
  const renamed = await c.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'dogs' }] }));
  assert.equal(renamed.path, '/dogs');
  const all = await c.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.ok(all.items!.some((r) => r.path === '/dogs/{id}'), 'children follow a rename');
  const cyc = await failure(() => c.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/parentId', value: sub.id }] })));
  assert.equal(cyc.message, 'Resources cannot be cyclical.');
  const bad = await failure(() => c.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/invalid', value: 'x' }] })));
  assert.equal(bad.message, "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]");
});

test('methods and integrations: validation, defaults and NotFound messages', async () => {
  const c = apigw(h.dd);
  const api = await c.send(new CreateRestApiCommand({ name: 'm' }));
  const r = { restApiId: api.id, resourceId: api.rootResourceId };
  const badMethod = await failure(() => c.send(new PutMethodCommand({ ...r, httpMethod: 'FETCH', authorizationType: 'NONE' })));
  assert.equal(badMethod.message, 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
  const custom = await failure(() => c.send(new PutMethodCommand({ ...r, httpMethod: 'GET', authorizationType: 'CUSTOM' })));
  assert.equal(custom.message, 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
  const m = await c.send(new PutMethodCommand({ ...r, httpMethod: 'ANY', authorizationType: 'NONE' }));
  assert.deepEqual({ a: m.apiKeyRequired, t: m.authorizationType, h: m.httpMethod, s: m.$metadata.httpStatusCode }, { a: false, t: 'NONE', h: 'ANY', s: 201 });
  const noInt = await failure(() => c.send(new GetIntegrationCommand({ ...r, httpMethod: 'ANY' })));
  assert.deepEqual([noInt.name, noInt.message], ['NotFoundException', 'Invalid Integration identifier specified']);
  const noMethod = await failure(() => c.send(new GetMethodCommand({ ...r, httpMethod: 'GET' })));
  assert.equal(noMethod.message, 'Invalid Method identifier specified');
  const httpNoMethod = await failure(() => c.send(new PutIntegrationCommand({ ...r, httpMethod: 'ANY', type: 'HTTP', uri: 'http://example.com' })));
  assert.equal(httpNoMethod.message, 'Enumeration value for HttpMethod must be non-empty');
  const badUri = await failure(() => c.send(new PutIntegrationCommand({ ...r, httpMethod: 'ANY', type: 'HTTP', integrationHttpMethod: 'GET', uri: 'nope' })));
  assert.equal(badUri.message, 'Invalid HTTP endpoint specified for URI');
  const awsProxy = await failure(() => c.send(new PutIntegrationCommand({ ...r, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/q' })));
  assert.equal(awsProxy.message, "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  const i = await c.send(new PutIntegrationCommand({ ...r, httpMethod: 'ANY', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  assert.deepEqual({ p: i.passthroughBehavior, t: i.timeoutInMillis, ns: i.cacheNamespace }, { p: 'WHEN_NO_MATCH', t: 29000, ns: api.rootResourceId });
  const badStatus = await failure(() => c.send(new PutIntegrationResponseCommand({ ...r, httpMethod: 'ANY', statusCode: 'wrong' })));
  assert.deepEqual([badStatus.name, badStatus.message], ['ValidationException', "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"]);
  const withResp = await c.send(new GetMethodCommand({ ...r, httpMethod: 'ANY' }));
  assert.equal(withResp.methodIntegration?.type, 'MOCK');
});

test('deployments and stages: no methods, stage variables, method settings, active deployment', async () => {
  const c = apigw(h.dd);
  const api = await c.send(new CreateRestApiCommand({ name: 'd' }));
  const empty = await failure(() => c.send(new CreateDeploymentCommand({ restApiId: api.id })));
  assert.deepEqual([empty.name, empty.message], ['BadRequestException', "The REST API doesn't contain any methods"]);
  await c.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  const d = await c.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { v: '1' } }));
  const stage = await c.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.deepEqual([stage.deploymentId, stage.variables], [d.id, { v: '1' }]);
  const s2 = await c.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: d.id }));
  assert.equal(s2.$metadata.httpStatusCode, 201);
  const dupStage = await failure(() => c.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: d.id })));
  assert.deepEqual([dupStage.name, dupStage.message], ['ConflictException', 'Stage already exists']);
  const updated = await c.send(new UpdateStageCommand({
    restApiId: api.id, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '7' }, { op: 'replace', path: '/variables/color', value: 'blue' },
    ],
  }));
  assert.equal(updated.methodSettings?.['*/*']?.throttlingRateLimit, 7);
  assert.equal(updated.methodSettings?.['*/*']?.throttlingBurstLimit, 5000);
  assert.equal(updated.variables?.['color'], 'blue');
  const badPath = await failure(() => c.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/tags/tag1', value: 'x' }] })));
  assert.match(badPath.message, /^Invalid method setting path: \/tags\/tag1\. Must be one of: \[\/deploymentId, /);
  const described = await c.send(new UpdateDeploymentCommand({ restApiId: api.id, deploymentId: d.id, patchOperations: [{ op: 'replace', path: '/description', value: 'v1' }] }));
  assert.equal(described.description, 'v1');
  const active = await failure(() => c.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: d.id })));
  assert.deepEqual([active.name, active.message], ['BadRequestException', 'Active stages pointing to this deployment must be moved or deleted']);
  const noStage = await failure(() => c.send(new GetStageCommand({ restApiId: api.id, stageName: 'nope' })));
  assert.deepEqual([noStage.name, noStage.message, noStage.status], ['NotFoundException', 'Invalid Stage identifier specified', 404]);
});

test('models, validators and gateway responses', async () => {
  const c = apigw(h.dd);
  const api = await c.send(new CreateRestApiCommand({ name: 'parts' }));
  await c.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema: '{"type":"object","properties":{"name":{"type":"string"}}}' }));
  const dup = await failure(() => c.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json' })));
  assert.deepEqual([dup.name, dup.message], ['ConflictException', 'Model name already exists for this REST API']);
  await c.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'Pet' } }));
  const inUse = await failure(() => c.send(new DeleteModelCommand({ restApiId: api.id, modelName: 'Pet' })));
  assert.deepEqual([inUse.name, inUse.message], ['ConflictException', "Cannot delete model 'Pet', is referenced in method request: //ANY"]);
  const noApi = await failure(() => c.send(new CreateRequestValidatorCommand({ restApiId: 'nope', name: 'v' })));
  assert.equal(noApi.message, 'Invalid REST API identifier specified');
  const def = await c.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'THROTTLED' }));
  assert.deepEqual({ s: def.statusCode, d: def.defaultResponse, t: def.responseTemplates }, { s: '429', d: true, t: { 'application/json': '{"message":$context.error.messageString}' } });
  const put = await c.send(new PutGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', responseTemplates: { 'application/json': '{"error":"no route"}' } }));
  assert.deepEqual([put.statusCode, put.defaultResponse], ['404', false]);
  const badType = await failure(() => c.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'FAKE' as never })));
  assert.equal(badType.name, 'ValidationException');
  const upd = await failure(() => c.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })));
  assert.equal(upd.name, 'BadRequestException');
});

test('GetAccount answers the account throttle defaults; UpdateAccount keeps the CloudWatch role', async () => {
  const c = apigw(h.dd);
  const a = await c.send(new GetAccountCommand({}));
  assert.deepEqual(a.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
  const arn = 'arn:aws:iam::000000000000:role/apigw-logs';
  await c.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: arn }] }));
  assert.equal((await c.send(new GetAccountCommand({}))).cloudwatchRoleArn, arn);
});
