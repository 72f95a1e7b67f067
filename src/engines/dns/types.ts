/**
 * The data the DNS engine decides on: hosted zones and their record sets as Route 53 stores
 * them (API member names), the client's location, and health as the caller sees it.
 */

export interface GeoLocation { ContinentCode?: string; CountryCode?: string; SubdivisionCode?: string }

export interface GeoProximity {
  AWSRegion?: string;
  LocalZoneGroup?: string;
  Coordinates?: { Latitude: string; Longitude: string };
  Bias?: number;
}

export interface AliasTarget { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean }

/** One resource record set, as ChangeResourceRecordSets stores it (names lowercase, absolute). */
export interface RecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Weight?: number;
  Region?: string;
  GeoLocation?: GeoLocation;
  Failover?: 'PRIMARY' | 'SECONDARY';
  MultiValueAnswer?: boolean;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: AliasTarget;
  HealthCheckId?: string;
  CidrRoutingConfig?: { CollectionId: string; LocationName: string };
  GeoProximityLocation?: GeoProximity;
}

/** A hosted zone the engine may answer from. */
export interface Zone {
  id: string;
  /** Absolute, lowercase: `example.com.` */
  name: string;
  private: boolean;
  records: RecordSet[];
}

/** Where a query comes from, as the DNS server or TestDNSAnswer worked it out. */
export interface ClientInfo {
  /** The address the engine locates the client by: the EDNS client subnet, else the source. */
  ip?: string;
  /** How `ip` was learnt, for the explanation. */
  source?: 'edns-client-subnet' | 'source-address' | 'resolver-ip';
}

/** A CIDR collection: location name → CIDR blocks. */
export type CidrCollections = (collectionId: string) => { location: string; cidrs: string[] }[] | undefined;

/** One answer record in presentation form (value as Route 53 stores it). */
export interface AnswerRecord { name: string; type: string; ttl: number; value: string }

/** Which record set a routing rule chose, and why. */
export interface Choice {
  name: string;
  type: string;
  setIdentifier?: string;
  rule: 'simple' | 'weighted' | 'failover' | 'multivalue' | 'latency' | 'geolocation' | 'geoproximity' | 'ip-based' | 'alias' | 'cname' | 'delegation';
  reason: string;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';

export interface DnsAnswer {
  rcode: Rcode;
  /** AA flag: answered from a zone Drydock is authoritative for. */
  authoritative: boolean;
  answers: AnswerRecord[];
  authority: AnswerRecord[];
  zone?: { id: string; name: string; private: boolean };
  choices: Choice[];
  /** Lines of the explanation, in the order the engine decided. */
  explanation: string[];
}

export interface DnsQuery {
  name: string;
  type: string;
  client: ClientInfo;
  /** Health of a health check by id; checks the caller does not know count as healthy. */
  healthy(healthCheckId: string): boolean;
  cidrCollections?: CidrCollections;
  /** Build the explanation (default true); the DNS server skips it unless the client asks. */
  explain?: boolean;
  /** Uniform [0, 1) for weighted and multivalue choices. */
  random?: () => number;
}
