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
}

const QUIRKS: Record<string, ServiceQuirks> = {
  sqs: { validation: 'MissingParameter', queryXmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
  ec2: { validation: 'MissingParameter' },
  s3: { s3: true, validation: 'MissingParameter' },
};

export function quirksOf(model: ServiceModel): ServiceQuirks {
  return QUIRKS[model.service] ?? {};
}
