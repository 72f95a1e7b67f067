#!/usr/bin/env node
// Extracts the static Smithy schemas shipped in the pinned @aws-sdk/client-* packages into
// Drydock's own JSON model format (models/<service>.json). This script and
// src/protocols/model.ts are the only places that know the SDK's compact schema encoding and
// the model file format respectively; a change of model source touches this file only.
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'models');

/** Drydock service key → SDK package and the endpoint prefix used in host names. */
export const SERVICES = {
  sts: { pkg: 'sts', endpointPrefix: 'sts' },
  iam: { pkg: 'iam', endpointPrefix: 'iam' },
  organizations: { pkg: 'organizations', endpointPrefix: 'organizations' },
  kms: { pkg: 'kms', endpointPrefix: 'kms' },
  s3: { pkg: 's3', endpointPrefix: 's3' },
  sqs: { pkg: 'sqs', endpointPrefix: 'sqs' },
  sns: { pkg: 'sns', endpointPrefix: 'sns' },
  lambda: { pkg: 'lambda', endpointPrefix: 'lambda' },
  apigateway: { pkg: 'api-gateway', endpointPrefix: 'apigateway' },
  apigatewayv2: { pkg: 'apigatewayv2', endpointPrefix: 'apigateway' },
  events: { pkg: 'eventbridge', endpointPrefix: 'events' },
  scheduler: { pkg: 'scheduler', endpointPrefix: 'scheduler' },
  sfn: { pkg: 'sfn', endpointPrefix: 'states' },
  dynamodb: { pkg: 'dynamodb', endpointPrefix: 'dynamodb' },
  dynamodbstreams: { pkg: 'dynamodb-streams', endpointPrefix: 'streams.dynamodb' },
  ec2: { pkg: 'ec2', endpointPrefix: 'ec2' },
  directconnect: { pkg: 'direct-connect', endpointPrefix: 'directconnect' },
  route53: { pkg: 'route-53', endpointPrefix: 'route53' },
  route53resolver: { pkg: 'route53resolver', endpointPrefix: 'route53resolver', botocore: 'route53resolver' },
  logs: { pkg: 'cloudwatch-logs', endpointPrefix: 'logs' },
};

const PROTOCOLS = {
  AwsQueryProtocol: 'awsQuery',
  AwsEc2QueryProtocol: 'ec2Query',
  AwsJson1_0Protocol: 'awsJson1_0',
  AwsJson1_1Protocol: 'awsJson1_1',
  AwsRestJsonProtocol: 'restJson1',
  AwsRestXmlProtocol: 'restXml',
  S3RestXmlProtocol: 'restXml',
};

// Bit-packed traits, in the order @smithy/core/schema's translateTraits reads them.
const BIT_TRAITS = ['httpLabel', 'idempotent', 'idempotencyToken', 'sensitive', 'httpPayload', 'httpResponseCode', 'httpQueryParams'];

const SIMPLE = {
  0: { name: '#string', type: 'string' },
  1: { name: '#number', type: 'number' },
  2: { name: '#boolean', type: 'boolean' },
  4: { name: '#timestamp', type: 'timestamp' },
  5: { name: '#timestamp-date-time', type: 'timestamp', timestampFormat: 'date-time' },
  6: { name: '#timestamp-http-date', type: 'timestamp', timestampFormat: 'http-date' },
  7: { name: '#timestamp-epoch-seconds', type: 'timestamp', timestampFormat: 'epoch-seconds' },
  15: { name: '#document', type: 'document' },
  17: { name: '#big-integer', type: 'bigInteger' },
  19: { name: '#big-decimal', type: 'bigDecimal' },
  21: { name: '#blob', type: 'blob' },
  42: { name: '#streaming-blob', type: 'blob', streaming: true },
};

