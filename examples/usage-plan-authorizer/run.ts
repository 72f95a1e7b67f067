/**
 * Handbook ch. 4 part 3 (Advanced API Management): a REST API protected by a Lambda TOKEN
 * authorizer and a usage plan (rate 5/s, burst 5, quota 100 per day) with an API key.
 * Inside one second the sixth request is throttled (429 Too Many Requests); no token is 401,
 * a token the authorizer denies is 403; the 101st request of the day is 429 Limit Exceeded,
 * GetUsage counts 100, and the quota resets when the clock passes midnight UTC.
 *
 *   node --import tsx examples/usage-plan-authorizer/run.ts
 */
import { zipSync, strToU8 } from 'fflate';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand,
  CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetUsageCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { policy, runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';

/** The authorizer: `allow-<name>` may call anything in the API; any other token gets an explicit Deny. */
const AUTHORIZER = `exports.handler = async (event) => {
  const ok = /^allow-[a-z]+$/.test(event.authorizationToken);
  const [arn, rest] = [event.methodArn.split('/')[0], '/*/*'];
  return {
    principalId: ok ? event.authorizationToken.slice(6) : 'anonymous',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: arn + rest }] },
    context: { plan: 'gold' },
  };
};`;

async function admin(endpoint: string, body: unknown): Promise<void> {
  const r = await fetch(`${endpoint}/_drydock/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`POST /_drydock/clock answered ${r.status}`);
}

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('usage-plan-authorizer', t);
    const account = s.account('000000000000');
    const cfg = { endpoint: s.endpoint, region: 'us-east-1', credentials: s.root(account), maxAttempts: 1 };
    const apigw = new APIGatewayClient(cfg);
    const lambda = new LambdaClient(cfg);
    const suffix = Math.random().toString(36).slice(2, 8);
    const today = new Date().toISOString().slice(0, 10);
    await admin(s.endpoint, { set: `${today}T23:59:00.000Z` });
    await admin(s.endpoint, { freeze: true });
    try {
      s.section('a TOKEN authorizer function that API Gateway may invoke');
      const role = await new IAMClient(cfg).send(new CreateRoleCommand({ RoleName: `authorizer-${suffix}`, AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
      const fn = await lambda.send(new CreateFunctionCommand({
        FunctionName: `token-authorizer-${suffix}`, Role: role.Role!.Arn!, Runtime: 'nodejs20.x', Handler: 'index.handler',
        Code: { ZipFile: zipSync({ 'index.js': strToU8(AUTHORIZER) }) },
      }));
      await lambda.send(new AddPermissionCommand({
        FunctionName: fn.FunctionName, StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:us-east-1:${account}:*`,
      }));

      s.section('GET /orders: CUSTOM authorization and an API key required, deployed to prod');
      const api = await apigw.send(new CreateRestApiCommand({ name: `orders-${suffix}` }));
      const r = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'orders' }));
      const auth = await apigw.send(new CreateAuthorizerCommand({
        restApiId: api.id, name: 'token', type: 'TOKEN', identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300,
        authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations`,
      }));
      const m = { restApiId: api.id, resourceId: r.id, httpMethod: 'GET' };
      await apigw.send(new PutMethodCommand({ ...m, authorizationType: 'CUSTOM', authorizerId: auth.id, apiKeyRequired: true }));
      await apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
      await apigw.send(new PutIntegrationResponseCommand({
        ...m, statusCode: '200', responseTemplates: { 'application/json': '{"orders":[],"for":"$context.authorizer.principalId","plan":"$context.authorizer.plan"}' },
      }));
      await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));

      s.section('a usage plan: rate 5, burst 5, quota 100 per DAY, and a key on it');
      const plan = await apigw.send(new CreateUsagePlanCommand({
        name: `gold-${suffix}`, apiStages: [{ apiId: api.id, stage: 'prod' }], throttle: { rateLimit: 5, burstLimit: 5 }, quota: { limit: 100, period: 'DAY' },
      }));
      const key = await apigw.send(new CreateApiKeyCommand({ name: `customer-${suffix}`, enabled: true }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
      const url = `${s.endpoint}/restapis/${api.id}/prod/_user_request_/orders`;
      const get = async (headers: Record<string, string>) => {
        const res = await fetch(url, { headers });
        return { status: res.status, body: await res.text() };
      };
      const good = { authorization: 'allow-alice', 'x-api-key': key.value! };

      s.section('throttling: five requests inside one second pass, the sixth is 429');
      const burst = [];
      for (let i = 0; i < 6; i++) burst.push(await get(good));
      s.check('requests 1–5 answer 200 with the authorizer context', burst.slice(0, 5).every((b) => b.status === 200) && burst[0]!.body.includes('"for":"alice"'), burst[0]!.body);
      s.check('request 6 answers 429 {"message":"Too Many Requests"}', burst[5]!.status === 429 && burst[5]!.body === '{"message":"Too Many Requests"}', JSON.stringify(burst[5]));

      s.section('the authorizer: no token 401, a denied token 403');
      const none = await get({ 'x-api-key': key.value! });
      s.check('no Authorization header: 401 {"message":"Unauthorized"}', none.status === 401 && none.body === '{"message":"Unauthorized"}', JSON.stringify(none));
      const bad = await get({ authorization: 'stolen-token', 'x-api-key': key.value! });
      s.check('a token the authorizer denies: 403 with AWS\'s explicit-deny message', bad.status === 403 && bad.body.includes('User is not authorized to access this resource with an explicit deny'), JSON.stringify(bad));
      const noKey = await get({ authorization: 'allow-alice' });
      s.check('a valid token but no API key: 403 {"message":"Forbidden"}', noKey.status === 403 && noKey.body === '{"message":"Forbidden"}', JSON.stringify(noKey));

      s.section('the quota: 100 requests a day, counted per key');
      let used = 5;
      while (used < 100) {
        await s.advanceClock(1);
        for (let i = 0; i < 5 && used < 100; i++, used++) {
          const res = await get(good);
          if (res.status !== 200) throw new Error(`request ${used + 1} answered ${res.status} ${res.body}`);
        }
      }
      await s.advanceClock(1);
      const over = await get(good);
      s.check('request 101 of the day answers 429 {"message":"Limit Exceeded"}', over.status === 429 && over.body === '{"message":"Limit Exceeded"}', JSON.stringify(over));
      const usage = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: today, endDate: today }));
      const [usedToday, remaining] = usage.items?.[key.id!]?.[0] ?? [];
      s.check('GetUsage reports 100 used and 0 remaining today', usedToday === 100 && remaining === 0, JSON.stringify(usage.items));
      s.fact('usedToday', String(usedToday));

      s.section('midnight UTC: the quota resets');
      await s.advanceClock(60);
      const tomorrow = await get(good);
      s.check('after midnight the same key answers 200 again', tomorrow.status === 200, JSON.stringify(tomorrow));
    } finally {
      await admin(s.endpoint, { freeze: false });
      await admin(s.endpoint, { set: new Date().toISOString() });
    }
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
