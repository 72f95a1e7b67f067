/**
 * How an API call maps onto IAM: the action it needs and the resource ARNs it touches. Most
 * actions are `<signing name>:<Operation>`; the tables below hold only the exceptions and the
 * ARN templates, per service, as data. Templates name input members in braces (`{Bucket}`),
 * plus `{region}` and `{account}`.
 */

/** Operations whose IAM action is not named after the operation. */
const ACTION_EXCEPTIONS: Record<string, Record<string, string>> = {
  s3: {
    ListObjects: 'ListBucket', ListObjectsV2: 'ListBucket', HeadBucket: 'ListBucket',
    ListObjectVersions: 'ListBucketVersions', HeadObject: 'GetObject', ListBuckets: 'ListAllMyBuckets',
    CreateMultipartUpload: 'PutObject', UploadPart: 'PutObject', CompleteMultipartUpload: 'PutObject',
    UploadPartCopy: 'PutObject', CopyObject: 'PutObject', DeleteObjects: 'DeleteObject',
    ListParts: 'ListMultipartUploadParts', ListMultipartUploads: 'ListBucketMultipartUploads',
    GetObjectAttributes: 'GetObject', PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
    GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration', DeleteBucketLifecycle: 'PutLifecycleConfiguration',
    PutBucketNotificationConfiguration: 'PutBucketNotification', GetBucketNotificationConfiguration: 'GetBucketNotification',
    PutBucketEncryption: 'PutEncryptionConfiguration',
    GetBucketEncryption: 'GetEncryptionConfiguration', DeleteBucketEncryption: 'PutEncryptionConfiguration',
  },
  // Batches are authorized as the single action (there is no sqs:SendMessageBatch action).
  sqs: { SendMessageBatch: 'SendMessage', DeleteMessageBatch: 'DeleteMessage', ChangeMessageVisibilityBatch: 'ChangeMessageVisibility' },
  sns: { PublishBatch: 'Publish' },
  lambda: { Invoke: 'InvokeFunction', InvokeAsync: 'InvokeFunction', InvokeWithResponseStream: 'InvokeFunction' },
};

/** Operations that AWS answers for any authenticated caller, without consulting policies. */
const ALWAYS_ALLOWED = new Set(['sts:GetCallerIdentity']);

type Template = [operations: string[] | '*', template: string];

// S3, SQS, SNS and KMS resolve their own resources (ports.resourceResolvers): their ARNs
// depend on state (aliases, queue URLs of other accounts, versions).
const RESOURCES: Record<string, Template[]> = {
  sts: [[['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'], '{RoleArn}']],
  iam: [
    ['*', 'arn:aws:iam::{account}:role{Path}{RoleName}'],
    ['*', 'arn:aws:iam::{account}:role/{RoleName}'],
    ['*', 'arn:aws:iam::{account}:user{Path}{UserName}'],
    ['*', 'arn:aws:iam::{account}:user/{UserName}'],
    ['*', 'arn:aws:iam::{account}:group/{GroupName}'],
    ['*', '{PolicyArn}'],
    [['CreatePolicy'], 'arn:aws:iam::{account}:policy{Path}{PolicyName}'],
    [['CreatePolicy'], 'arn:aws:iam::{account}:policy/{PolicyName}'],
  ],
  lambda: [['*', 'arn:aws:lambda:{region}:{account}:function:{FunctionName}']],
  dynamodb: [['*', 'arn:aws:dynamodb:{region}:{account}:table/{TableName}']],
  sfn: [['*', '{stateMachineArn}'], ['*', '{executionArn}']],
  events: [['*', 'arn:aws:events:{region}:{account}:rule/{Name}']],
  logs: [['*', 'arn:aws:logs:{region}:{account}:log-group:{logGroupName}']],
};

/** The IAM action of an operation, e.g. `s3:ListBucket` for ListObjectsV2. */
export function iamAction(prefix: string, service: string, operation: string, httpMethod: string): string {
  // API Gateway's management API is authorized by HTTP verb on the resource path.
  if (service === 'apigateway' || service === 'apigatewayv2') return `apigateway:${httpMethod}`;
  return `${prefix}:${ACTION_EXCEPTIONS[service]?.[operation] ?? operation}`;
}

export function isAlwaysAllowed(action: string): boolean {
  return ALWAYS_ALLOWED.has(action);
}

/** Resource ARNs an operation touches, from its input; `*` when the table has none. */
export function iamResources(
  service: string, operation: string, input: Record<string, unknown>, where: { region: string; account: string; path: string },
): string[] {
  if (service === 'apigateway' || service === 'apigatewayv2') return [`arn:aws:apigateway:${where.region}::${where.path}`];
  for (const [ops, template] of RESOURCES[service] ?? []) {
    if (ops !== '*' && !ops.includes(operation)) continue;
    const arn = fill(template, input, where);
    if (arn) return [arn];
  }
  return ['*'];
}

function fill(template: string, input: Record<string, unknown>, where: { region: string; account: string }): string | undefined {
  let missing = false;
  const out = template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    if (name === 'region') return where.region;
    if (name === 'account') return where.account;
    const v = input[name];
    if (typeof v !== 'string' || v === '') { missing = true; return ''; }
    return v;
  });
  return missing ? undefined : out;
}