function traitsOf(indicator) {
  if (!indicator) return {};
  if (typeof indicator === 'object') {
    const t = {};
    for (const [k, v] of Object.entries(indicator)) t[k] = v;
    return t;
  }
  const t = {};
  BIT_TRAITS.forEach((name, i) => { if ((indicator >> i) & 1) t[name] = true; });
  return t;
}

function extract(key, meta) {
  const pkgName = `@aws-sdk/client-${meta.pkg}`;
  const mod = require(pkgName);
  const pkgDir = dirname(require.resolve(`${pkgName}/package.json`));
  const shared = readFileSync(join(pkgDir, 'dist-es/runtimeConfig.shared.js'), 'utf8');
  const authProvider = readFileSync(join(pkgDir, 'dist-es/auth/httpAuthSchemeProvider.js'), 'utf8');
  const grab = (re) => shared.match(re)?.[1];
  const protocolClass = grab(/protocol: config\?\.protocol \?\? (\w+)/);
  const protocol = PROTOCOLS[protocolClass];
  if (!protocol) throw new Error(`${key}: unknown protocol ${protocolClass}`);
  const shapes = {};
  const seen = new Map();

  const nameOf = (sc) => `${sc[2]}`;

  function ref(r) {
    if (typeof r === 'function') r = r();
    if (r === 'unit') return '#unit';
    if (typeof r === 'number') return simpleRef(r);
    if (Array.isArray(r)) return namedRef(r);
    throw new Error(`${key}: unexpected schema ref ${String(r)}`);
  }

  function simpleRef(code) {
    if (code >= 128) {
      const value = simpleRef(code & 0b0011_1111);
      const name = `#map<${value}>`;
      shapes[name] ??= { type: 'map', key: { target: '#string' }, value: { target: value } };
      return name;
    }
    if (code >= 64) {
      const member = simpleRef(code & 0b0011_1111);
      const name = `#list<${member}>`;
      shapes[name] ??= { type: 'list', member: { target: member } };
      return name;
    }
    const s = SIMPLE[code];
    if (!s) throw new Error(`${key}: unknown simple schema code ${code}`);
    if (!shapes[s.name]) {
      const shape = { type: s.type };
      if (s.timestampFormat) shape.traits = { timestampFormat: s.timestampFormat };
      if (s.streaming) shape.traits = { streaming: true };
      shapes[s.name] = shape;
    }
    return s.name;
  }

  function member(m) {
    if (Array.isArray(m) && m.length === 2) {
      const target = ref(m[0]);
      const traits = traitsOf(m[1]);
      return Object.keys(traits).length ? { target, traits } : { target };
    }
    return { target: ref(m) };
  }

  function namedRef(sc) {
    const existing = seen.get(sc);
    if (existing) return existing;
    let name = nameOf(sc);
    if (shapes[name]) name = `${sc[1]}#${sc[2]}`;
    seen.set(sc, name);
    const traits = traitsOf(sc[3]);
    const shape = {};
    shapes[name] = shape;
    switch (sc[0]) {
      case 0: {
        const base = shapes[ref(sc[4])];
        Object.assign(shape, { ...base, traits: { ...(base.traits ?? {}), ...traits } });
        break;
      }
      case 1:
        Object.assign(shape, { type: 'list', member: member(sc[4]) });
        break;
      case 2:
        Object.assign(shape, { type: 'map', key: member(sc[4]), value: member(sc[5]) });
        break;
      case 3: case -3: case 4: {
        shape.type = sc[0] === 4 ? 'union' : 'structure';
        if (sc[0] === -3) shape.error = true;
        shape.members = {};
        const names = sc[4] ?? [];
        names.forEach((n, i) => { shape.members[n] = member(sc[5][i]); });
        const requiredCount = sc[6] ?? 0;
        if (requiredCount) shape.required = names.slice(0, requiredCount);
        break;
      }
      default:
        throw new Error(`${key}: unexpected schema kind ${sc[0]} for ${name}`);
    }
    if (Object.keys(traits).length) shape.traits = { ...(shape.traits ?? {}), ...traits };
    return name;
  }

  const operations = {};
  const errors = [];
  for (const [exportName, value] of Object.entries(mod)) {
    if (!exportName.endsWith('$') || !Array.isArray(value)) continue;
    if (value[0] === 9) {
      const op = { input: ref(value[4]), output: ref(value[5]) };
      const traits = traitsOf(value[3]);
      if (Object.keys(traits).length) op.traits = traits;
      operations[value[2]] = op;
    } else if (value[0] === -3 && !value[2].endsWith('ServiceException')) {
      errors.push(namedRef(value));
    }
  }
  const model = {
    service: key,
    sdkId: grab(/serviceId: config\?\.serviceId \?\? "([^"]+)"/),
    protocol,
    apiVersion: grab(/apiVersion: "([^"]+)"/),
    namespace: grab(/defaultNamespace: "([^"]+)"/),
    signingName: authProvider.match(/name: "([a-z0-9-]+)"/)?.[1],
    endpointPrefix: meta.endpointPrefix,
    targetPrefix: grab(/serviceTarget: "([^"]+)"/),
    xmlNamespace: grab(/xmlNamespace: "([^"]+)"/),
    awsQueryCompatible: /awsQueryCompatible: true/.test(shared) || undefined,
    sdkPackage: `${pkgName}@${require(`${pkgName}/package.json`).version}`,
    operations: Object.fromEntries(Object.entries(operations).sort(([a], [b]) => a.localeCompare(b))),
    errors: errors.sort(),
    shapes,
  };
  return model;
}

