/**
 * Amazon API Gateway, REST APIs (v1): the control plane (APIs, resources, methods,
 * integrations, deployments, stages, keys, usage plans, authorizers, validators, models,
 * gateway responses) and the data plane behind invoke URLs, which also hands HTTP API (v2)
 * requests to that service.
 */
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import { flushStageAuthorizersCache, getAccount, updateAccount } from './control/account.js';
import { apigatewayState } from './store.js';
import * as keys from './control/api-keys.js';
import * as parts from './control/api-parts.js';
import * as integrations from './control/integrations.js';
import * as methods from './control/methods.js';
import * as resources from './control/resources.js';
import * as apis from './control/rest-apis.js';
import * as stages from './control/stages.js';
import { getTags, tagResource, untagResource } from './control/tags.js';
import * as plans from './control/usage-plans.js';
import { restApiFrontDoor } from './invoke/index.js';
import { testInvokeMethod } from './invoke/test-invoke.js';

const HANDLERS: Record<string, Handler> = {
  CreateRestApi: apis.createRestApi, GetRestApi: apis.getRestApi, GetRestApis: apis.getRestApis,
  DeleteRestApi: apis.deleteRestApi, UpdateRestApi: apis.updateRestApi,
  CreateResource: resources.createResource, GetResource: resources.getResource, GetResources: resources.getResources,
  DeleteResource: resources.deleteResource, UpdateResource: resources.updateResource,
  PutMethod: methods.putMethod, GetMethod: methods.getMethod, DeleteMethod: methods.deleteMethod, UpdateMethod: methods.updateMethod,
  PutMethodResponse: methods.putMethodResponse, GetMethodResponse: methods.getMethodResponse,
  DeleteMethodResponse: methods.deleteMethodResponse, UpdateMethodResponse: methods.updateMethodResponse,
  PutIntegration: integrations.putIntegration, GetIntegration: integrations.getIntegration,
  DeleteIntegration: integrations.deleteIntegration, UpdateIntegration: integrations.updateIntegration,
  PutIntegrationResponse: integrations.putIntegrationResponse, GetIntegrationResponse: integrations.getIntegrationResponse,
  DeleteIntegrationResponse: integrations.deleteIntegrationResponse, UpdateIntegrationResponse: integrations.updateIntegrationResponse,
  CreateDeployment: stages.createDeployment, GetDeployment: stages.getDeployment, GetDeployments: stages.getDeployments,
  DeleteDeployment: stages.deleteDeployment, UpdateDeployment: stages.updateDeployment,
  CreateStage: stages.createStage, GetStage: stages.getStage, GetStages: stages.getStages, DeleteStage: stages.deleteStage,
  UpdateStage: stages.updateStage,
  CreateApiKey: keys.createApiKey, GetApiKey: keys.getApiKey, GetApiKeys: keys.getApiKeys, DeleteApiKey: keys.deleteApiKey,
  UpdateApiKey: keys.updateApiKey,
  CreateUsagePlan: plans.createUsagePlan, GetUsagePlan: plans.getUsagePlan, GetUsagePlans: plans.getUsagePlans,
  DeleteUsagePlan: plans.deleteUsagePlan, UpdateUsagePlan: plans.updateUsagePlan,
  CreateUsagePlanKey: plans.createUsagePlanKey, GetUsagePlanKey: plans.getUsagePlanKey, GetUsagePlanKeys: plans.getUsagePlanKeys,
  DeleteUsagePlanKey: plans.deleteUsagePlanKey, GetUsage: plans.getUsage,
  CreateAuthorizer: parts.createAuthorizer, GetAuthorizer: parts.getAuthorizer, GetAuthorizers: parts.getAuthorizers,
  DeleteAuthorizer: parts.deleteAuthorizer, UpdateAuthorizer: parts.updateAuthorizer,
  CreateRequestValidator: parts.createRequestValidator, GetRequestValidator: parts.getRequestValidator,
  GetRequestValidators: parts.getRequestValidators, DeleteRequestValidator: parts.deleteRequestValidator,
  UpdateRequestValidator: parts.updateRequestValidator,
  CreateModel: parts.createModel, GetModel: parts.getModel, GetModels: parts.getModels, DeleteModel: parts.deleteModel,
  UpdateModel: parts.updateModel,
  PutGatewayResponse: parts.putGatewayResponse, GetGatewayResponse: parts.getGatewayResponse,
  GetGatewayResponses: parts.getGatewayResponses, DeleteGatewayResponse: parts.deleteGatewayResponse,
  UpdateGatewayResponse: parts.updateGatewayResponse,
  TagResource: tagResource, UntagResource: untagResource, GetTags: getTags,
  GetAccount: getAccount, UpdateAccount: updateAccount, FlushStageAuthorizersCache: flushStageAuthorizersCache,
  TestInvokeMethod: testInvokeMethod,
};

/**
 * A REST API's resource policy decides `execute-api:Invoke` on its methods (AWS_IAM). Its
 * `execute-api:/stage/METHOD/path` shorthand names this API's method ARNs.
 */
function install(host: ServiceHost): void {
  host.ports.resourcePolicies.set('execute-api', (arn) => {
    const m = /^arn:[^:]+:execute-api:([^:]+):(\d{12}):([^/]+)\//.exec(arn);
    const api = m ? apigatewayState(host.stores, m[2]!, m[1]!).restApis.get(m[3]!) : undefined;
    if (!api?.policy) return undefined;
    return { document: api.policy.replaceAll('"execute-api:/', `"arn:aws:execute-api:${m![1]}:${m![2]}:${m![3]}/`), account: m![2]! };
  });
}

const apigateway: ServiceDefinition = {
  name: 'apigateway',
  handlers: HANDLERS,
  install,
  frontDoor: restApiFrontDoor,
};

export default apigateway;
