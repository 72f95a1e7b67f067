/**
 * CreateTable/UpdateTable input checks, in the order and words AWS uses: constraint errors
 * on members first, then the semantic "One or more parameter values were invalid" family.
 */
import { constraint, limitExceeded, validation } from './errors.js';
import type { AttributeDefinition, IndexRecord, KeySchemaElement, Projection } from './store.js';

const INVALID = 'One or more parameter values were invalid:';
const NAME = /^[a-zA-Z0-9_.-]+$/;

/** Table and index names: 3–255 characters of `[a-zA-Z0-9_.-]`. */
export function checkTableName(name: unknown, at = 'tableName'): string {
  if (typeof name !== 'string') throw constraint(undefined, at, 'not be null');
  if (name.length < 3) throw constraint(name, at, 'have length greater than or equal to 3');
  if (name.length > 255) throw constraint(name, at, 'have length less than or equal to 255');
  if (!NAME.test(name)) throw constraint(name, at, 'satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  return name;
}

/** A key schema of one HASH then at most one RANGE element. */
export function checkKeySchema(schema: KeySchemaElement[] | undefined, at: string): KeySchemaElement[] {
  if (!schema) throw constraint(undefined, at, 'not be null');
  if (schema.length < 1) throw constraint('[]', at, 'have length greater than or equal to 1');
  if (schema.length > 2) throw constraint(`[${schema.map(showKey).join(', ')}]`, at, 'have length less than or equal to 2');
  if (schema[0]!.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (schema[1] && schema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (schema[1] && schema[1].AttributeName === schema[0]!.AttributeName) {
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  return schema;
}

function showKey(k: KeySchemaElement): string {
  return `KeySchemaElement(attributeName=${k.AttributeName}, keyType=${k.KeyType})`;
}

/** Every key attribute (table and indexes) must be defined, and every definition used. */
export function checkDefinitions(defs: AttributeDefinition[], schemas: KeySchemaElement[][]): void {
  const defined = new Map(defs.map((d) => [d.AttributeName, d.AttributeType]));
  if (defined.size !== defs.length) throw validation(`${INVALID} Cannot have two attributes with the same name`);
  const used = new Set(schemas.flat().map((k) => k.AttributeName));
  const missing = [...used].filter((k) => !defined.has(k));
  if (missing.length) {
    throw validation(`${INVALID} Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${defs.map((d) => d.AttributeName).join(', ')}]`);
  }
  if (defs.length !== used.size) {
    if (schemas.length === 1) throw validation(`${INVALID} Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
    throw validation(`${INVALID} Some AttributeDefinitions are not used. AttributeDefinitions: [${defs.map((d) => d.AttributeName).join(', ')}], keys used: [${[...used].join(', ')}]`);
  }
}

/** Read/write units: both given, each ≥ 1, for provisioned tables; none for on-demand. */
export function checkThroughput(
  mode: string, pt: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined, at: string, index?: string,
): { read: number; write: number } | undefined {
  if (mode === 'PAY_PER_REQUEST') {
    if (pt) throw validation(`${INVALID} Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    return undefined;
  }
  if (!pt || pt.ReadCapacityUnits === undefined || pt.WriteCapacityUnits === undefined) {
    if (index) throw validation(`${INVALID} ProvisionedThroughput must be specified for index: ${index}`);
    throw validation(`${INVALID} ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
  }
  for (const [k, v] of [['readCapacityUnits', pt.ReadCapacityUnits], ['writeCapacityUnits', pt.WriteCapacityUnits]] as const) {
    if (v < 1) throw constraint(v, `${at}.${k}`, 'have value greater than or equal to 1');
  }
  return { read: pt.ReadCapacityUnits, write: pt.WriteCapacityUnits };
}

export function checkProjection(p: Projection | undefined, at: string): Projection {
  if (!p) throw constraint(undefined, `${at}.projection`, 'not be null');
  const type = p.ProjectionType ?? 'ALL';
  if (type === 'INCLUDE' && !p.NonKeyAttributes?.length) throw validation(`${INVALID} ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
  if (type !== 'INCLUDE' && p.NonKeyAttributes) throw validation(`${INVALID} ProjectionType is ${type}, but NonKeyAttributes is specified`);
  return { ProjectionType: type, ...(p.NonKeyAttributes ? { NonKeyAttributes: p.NonKeyAttributes } : {}) };
}

interface IndexInput { IndexName?: string; KeySchema?: KeySchemaElement[]; Projection?: Projection; ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } }

/** Local secondary indexes: same partition key as the table, a sort key, at most five. */
export function checkLsis(list: IndexInput[] | undefined, tableSchema: KeySchemaElement[]): IndexRecord[] {
  if (!list) return [];
  if (list.length === 0) throw validation(`${INVALID} List of LocalSecondaryIndexes is empty`);
  if (tableSchema.length < 2) throw validation(`${INVALID} Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
  if (list.length > 5) throw validation(`${INVALID} Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
  return list.map((ix, i) => {
    const at = `localSecondaryIndexes.${i + 1}.member`;
    const name = checkTableName(ix.IndexName, `${at}.indexName`);
    const ks = checkKeySchema(ix.KeySchema, `${at}.keySchema`);
    if (ks.length < 2) throw validation(`${INVALID} Index KeySchema does not have a range key for index: ${name}`);
    if (ks[0]!.AttributeName !== tableSchema[0]!.AttributeName) {
      throw validation(`${INVALID} Index KeySchema does not have the same leading hash key as table KeySchema for index: ${name}. index hash key: ${ks[0]!.AttributeName}, table hash key: ${tableSchema[0]!.AttributeName}`);
    }
    return { name, keySchema: ks, projection: checkProjection(ix.Projection, at) };
  });
}

/** Global secondary indexes: any key, throughput when the table is provisioned, at most twenty. */
export function checkGsis(list: IndexInput[] | undefined, mode: string, at0 = 'globalSecondaryIndexes'): IndexRecord[] {
  if (!list) return [];
  if (list.length === 0) throw validation(`${INVALID} List of GlobalSecondaryIndexes is empty`);
  if (list.length > 20) throw limitExceeded('Subscriber limit exceeded: The number of global secondary indexes per table exceeds the limit of 20');
  return list.map((ix, i) => {
    const at = `${at0}.${i + 1}.member`;
    const name = checkTableName(ix.IndexName, `${at}.indexName`);
    const provisioned = checkThroughput(mode, ix.ProvisionedThroughput, `${at}.provisionedThroughput`, name);
    return { name, keySchema: checkKeySchema(ix.KeySchema, `${at}.keySchema`), projection: checkProjection(ix.Projection, at), provisioned, status: 'ACTIVE' as const };
  });
}

export function checkUniqueIndexNames(indexes: IndexRecord[]): void {
  const seen = new Set<string>();
  for (const ix of indexes) {
    if (seen.has(ix.name)) throw validation(`${INVALID} Duplicate index name: ${ix.name}`);
    seen.add(ix.name);
  }
}

const VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];

export function checkStreamSpec(spec: { StreamEnabled?: boolean; StreamViewType?: string } | undefined): { enabled: boolean; viewType?: string } | undefined {
  if (!spec) return undefined;
  if (spec.StreamEnabled && !spec.StreamViewType) throw validation('StreamSpecification: StreamViewType is required when StreamEnabled is true');
  if (spec.StreamViewType && !VIEW_TYPES.includes(spec.StreamViewType)) {
    throw constraint(spec.StreamViewType, 'streamSpecification.streamViewType', `satisfy enum value set: [${VIEW_TYPES.join(', ')}]`);
  }
  if (!spec.StreamEnabled && spec.StreamViewType) throw validation('One or more parameter values were invalid: StreamViewType cannot be specified when StreamEnabled is false');
  return { enabled: spec.StreamEnabled === true, viewType: spec.StreamViewType };
}
