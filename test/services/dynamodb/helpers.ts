/** Shared plumbing for the DynamoDB suites: clients per Drydock and region, unique tables. */
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

export function ddbClient(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): DynamoDBClient {
  return new DynamoDBClient(accountConfig(dd, overrides));
}

export function uniqueName(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** An on-demand table keyed by `pk` (S), plus `sk` (S or N) when `range` is given. */
export async function createTable(c: DynamoDBClient, opts: { range?: 'S' | 'N'; extra?: Partial<CreateTableCommandInput> } = {}): Promise<string> {
  const name = uniqueName();
  const defs = [{ AttributeName: 'pk', AttributeType: 'S' as const }];
  const keys = [{ AttributeName: 'pk', KeyType: 'HASH' as const }];
  if (opts.range) {
    defs.push({ AttributeName: 'sk', AttributeType: opts.range as 'S' });
    keys.push({ AttributeName: 'sk', KeyType: 'RANGE' as never });
  }
  await c.send(new CreateTableCommand({
    TableName: name, AttributeDefinitions: defs, KeySchema: keys, BillingMode: 'PAY_PER_REQUEST', ...opts.extra,
  }));
  return name;
}

export { failure, type SeenError } from '../../helpers.js';
