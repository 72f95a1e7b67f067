/**
 * The AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<action>`): which Drydock
 * model a service id names, how Step Functions' PascalCase JSON maps onto the model's member
 * names (camelCase for some services) and back, and the `<Service>.<Exception>` error names
 * AWS gives failures (the Java SDK v2 names).
 */
import { loadModel, modelIndex, type ServiceModel } from '../../protocols/model.js';

// Service ids Step Functions uses that differ from Drydock's model names, and the SDK v2
// service names errors are prefixed with.
const MODEL_OF: Record<string, string> = { eventbridge: 'events', cloudwatchlogs: 'logs', apigatewayv2: 'apigatewayv2', sfn: 'sfn' };
const ERROR_PREFIX: Record<string, string> = {
  dynamodb: 'DynamoDb', s3: 'S3', sqs: 'Sqs', sns: 'Sns', lambda: 'Lambda', sfn: 'Sfn', eventbridge: 'EventBridge', iam: 'Iam',
  kms: 'Kms', sts: 'Sts', cloudwatchlogs: 'CloudWatchLogs', apigateway: 'ApiGateway', ec2: 'Ec2', route53: 'Route53',
  scheduler: 'Scheduler', organizations: 'Organizations', dynamodbstreams: 'DynamoDbStreams', directconnect: 'DirectConnect',
  route53resolver: 'Route53Resolver', apigatewayv2: 'ApiGatewayV2',
};

/** The Drydock model name of an SDK integration's service id, or undefined when it has none. */
export function modelFor(serviceId: string): string | undefined {
  const name = MODEL_OF[serviceId] ?? serviceId;
  return modelIndex()[name] ? name : undefined;
}

/** The operation an action names (`getItem` → `GetItem`), if the model has it. */
export function operationFor(model: ServiceModel, action: string): string | undefined {
  const want = action.toLowerCase();
  return Object.keys(model.operations).find((o) => o.toLowerCase() === want);
}

export function errorPrefix(serviceId: string): string {
  return ERROR_PREFIX[serviceId] ?? serviceId[0]!.toUpperCase() + serviceId.slice(1);
}

/** `<Service>.<Code>Exception` as AWS names an SDK integration's error; unmodelled codes are the service's generic exception. */
export function sdkErrorName(serviceId: string, code: string): string {
  const prefix = errorPrefix(serviceId);
  const modelName = modelFor(serviceId);
  const modelled = modelName !== undefined && loadModel(modelName).shapes[code]?.error !== undefined;
  if (!modelled || code === 'ValidationException') return `${prefix}.${prefix}Exception`;
  return `${prefix}.${code.endsWith('Exception') ? code : `${code}Exception`}`;
}

/** Which model member a JSON key is, and the key it gets in the result. */
type Rename = (members: string[], key: string) => [member: string, out: string] | undefined;

function walk(model: ServiceModel, v: unknown, shapeId: string, rename: Rename): unknown {
  const generic = /^#(list|map)<(.+)>$/.exec(shapeId);
  if (generic) {
    if (generic[1] === 'list' && Array.isArray(v)) return v.map((x) => walk(model, x, generic[2]!, rename));
    if (generic[1] === 'map' && v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(model, x, generic[2]!, rename)]));
    }
    return v;
  }
  if (shapeId.startsWith('#')) return v;
  const shape = model.shapes[shapeId];
  if (!shape || v === null || typeof v !== 'object') return v;
  if (shape.type === 'list' && Array.isArray(v) && shape.member) return v.map((x) => walk(model, x, shape.member!.target, rename));
  if (shape.type === 'map' && shape.value) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(model, x, shape.value!.target, rename)]));
  }
  if ((shape.type === 'structure' || shape.type === 'union') && shape.members) {
    const names = Object.keys(shape.members);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = rename(names, k);
      if (r === undefined) { out[k] = x; continue; }
      out[r[1]] = walk(model, x, shape.members[r[0]]!.target, rename);
    }
    return out;
  }
  return v;
}

/** PascalCase SDK-integration input → the model's member names (case-insensitive match). */
export function toModelNames(model: ServiceModel, shapeId: string, v: unknown): Record<string, unknown> {
  return walk(model, v ?? {}, shapeId, (names, key) => {
    const n = names.find((m) => m.toLowerCase() === key.toLowerCase());
    return n === undefined ? undefined : [n, n];
  }) as Record<string, unknown>;
}

/** Model output → PascalCase members, as Step Functions returns SDK-integration results. */
export function toPascalNames(model: ServiceModel, shapeId: string, v: unknown): unknown {
  return walk(model, v, shapeId, (names, key) => (names.includes(key) ? [key, key[0]!.toUpperCase() + key.slice(1)] : undefined));
}
