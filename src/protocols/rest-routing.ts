import type { ServiceModel } from './model.js';
import { shapeOf } from './model.js';
import { matchRoute, routesOf } from './http-bindings.js';
import type { OperationMatch, WireRequest } from './protocol.js';
import { quirksOf } from './quirks.js';

/**
 * Finds the REST operation a request calls. For S3 the bucket was taken off the host or path
 * by the router; S3's model URIs omit it, so only operations with (or without) a `Bucket`
 * label are candidates and the bucket becomes that label.
 */
export function matchRest(model: ServiceModel, req: WireRequest): OperationMatch | undefined {
  // Empty segments are kept: S3 keys may contain '//' or end in '/'.
  const parts = req.path.split('/').slice(1);
  const s3 = quirksOf(model).s3;
  for (const route of routesOf(model)) {
    if (s3) {
      const input = shapeOf(model, model.operations[route.operation]!.input);
      const wantsBucket = !!input.members?.['Bucket']?.traits?.httpLabel;
      if (wantsBucket !== (req.bucket !== undefined)) continue;
    }
    const labels = matchRoute(route, req.method, parts, req.query);
    if (!labels) continue;
    if (s3) {
      if (req.bucket !== undefined) labels['Bucket'] = req.bucket;
    }
    return { name: route.operation, labels };
  }
  return undefined;
}
