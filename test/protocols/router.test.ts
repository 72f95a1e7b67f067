import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHost, routeRequest, type RouteInput } from '../../src/protocols/router.js';

function req(over: Partial<RouteInput> & { host?: string }): RouteInput {
  const { host = 'localhost:4566', ...rest } = over;
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers: { host, ...(rest.headers ?? {}) }, ...rest, ...(rest.headers ? {} : {}) };
}

test('X-Amz-Target names the service, even when two share a signing name', () => {
  assert.equal(routeRequest(req({ headers: { host: 'localhost:4566', 'x-amz-target': 'DynamoDB_20120810.GetItem' } }))?.service, 'dynamodb');
  assert.equal(routeRequest(req({ headers: { host: 'localhost:4566', 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords' } }))?.service, 'dynamodbstreams');
  assert.equal(routeRequest(req({ headers: { host: 'localhost:4566', 'x-amz-target': 'AmazonSQS.SendMessage' } }))?.service, 'sqs');
});

test('the SigV4 credential scope names service and region', () => {
  const r = routeRequest(req({ scope: { service: 'sts', region: 'eu-west-1' } }));
  assert.deepEqual([r?.service, r?.region], ['sts', 'eu-west-1']);
  assert.equal(routeRequest(req({ scope: { service: 'states', region: 'us-east-1' } }))?.service, 'sfn');
});

test('API Gateway v1 and v2 share a signing name and are told apart by path', () => {
  const v1 = routeRequest(req({ method: 'GET', path: '/restapis', scope: { service: 'apigateway', region: 'us-east-1' } }));
  const v2 = routeRequest(req({ method: 'GET', path: '/v2/apis', scope: { service: 'apigateway', region: 'us-east-1' } }));
  assert.equal(v1?.service, 'apigateway');
  assert.equal(v2?.service, 'apigatewayv2');
});

test('host names: AWS-style, LocalStack-style and S3 virtual hosts', () => {
  assert.deepEqual(parseHost('sqs.eu-central-1.amazonaws.com'), { service: 'sqs', region: 'eu-central-1' });
  assert.deepEqual(parseHost('sqs.eu-central-1.localhost.localstack.cloud:4566'), { service: 'sqs', region: 'eu-central-1' });
  assert.deepEqual(parseHost('my-bucket.s3.localhost.localstack.cloud:4566'), { service: 's3', bucket: 'my-bucket', region: undefined });
  assert.deepEqual(parseHost('my.dotted.bucket.s3.us-west-2.amazonaws.com'), { service: 's3', bucket: 'my.dotted.bucket', region: 'us-west-2' });
  assert.deepEqual(parseHost('photos.localhost:4566'), { service: 's3', bucket: 'photos' });
  assert.deepEqual(parseHost('localhost:4566'), {});
});

test('S3 path-style takes the bucket off the path; virtual-host keeps the path', () => {
  const path = routeRequest(req({ method: 'GET', path: '/bucket/a/b.txt', scope: { service: 's3', region: 'us-east-1' } }));
  assert.deepEqual([path?.service, path?.bucket, path?.path], ['s3', 'bucket', '/a/b.txt']);
  const vhost = routeRequest(req({ method: 'GET', path: '/a/b.txt', host: 'bucket.localhost:4566', scope: { service: 's3', region: 'us-east-1' } }));
  assert.deepEqual([vhost?.bucket, vhost?.path], ['bucket', '/a/b.txt']);
  const root = routeRequest(req({ method: 'GET', path: '/', scope: { service: 's3', region: 'us-east-1' } }));
  assert.equal(root?.bucket, undefined);
});

test('unsigned query requests are routed by Action and Version', () => {
  const q = new URLSearchParams({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
  assert.equal(routeRequest(req({ query: q }))?.service, 'sts');
  const e = new URLSearchParams({ Action: 'DescribeVpcs', Version: '2016-11-15' });
  assert.equal(routeRequest(req({ query: e }))?.service, 'ec2');
});

test('REST paths find their service without other hints', () => {
  assert.equal(routeRequest(req({ method: 'GET', path: '/2015-03-31/functions' }))?.service, 'lambda');
  assert.equal(routeRequest(req({ method: 'GET', path: '/2013-04-01/hostedzone' }))?.service, 'route53');
  const fallback = routeRequest(req({ method: 'GET', path: '/nothing/here/at/all' }));
  assert.deepEqual([fallback.service, fallback.bucket], ['s3', 'nothing']);
});
