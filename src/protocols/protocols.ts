import type { ProtocolName, ServiceModel } from './model.js';
import type { Protocol, WireRequest } from './protocol.js';
import { AwsJsonProtocol, RestJsonProtocol } from './json-protocols.js';
import { QueryProtocol, RestXmlProtocol } from './xml-protocols.js';

const PROTOCOLS: Record<ProtocolName, Protocol> = {
  awsJson1_0: new AwsJsonProtocol('awsJson1_0'),
  awsJson1_1: new AwsJsonProtocol('awsJson1_1'),
  restJson1: new RestJsonProtocol(),
  awsQuery: new QueryProtocol('awsQuery'),
  ec2Query: new QueryProtocol('ec2Query'),
  restXml: new RestXmlProtocol(),
};

/**
 * The protocol a request speaks. A JSON service marked `awsQueryCompatible` (SQS) also
 * accepts the query form that older clients (AWS CLI 2.9, boto3 1.26) still send.
 */
export function protocolFor(model: ServiceModel, req: WireRequest): Protocol {
  if (model.awsQueryCompatible && !req.headers['x-amz-target']) return PROTOCOLS.awsQuery;
  return PROTOCOLS[model.protocol];
}

export function protocolNamed(name: ProtocolName): Protocol {
  return PROTOCOLS[name];
}
