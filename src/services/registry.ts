import type { ServiceDefinition } from './types.js';

/**
 * Services with handlers, loaded on first use so that start-up and idle memory stay small.
 * A service with a model but no entry here answers not-implemented for every operation.
 */
const LOADERS: Record<string, () => Promise<{ default: ServiceDefinition }>> = {
  kms: () => import('./kms/index.js'),
  iam: () => import('./iam/index.js'),
  sts: () => import('./sts/index.js'),
  sqs: () => import('./sqs/index.js'),
  sns: () => import('./sns/index.js'),
  organizations: () => import('./organizations/index.js'),
  s3: () => import('./s3/index.js'),
  dynamodb: () => import('./dynamodb/index.js'),
  dynamodbstreams: () => import('./dynamodbstreams/index.js'),
  lambda: () => import('./lambda/index.js'),
  logs: () => import('./logs/index.js'),
  apigateway: () => import('./apigateway/index.js'),
  apigatewayv2: () => import('./apigatewayv2/index.js'),
  events: () => import('./events/index.js'),
  scheduler: () => import('./scheduler/index.js'),
  sfn: () => import('./sfn/index.js'),
  ec2: () => import('./ec2/index.js'),
  directconnect: () => import('./directconnect/index.js'),
  route53: () => import('./route53/index.js'),
  route53resolver: () => import('./route53resolver/index.js'),
};

function hostOf(headers: Record<string, string | string[] | undefined>): string {
  const h = headers['host'];
  return (Array.isArray(h) ? h[0] : h ?? '').toLowerCase();
}

/**
 * Requests that belong to a service's data plane rather than to its API, and the service that
 * answers them: decided from the path and host alone, so nothing loads for other requests.
 */
export const FRONT_DOORS: readonly { service: string; claims(method: string, url: string, headers: Record<string, string | string[] | undefined>): boolean }[] = [
  // REST API invoke URLs: /restapis/<id>/<stage>/_user_request_/<path>, or <id>.execute-api.<domain>.
  { service: 'apigateway', claims: (_m, url, h) => (url.startsWith('/restapis/') && url.includes('/_user_request_/')) || /^[a-z0-9]+\.execute-api\./.test(hostOf(h)) },
  // Function URLs: <url-id>.lambda-url.<region>.<domain>.
  { service: 'lambda', claims: (_m, _url, h) => /^[a-z0-9]+\.lambda-url\./.test(hostOf(h)) },
];

const loaded = new Map<string, ServiceDefinition | null>();

export async function serviceDefinition(name: string): Promise<ServiceDefinition | undefined> {
  if (loaded.has(name)) return loaded.get(name) ?? undefined;
  const def = LOADERS[name] ? (await LOADERS[name]!()).default : null;
  loaded.set(name, def);
  return def ?? undefined;
}

/** Names of the services that have handlers. */
export function implementedServices(): string[] {
  return Object.keys(LOADERS);
}
