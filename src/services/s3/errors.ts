/**
 * S3 errors with the codes, statuses, message texts and extra XML elements AWS answers
 * (taken from recorded AWS answers). S3 errors carry details such as `BucketName` or `Key`
 * as elements of `<Error>`; they travel in `fields`.
 */
import { AwsError } from '../../core/errors.js';

function e(code: string, message: string, status: number, fields?: Record<string, unknown>): AwsError {
  return new AwsError(code, message, status, { fields });
}

/** `NoSuchBucket`. */
export function noSuchBucket(bucket: string): AwsError {
  return e('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

/** `NoSuchKey`. */
export function noSuchKey(key: string): AwsError {
  return e('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
}

/** `NoSuchVersion`: a version id that is well formed but names no version of the key. */
export function noSuchVersion(key: string, versionId: string): AwsError {
  return e('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
}

/** `NoSuchUpload`. */
export function noSuchUpload(uploadId: string): AwsError {
  return e('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId });
}

/** `InvalidArgument` naming the offending argument (and its value, when AWS shows it). */
export function invalidArgument(message: string, name: string, value?: string): AwsError {
  return e('InvalidArgument', message, 400, value === undefined ? { ArgumentName: name } : { ArgumentName: name, ArgumentValue: value });
}

/** `InvalidRequest` with AWS's free-form message. */
export function invalidRequest(message: string): AwsError {
  return e('InvalidRequest', message, 400);
}

const MALFORMED_XML = 'The XML you provided was not well-formed or did not validate against our published schema';

/** `MalformedXML`: a configuration body that does not validate. */
export function malformedXml(): AwsError {
  return e('MalformedXML', MALFORMED_XML, 400);
}

/** `MalformedACLError`. */
export function malformedAcl(): AwsError {
  return e('MalformedACLError', MALFORMED_XML, 400);
}

/** `PreconditionFailed` naming the header whose condition did not hold. */
export function preconditionFailed(condition: string): AwsError {
  return e('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
}

/** 304 for GET/HEAD: S3 sends no body, so clients see only the status. */
export function notModified(): AwsError {
  return e('NotModified', 'Not Modified', 304);
}

/** `ConditionalRequestConflict`: the object changed between CreateMultipartUpload and Complete. */
export function conditionalConflict(condition: string, key: string): AwsError {
  return e('ConditionalRequestConflict', 'The conditional request cannot succeed due to a conflicting operation against this resource.', 409, { Condition: condition, Key: key });
}

/** S3's NotImplemented for a header value it does not support. */
export function headerNotImplemented(header: string, additionalMessage?: string): AwsError {
  const fields: Record<string, unknown> = { Header: header };
  if (additionalMessage) fields['additionalMessage'] = additionalMessage;
  return e('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, fields);
}

/** `AccessDenied` as S3 words it. */
export function accessDenied(message = 'Access Denied'): AwsError {
  return e('AccessDenied', message, 403);
}

/** `MethodNotAllowed`, e.g. GetObject on a delete marker. */
export function methodNotAllowed(method: string, resourceType: string, headers?: Record<string, string>): AwsError {
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405,
    { fields: { Method: method, ResourceType: resourceType }, headers });
}

/** `InvalidBucketName`. */
export function invalidBucketName(bucket: string): AwsError {
  return e('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
}

/** `InvalidRange` (416) for a Range that starts past the end of the object. */
export function invalidRange(range: string, size: number): AwsError {
  return e('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: String(size) });
}

/** `InvalidStorageClass`. */
export function invalidStorageClass(requested: string): AwsError {
  return e('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: requested });
}

/** `InvalidTag` with the key (and value) at fault. */
export function invalidTag(message: string, fields: Record<string, string> = {}): AwsError {
  return e('InvalidTag', message, 400, fields);
}

/** `MalformedPolicy` with S3's wording. */
export function malformedPolicy(message: string): AwsError {
  return e('MalformedPolicy', message, 400);
}

/** A configuration read before one was put (`NoSuchCORSConfiguration`, `NoSuchTagSet`, …). */
export function noSuchConfiguration(code: string, message: string, bucket: string): AwsError {
  return e(code, message, 404, { BucketName: bucket });
}
