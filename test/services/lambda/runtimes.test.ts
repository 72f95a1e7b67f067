/** The python3 bootstrap, provided.al2023 bootstraps as given, and function URLs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { useDrydock } from '../../helpers.js';
import { createNodeFunction, executionRole, hostRequest, invoke, json, lambdaClient, tail, zip } from './helpers.js';

const h = useDrydock();

test('python3: handler, context, print and logging, errors as the Python runtime formats them', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'py-role');
  await client.send(new CreateFunctionCommand({
    FunctionName: 'py', Role: role, Runtime: 'python3.12', Handler: 'app.handler',
    Code: { ZipFile: zip({ 'app.py': `
import logging, os
log = logging.getLogger()
def handler(event, context):
    print("hello from python")
    log.warning("careful")
    if event.get("fail"):
        raise ValueError("bad value")
    return {"sum": event["a"] + event["b"], "name": context.function_name, "left": context.get_remaining_time_in_millis() > 0}
` }) },
  }));
  const out = await invoke(client, 'py', { a: 2, b: 3 }, { LogType: 'Tail' });
  assert.deepEqual(json(out), { sum: 5, name: 'py', left: true });
  assert.match(tail(out), /hello from python\n/);
  assert.match(tail(out), /\[WARNING\]\t\S+Z\t[0-9a-f-]+\tcareful/);
  assert.match(tail(out), /REPORT RequestId: .*Init Duration/);
  const failed = await invoke(client, 'py', { fail: true });
  assert.equal(failed.FunctionError, 'Unhandled');
  const err = json(failed) as { errorType: string; errorMessage: string; stackTrace: string[]; requestId: string };
  assert.deepEqual([err.errorType, err.errorMessage], ['ValueError', 'bad value']);
  assert.ok(err.stackTrace.some((l) => l.includes('app.py')));
  await client.send(new CreateFunctionCommand({
    FunctionName: 'py-missing', Role: role, Runtime: 'python3.12', Handler: 'nothere.handler', Code: { ZipFile: zip({ 'app.py': 'x = 1' }) },
  }));
  const missing = json(await invoke(client, 'py-missing')) as { errorType: string; errorMessage: string };
  assert.deepEqual([missing.errorType, missing.errorMessage], ['Runtime.ImportModuleError', "Unable to import module 'nothere': No module named 'nothere'"]);
});

test('provided.al2023: the bootstrap in the zip runs as given, speaking the Runtime API', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'custom-role');
  // A shell bootstrap that drives the Runtime API with node's http (any runtime interface client works).
  const bootstrap = `#!/bin/sh
exec "${process.execPath}" -e '
const http = require("http");
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
function call(method, path, body) { return new Promise((ok) => { const r = http.request({ host, port, method, path: "/2018-06-01/runtime" + path }, (res) => { let b = ""; res.on("data", (c) => b += c); res.on("end", () => ok({ h: res.headers, b })); }); r.end(body); }); }
(async () => { for (;;) { const n = await call("GET", "/invocation/next"); const id = n.h["lambda-runtime-aws-request-id"]; await call("POST", "/invocation/" + id + "/response", JSON.stringify({ custom: JSON.parse(n.b), handler: process.env._HANDLER })); } })();
'
`;
  await client.send(new CreateFunctionCommand({
    FunctionName: 'custom', Role: role, Runtime: 'provided.al2023', Handler: 'my.handler', Code: { ZipFile: zip({ bootstrap }) },
  }));
  assert.deepEqual(json(await invoke(client, 'custom', { x: 1 })), { custom: { x: 1 }, handler: 'my.handler' });
});

test('a function URL with auth NONE answers HTTP with payload format 2.0, once the policy allows it', async () => {
  const client = lambdaClient(h.dd);
  const role = await executionRole(h.dd, 'url-role');
  await createNodeFunction(client, role, 'web', `exports.handler = async (e) => ({
    statusCode: 201, headers: { 'x-path': e.rawPath }, body: JSON.stringify({ method: e.requestContext.http.method, q: e.queryStringParameters, body: e.body, v: e.version }) });`);
  const { FunctionUrl } = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
  assert.match(FunctionUrl!, /^http:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost\.localstack\.cloud:\d+\/$/);
  const denied = await hostRequest(h.dd.endpoint, `${FunctionUrl}items?x=1`);
  assert.equal(denied.status, 403);
  await client.send(new AddPermissionCommand({
    FunctionName: 'web', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
  }));
  const res = await hostRequest(h.dd.endpoint, `${FunctionUrl}items?x=1`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
  assert.equal(res.status, 201);
  assert.equal(res.headers['x-path'], '/items');
  assert.deepEqual(JSON.parse(res.body.toString()), { method: 'POST', q: { x: '1' }, body: 'hi', v: '2.0' });
});
