import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DeleteApiDestinationCommand, DeleteConnectionCommand, DescribeApiDestinationCommand,
  DescribeConnectionCommand, ListConnectionsCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { useDrydock } from '../../helpers.js';
import { ebClient, failure, uniqueName } from './helpers.js';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

describe('EventBridge connections and API destinations', () => {
  const drydock = useDrydock();
  let server: Server;
  let base = '';
  const seen: Seen[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        if (req.url === '/token') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-1', expires_in: 3600 }));
          return;
        }
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('creates, describes without secrets, updates, lists and deletes connections with AWS\'s errors', async () => {
    const eb = ebClient(drydock.dd);
    const name = uniqueName('conn');
    const made = await eb.send(new CreateConnectionCommand({ Name: name, AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'user', Password: 'pass' } } }));
    assert.equal(made.ConnectionState, 'AUTHORIZED');
    assert.match(made.ConnectionArn!, new RegExp(`^arn:aws:events:us-east-1:000000000000:connection/${name}/[0-9a-f-]{36}$`));
    const d = await eb.send(new DescribeConnectionCommand({ Name: name }));
    assert.deepEqual(d.AuthParameters, { BasicAuthParameters: { Username: 'user' }, InvocationHttpParameters: {} });
    assert.match(d.SecretArn!, new RegExp(`:secret:events!connection/${name}/`));
    await eb.send(new UpdateConnectionCommand({ Name: name, AuthParameters: { BasicAuthParameters: { Username: 'new_user', Password: 'new_pass' } } }));
    assert.equal((await eb.send(new DescribeConnectionCommand({ Name: name }))).AuthParameters!.BasicAuthParameters!.Username, 'new_user');
    assert.deepEqual((await eb.send(new ListConnectionsCommand({ NamePrefix: name }))).Connections!.map((c) => [c.Name, c.AuthorizationType]), [[name, 'BASIC']]);
    const bad = await failure(() => eb.send(new CreateConnectionCommand({ Name: 'Invalid Name With Spaces!', AuthorizationType: 'INVALID' as never, AuthParameters: {} })));
    assert.equal(bad.message, "2 validation errors detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value 'INVALID' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]");
    assert.equal((await eb.send(new DeleteConnectionCommand({ Name: name }))).ConnectionState, 'DELETING');
    const gone = await failure(() => eb.send(new DescribeConnectionCommand({ Name: name })));
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `Failed to describe the connection(s). Connection '${name}' does not exist.`]);
  });

  it('validates API destinations as AWS does', async () => {
    const eb = ebClient(drydock.dd);
    const bad = await failure(() => eb.send(new CreateApiDestinationCommand({ Name: uniqueName(), ConnectionArn: 'invalid-connection-arn', InvocationEndpoint: base, HttpMethod: 'INVALID_METHOD' as never })));
    assert.match(bad.message, /^2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: .*; Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: \[HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS\]$/);
    const missing = await failure(() => eb.send(new DescribeApiDestinationCommand({ Name: 'nope' })));
    assert.equal(missing.message, "Failed to describe the api-destination(s). An api-destination 'nope' does not exist.");
  });

  it('delivers events over HTTP with the connection\'s auth and parameters, within the rate limit on the clock', async () => {
    const eb = ebClient(drydock.dd);
    const conn = (await eb.send(new CreateConnectionCommand({
      Name: uniqueName('conn'), AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-team', Value: 'red' }] } },
    }))).ConnectionArn!;
    const dest = (await eb.send(new CreateApiDestinationCommand({
      Name: uniqueName('dest'), ConnectionArn: conn, InvocationEndpoint: `${base}/orders/*`, HttpMethod: 'POST', InvocationRateLimitPerSecond: 1,
    }))).ApiDestinationArn!;
    const source = uniqueName('app');
    const rule = uniqueName('r');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'api', Arn: dest, HttpParameters: { PathParameterValues: ['o-1'], QueryStringParameters: { q: '1' } }, InputPath: '$.detail' }] }));
    const clock = drydock.dd.app.clock;
    clock.freeze(true);
    try {
      seen.length = 0;
      await eb.send(new PutEventsCommand({ Entries: [1, 2].map((n) => ({ Source: source, DetailType: 'x', Detail: JSON.stringify({ n }) })) }));
      assert.equal(seen.length, 1, 'the second request waits for the next second');
      assert.deepEqual([seen[0]!.method, seen[0]!.url, seen[0]!.headers['x-api-key'], seen[0]!.headers['x-team'], JSON.parse(seen[0]!.body)], ['POST', '/orders/o-1?q=1', 'secret', 'red', { n: 1 }]);
      clock.advance(1);
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(JSON.parse(seen[1]!.body), { n: 2 });
    } finally {
      clock.freeze(false);
    }
  });

  it('fetches and uses an OAuth client-credentials token', async () => {
    const eb = ebClient(drydock.dd);
    const conn = (await eb.send(new CreateConnectionCommand({
      Name: uniqueName('oauth'), AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: { AuthorizationEndpoint: `${base}/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'id', ClientSecret: 'sec' } } },
    }))).ConnectionArn!;
    const destName = uniqueName('dest');
    const dest = (await eb.send(new CreateApiDestinationCommand({ Name: destName, ConnectionArn: conn, InvocationEndpoint: `${base}/hook`, HttpMethod: 'PUT' }))).ApiDestinationArn!;
    const source = uniqueName('app');
    const rule = uniqueName('r');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'api', Arn: dest }] }));
    seen.length = 0;
    await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{}' }] }));
    assert.deepEqual([seen[0]?.method, seen[0]?.url, seen[0]?.headers['authorization']], ['PUT', '/hook', 'Bearer tok-1']);
    await eb.send(new DeleteApiDestinationCommand({ Name: destName }));
  });
});