// Where AWS's JSON models (botocore's `service-2.json`) live when Debian's AWS CLI is installed
// (.ci/run installs it). Used only for a service whose pinned npm client predates static schemas.
const BOTOCORE_DIRS = ['/usr/lib/python3/dist-packages/botocore/data', '/usr/share/awscli/botocore/data'];
const BOTOCORE_PROTOCOLS = { json: null, 'rest-json': 'restJson1', 'rest-xml': 'restXml', query: 'awsQuery', ec2: 'ec2Query' };
const BOTOCORE_TYPES = {
  structure: 'structure', list: 'list', map: 'map', string: 'string', boolean: 'boolean', blob: 'blob', timestamp: 'timestamp',
  integer: 'number', long: 'number', float: 'number', double: 'number', byte: 'number', short: 'number', bigdecimal: 'bigDecimal',
  biginteger: 'bigInteger', document: 'document',
};

/** Converts a botocore JSON model into Drydock's model format. */
function fromBotocore(key, meta) {
  const name = meta.botocore;
  let file;
  for (const dir of BOTOCORE_DIRS) {
    try {
      const versions = readdirSync(join(dir, name)).sort();
      const candidate = join(dir, name, versions[versions.length - 1], 'service-2.json');
      readFileSync(candidate);
      file = candidate;
      break;
    } catch { /* try the next place */ }
  }
  if (!file) throw new Error(`no static schemas in the npm client and no botocore model for ${name} (install awscli)`);
  const src = JSON.parse(readFileSync(file, 'utf8'));
  const md = src.metadata;
  const protocol = BOTOCORE_PROTOCOLS[md.protocol] ?? (md.jsonVersion === '1.0' ? 'awsJson1_0' : 'awsJson1_1');
  const member = (m) => {
    const traits = {};
    if (m.locationName && !m.location) traits[protocol === 'ec2Query' ? 'ec2QueryName' : protocol.startsWith('rest') || protocol.startsWith('aws') ? 'xmlName' : 'jsonName'] = m.locationName;
    if (m.location === 'header') traits.httpHeader = m.locationName;
    if (m.location === 'querystring') traits.httpQuery = m.locationName;
    if (m.location === 'uri') traits.httpLabel = true;
    if (m.location === 'headers') traits.httpPrefixHeaders = m.locationName ?? '';
    if (m.location === 'statusCode') traits.httpResponseCode = true;
    if (m.flattened) traits.xmlFlattened = 1;
    if (m.xmlAttribute) traits.xmlAttribute = 1;
    if (m.idempotencyToken) traits.idempotencyToken = true;
    if (m.timestampFormat) traits.timestampFormat = { iso8601: 'date-time', rfc822: 'http-date', unixTimestamp: 'epoch-seconds' }[m.timestampFormat];
    return Object.keys(traits).length ? { target: m.shape, traits } : { target: m.shape };
  };
  const shapes = {};
  const errors = [];
  for (const [sname, sh] of Object.entries(src.shapes)) {
    const shape = { type: BOTOCORE_TYPES[sh.type] ?? 'string' };
    if (sh.type === 'structure') {
      shape.members = Object.fromEntries(Object.entries(sh.members ?? {}).map(([n, m]) => [n, member(m)]));
      if (sh.required?.length) shape.required = sh.required;
      if (sh.payload) shape.members[sh.payload].traits = { ...shape.members[sh.payload].traits, httpPayload: true };
      if (sh.exception) {
        shape.error = true;
        shape.traits = { error: sh.error?.senderFault === false ? 'server' : 'client', httpError: sh.error?.httpStatusCode ?? 400 };
        if (sh.error?.code) shape.traits.awsQueryError = [sh.error.code, sh.error.httpStatusCode ?? 400];
        errors.push(sname);
      }
    } else if (sh.type === 'list') shape.member = member(sh.member);
    else if (sh.type === 'map') { shape.key = member(sh.key); shape.value = member(sh.value); }
    if (sh.timestampFormat) shape.traits = { ...shape.traits, timestampFormat: { iso8601: 'date-time', rfc822: 'http-date', unixTimestamp: 'epoch-seconds' }[sh.timestampFormat] };
    if (sh.streaming) shape.traits = { ...shape.traits, streaming: true };
    shapes[sname] = shape;
  }
  const operations = {};
  for (const [oname, op] of Object.entries(src.operations)) {
    operations[oname] = {
      input: op.input?.shape ?? '#unit', output: op.output?.shape ?? '#unit',
      traits: { http: [op.http.method, op.http.requestUri, op.http.responseCode ?? 200] },
    };
  }
  return {
    service: key, sdkId: md.serviceId, protocol, apiVersion: md.apiVersion, namespace: `com.amazonaws.${name}`,
    signingName: md.signingName ?? md.endpointPrefix, endpointPrefix: meta.endpointPrefix, targetPrefix: md.targetPrefix,
    xmlNamespace: md.xmlNamespace?.uri,
    // The npm client still speaks to it (with its own serializers); the model comes from botocore.
    sdkPackage: `@aws-sdk/client-${meta.pkg}@${require(`@aws-sdk/client-${meta.pkg}/package.json`).version}`, modelSource: file,
    operations: Object.fromEntries(Object.entries(operations).sort(([a], [b]) => a.localeCompare(b))), errors: errors.sort(), shapes,
  };
}

const only = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const index = {};
for (const [key, meta] of Object.entries(SERVICES)) {
  if (only.length && !only.includes(key)) continue;
  try {
    let model;
    try {
      model = extract(key, meta);
    } catch (e) {
      if (!meta.botocore) throw e;
      model = fromBotocore(key, meta);
    }
    writeFileSync(join(out, `${key}.json`), JSON.stringify(model));
    index[key] = {
      protocol: model.protocol, signingName: model.signingName, endpointPrefix: model.endpointPrefix,
      targetPrefix: model.targetPrefix, apiVersion: model.apiVersion, operations: Object.keys(model.operations).length,
    };
  } catch (e) {
    // A package without static schemas (older pins) is reported, not fatal: the service is
    // then simply not registered.
    console.error(`extract-models: skipped ${key}: ${e.message}`);
  }
}
if (!only.length) writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1));
console.log(`extract-models: ${Object.keys(index).length} services → models/`);
