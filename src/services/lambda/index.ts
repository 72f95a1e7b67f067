/**
 * AWS Lambda: functions from zip archives that really run, as child processes speaking the
 * Lambda Runtime API (bootstraps in `src/runtimes`), with AWS's concurrency model, versions
 * and aliases, asynchronous invocation with destinations, SQS and DynamoDB Streams event source mappings and
 * function URLs. The function policy is offered to the gateway's authorizer, so services that
 * invoke functions (`call` with a service principal and `sourceArn`) are allowed only as granted.
 */
import { servicePrincipal } from '../../core/identity.js';
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import {
  deleteFunctionConcurrency, deleteProvisionedConcurrencyConfig, getAccountSettings, getFunctionConcurrency,
  getProvisionedConcurrencyConfig, listProvisionedConcurrencyConfigs, putFunctionConcurrency, putProvisionedConcurrencyConfig,
} from './concurrency.js';
import {
  createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions, updateFunctionCode, updateFunctionConfiguration,
} from './functions.js';
import {
  createEventSourceMapping, deleteEventSourceMapping, getEventSourceMapping, listEventSourceMappings, updateEventSourceMapping,
} from './event-sources.js';
import { invoke, invokeAsync } from './invoke.js';
import {
  deleteFunctionEventInvokeConfig, getFunctionEventInvokeConfig, listFunctionEventInvokeConfigs, putFunctionEventInvokeConfig,
  updateFunctionEventInvokeConfig,
} from './invoke-config.js';
import { deleteLayerVersion, getLayerVersion, getLayerVersionByArn, listLayers, listLayerVersions, publishLayerVersion } from './layers.js';
import { parseFunctionName } from './names.js';
import { addPermission, getPolicy, policyDocument, removePermission } from './permissions.js';
import { closeRuntimes, registerHost } from './pool.js';
import { resumePollers } from './sqs-poller.js';
import { resumeStreamPollers } from './stream-poller.js';
import { resumeAsyncQueue } from './async.js';
import { functionArn, lambdaState } from './store.js';
import { listTags, tagResource, untagResource } from './tags.js';
import {
  createFunctionUrlConfig, deleteFunctionUrlConfig, frontDoor, getFunctionUrlConfig, listFunctionUrlConfigs, updateFunctionUrlConfig,
} from './urls.js';
import { createAlias, deleteAlias, getAlias, listAliases, listVersionsByFunction, publishVersion, updateAlias } from './versions.js';

const HANDLERS: Record<string, Handler> = {
  AddPermission: addPermission,
  CreateAlias: createAlias,
  CreateEventSourceMapping: createEventSourceMapping,
  CreateFunction: createFunction,
  CreateFunctionUrlConfig: createFunctionUrlConfig,
  DeleteAlias: deleteAlias,
  DeleteEventSourceMapping: deleteEventSourceMapping,
  DeleteFunction: deleteFunction,
  DeleteFunctionConcurrency: deleteFunctionConcurrency,
  DeleteFunctionEventInvokeConfig: deleteFunctionEventInvokeConfig,
  DeleteFunctionUrlConfig: deleteFunctionUrlConfig,
  DeleteLayerVersion: deleteLayerVersion,
  DeleteProvisionedConcurrencyConfig: deleteProvisionedConcurrencyConfig,
  GetAccountSettings: getAccountSettings,
  GetAlias: getAlias,
  GetEventSourceMapping: getEventSourceMapping,
  GetFunction: getFunction,
  GetFunctionConcurrency: getFunctionConcurrency,
  GetFunctionConfiguration: getFunctionConfiguration,
  GetFunctionEventInvokeConfig: getFunctionEventInvokeConfig,
  GetFunctionUrlConfig: getFunctionUrlConfig,
  GetLayerVersion: getLayerVersion,
  GetLayerVersionByArn: getLayerVersionByArn,
  GetPolicy: getPolicy,
  GetProvisionedConcurrencyConfig: getProvisionedConcurrencyConfig,
  Invoke: invoke,
  InvokeAsync: invokeAsync,
  ListAliases: listAliases,
  ListEventSourceMappings: listEventSourceMappings,
  ListFunctionEventInvokeConfigs: listFunctionEventInvokeConfigs,
  ListFunctionUrlConfigs: listFunctionUrlConfigs,
  ListFunctions: listFunctions,
  ListLayerVersions: listLayerVersions,
  ListLayers: listLayers,
  ListProvisionedConcurrencyConfigs: listProvisionedConcurrencyConfigs,
  ListTags: listTags,
  ListVersionsByFunction: listVersionsByFunction,
  PublishLayerVersion: publishLayerVersion,
  PublishVersion: publishVersion,
  PutFunctionConcurrency: putFunctionConcurrency,
  PutFunctionEventInvokeConfig: putFunctionEventInvokeConfig,
  PutProvisionedConcurrencyConfig: putProvisionedConcurrencyConfig,
  RemovePermission: removePermission,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateAlias: updateAlias,
  UpdateEventSourceMapping: updateEventSourceMapping,
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  UpdateFunctionEventInvokeConfig: updateFunctionEventInvokeConfig,
  UpdateFunctionUrlConfig: updateFunctionUrlConfig,
};

/** The function (qualified when the call names a qualifier) a call is about, in the account its name says. */
function resolveResources(_operation: string, input: Record<string, unknown>, account: string, region: string): { arn: string }[] {
  const name = input['FunctionName'];
  if (typeof name !== 'string') return [];
  try {
    const ref = parseFunctionName(name, input['Qualifier'] as string | undefined, account, region);
    return [{ arn: functionArn(ref.account, ref.region, ref.name, ref.qualifier) }];
  } catch {
    return []; // the handler answers the validation error
  }
}

function install(host: ServiceHost): void {
  registerHost(host);
  host.onClose(() => closeRuntimes(host));
  void host.service('logs');
  resumePollers(host);
  resumeStreamPollers(host);
  resumeAsyncQueue(host);
  host.ports.resourceResolvers.set('lambda', resolveResources);
  host.ports.resourcePolicies.set('lambda', (arn) => {
    const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([^:]+)(?::(.+))?$/.exec(arn);
    if (!m) return undefined;
    const fn = lambdaState(host.stores, m[2]!, m[1]!).functions.get(m[3]!);
    const statements = fn?.policies[m[4] ?? ''];
    return fn && statements && statements.length > 0 ? { document: policyDocument(statements), account: fn.account } : undefined;
  });
  host.ports.resourceTags.set('lambda', (arn) => {
    const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([^:]+)/.exec(arn);
    const fn = m ? lambdaState(host.stores, m[2]!, m[1]!).functions.get(m[3]!) : undefined;
    return fn ? { ...fn.tags } : undefined;
  });
  // Services that push events to functions (SNS, S3, …): an asynchronous invoke as that
  // service, which the function's policy must allow.
  host.ports.deliver.set('lambda', async (arn, message) => {
    const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:/.exec(arn);
    if (!m) throw new Error(`not a function ARN: ${arn}`);
    await host.call({
      service: 'lambda', operation: 'Invoke', region: m[1]!,
      principal: servicePrincipal(message.servicePrincipal ?? 'lambda.amazonaws.com', m[2]!),
      input: { FunctionName: arn, InvocationType: 'Event', Payload: Buffer.from(message.body) },
      ...(message.sourceArn ? { sourceArn: message.sourceArn } : {}),
    });
  });
}

const lambda: ServiceDefinition = { name: 'lambda', handlers: HANDLERS, install, frontDoor };

export default lambda;
