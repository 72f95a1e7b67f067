/**
 * Amazon DynamoDB: tables, items, queries, batches, transactions, streams (published on the
 * internal bus for the DynamoDB Streams service and Lambda), TTL on the clock, provisioned
 * throughput throttling and global tables (version 2019.11.21) across regions.
 */
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import {
  createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup, restoreTableToPointInTime,
} from './backups.js';
import { batchGetItem, batchWriteItem } from './batch.js';
import { tableNameOf } from './context.js';
import { deleteItem, getItem, putItem, updateItem } from './items.js';
import { describeContinuousBackups, describeEndpoints, describeLimits, updateContinuousBackups } from './misc.js';
import { batchExecuteStatement, executeStatement, executeTransaction } from './partiql.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy, tableOfArn } from './policies.js';
import { query, scan } from './query.js';
import { installReplication } from './replication.js';
import { tableArn } from './store.js';
import { createTable, deleteTable, describeTableHandler, listTables, updateTable } from './tables.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';
import { transactGetItems, transactWriteItems } from './transactions.js';
import { describeTimeToLive, installTtl, updateTimeToLive } from './ttl.js';

/** Per app: resolves once the DynamoDB Streams service listens on the bus. */
const streamsReady = new WeakMap<object, Promise<unknown>>();

/** Table calls may enable a stream: its first event must find the Streams service listening. */
function afterStreamsReady(h: Handler): Handler {
  return async (input, ctx) => {
    await streamsReady.get(ctx.stores);
    return h(input, ctx);
  };
}

const HANDLERS: Record<string, Handler> = {
  BatchExecuteStatement: batchExecuteStatement,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateBackup: createBackup,
  CreateTable: afterStreamsReady(createTable),
  DeleteBackup: deleteBackup,
  DescribeBackup: describeBackup,
  ListBackups: listBackups,
  RestoreTableFromBackup: restoreTableFromBackup,
  RestoreTableToPointInTime: restoreTableToPointInTime,
  DeleteItem: deleteItem,
  DeleteResourcePolicy: deleteResourcePolicy,
  DeleteTable: deleteTable,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  DescribeTable: describeTableHandler,
  DescribeTimeToLive: describeTimeToLive,
  ExecuteStatement: executeStatement,
  ExecuteTransaction: executeTransaction,
  GetItem: getItem,
  GetResourcePolicy: getResourcePolicy,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  PutResourcePolicy: putResourcePolicy,
  Query: query,
  Scan: scan,
  TagResource: tagResource,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UntagResource: untagResource,
  UpdateContinuousBackups: updateContinuousBackups,
  UpdateItem: updateItem,
  UpdateTable: afterStreamsReady(updateTable),
  UpdateTimeToLive: updateTimeToLive,
};

/** The ARNs a call touches: tables (or their indexes) named anywhere in the input, or its stream. */
function resources(_operation: string, input: Record<string, unknown>, account: string, region: string): Array<{ arn: string }> {
  // The common call (one table, by name) answers without the general walk below.
  const name = input['TableName'];
  if (typeof name === 'string' && !name.startsWith('arn:') && input['IndexName'] === undefined && input['StreamArn'] === undefined
    && input['ResourceArn'] === undefined && input['RequestItems'] === undefined && input['TransactItems'] === undefined) {
    return [{ arn: tableArn(account, region, name) }];
  }
  const arns = new Set<string>();
  // A table named by ARN may be another account's: authorization then reads its policy.
  const table = (name: unknown) => (typeof name === 'string' && name.startsWith('arn:') ? name : tableArn(account, region, tableNameOf(name)));
  if (typeof input['StreamArn'] === 'string') arns.add(input['StreamArn']);
  if (typeof input['ResourceArn'] === 'string') arns.add(input['ResourceArn']);
  if (typeof input['TableName'] === 'string') {
    arns.add(typeof input['IndexName'] === 'string' ? `${table(input['TableName'])}/index/${input['IndexName']}` : table(input['TableName']));
  }
  for (const name of Object.keys((input['RequestItems'] as object | undefined) ?? {})) arns.add(table(name));
  for (const a of (input['TransactItems'] as Array<Record<string, { TableName?: string }>> | undefined) ?? []) {
    for (const body of Object.values(a)) if (body?.TableName) arns.add(table(body.TableName));
  }
  return [...arns].map((arn) => ({ arn }));
}

const dynamodb: ServiceDefinition = {
  name: 'dynamodb',
  handlers: HANDLERS,
  install(host: ServiceHost) {
    host.ports.resourceResolvers.set('dynamodb', resources);
    host.ports.resourcePolicies.set('dynamodb', (arn) => {
      const found = tableOfArn(host.stores, arn);
      return found?.table.policy ? { document: found.table.policy.document, account: found.table.account } : undefined;
    });
    host.ports.resourceTags.set('dynamodb', (arn) => {
      const found = tableOfArn(host.stores, arn);
      return found ? { ...found.table.tags } : undefined;
    });
    installReplication(host);
    installTtl(host);
    // The Streams service keeps shards from the records this service publishes: table calls
    // that enable a stream wait for it to be subscribed (see streamsReady).
    streamsReady.set(host.stores, host.service('dynamodbstreams'));
  },
};

export default dynamodb;
