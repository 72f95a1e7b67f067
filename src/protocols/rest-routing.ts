import type { ServiceModel } from './model.js';
import type { Route } from './http-bindings.js';
import { matchRoute, routesFor } from './http-bindings.js';
import type { OperationMatch, WireRequest } from './protocol.js';
import { quirksOf } from './quirks.js';

/**
 * Finds the REST operation a request calls. Several operations may share a method and URI
 * (S3's `PUT /{Key+}` is PutObject, CopyObject, UploadPart or UploadPartCopy); the one
 * named by the SDK's `x-id` parameter wins, else the most specific, and among equally specific
 * ones the one whose required query parameters and headers are all present.
 *
 * For S3 the bucket was taken off the host or path by the router; S3's model URIs omit it,
 * so only operations with (or without) a `Bucket` label are candidates and the bucket becomes
 * that label. A "bucket" taken from the host may instead be the host prefix of an operation
 * addressed that way (WriteGetObjectResponse's `{RequestRoute}.`).
 */
export function matchRest(model: ServiceModel, req: WireRequest): OperationMatch | undefined {
  // Empty segments are kept: S3 keys may contain '//' or end in '/'.
  const parts = req.path.split('/').slice(1);
  const s3 = quirksOf(model).s3;
  let best: { route: Route; labels: Record<string, string>; rank: number[] } | undefined;
  const hasBucket = req.bucket !== undefined;
  for (const route of routesFor(model, req.method)) {
    const bucketLabel = s3 && route.bucketLabel;
    if (s3 && bucketLabel !== hasBucket && !(hasBucket && route.hostLabels)) continue;
    const labels = matchRoute(route, req.method, parts, req.query);
    if (!labels) continue;
    if (bucketLabel) labels['Bucket'] = req.bucket!;
    const present = route.requiredQuery.filter((k) => req.query.has(k)).length
      + route.requiredHeaders.filter((h) => req.headers[h] !== undefined).length;
    const complete = present === route.requiredQuery.length + route.requiredHeaders.length ? 1 : 0;
    const named = route.xId !== undefined && req.query.get('x-id') === route.xId ? 1 : 0;
    // Specificity first, so that a request missing a required parameter of its operation is
    // told so rather than taken for a less specific one (PutBucketAnalyticsConfiguration
    // without `id` is not CreateBucket).
    const rank = [named, route.score, complete, present];
    if (!best || outranks(rank, best.rank)) best = { route, labels, rank };
  }
  return best && { name: best.route.operation, labels: best.labels };
}

function outranks(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}
