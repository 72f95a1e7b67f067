import type { ServiceModel } from './model.js';
import type { ValidationStyle } from './protocol.js';

/**
 * The per-service departures from a protocol's generic behaviour, declared in one place so
 * that the generic codecs stay free of service names.
 */
export interface ServiceQuirks {
  /** How missing required members are reported. */
  validation?: ValidationStyle;
  /** awsQuery XML namespace for services whose model is JSON but which also speak query. */
  queryXmlNamespace?: string;
  /** S3: bucket addressed by host or first path segment; errors as a bare `<Error>`. */
  s3?: boolean;
  /** SigV4 service names besides the model's own that clients sign with (S3 Express: `s3express`). */
  alsoSignedAs?: string[];
  /** The service answers every client error with 400, whatever `httpError` its model declares. */
  clientErrorsAre400?: boolean;
  /** Outputs whose one member is written as the text of the root element (S3 GetBucketLocation). */
  textRootOutputs?: string[];
  /** An output member whose presence turns 200 into 206 Partial Content (S3 ranged reads). */
  partialContentMember?: string;
}

const QUIRKS: Record<string, ServiceQuirks> = {
  sqs: { validation: 'MissingRequiredParameter', queryXmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
  ec2: { validation: 'MissingParameter' },
  kms: { clientErrorsAre400: true },
  s3: {
    s3: true, validation: 'MissingParameter', alsoSignedAs: ['s3express'],
    textRootOutputs: ['GetBucketLocation'], partialContentMember: 'ContentRange',
  },
};

export function quirksOf(model: ServiceModel): ServiceQuirks {
  return quirksFor(model.service);
}

/** The quirks of a service by its key, for code that works from the model index alone. */
export function quirksFor(service: string): ServiceQuirks {
  return QUIRKS[service] ?? {};
}
