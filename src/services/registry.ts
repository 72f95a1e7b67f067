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
};

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
