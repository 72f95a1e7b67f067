/**
 * Amazon API Gateway v2: HTTP APIs (control plane and data plane) and the control plane of
 * WebSocket APIs. Invoke URLs reach the data plane through API Gateway's front door.
 */
import type { Handler, ServiceDefinition } from '../types.js';
import * as apis from './control/apis.js';
import * as authorizers from './control/authorizers.js';
import * as integrations from './control/integrations.js';
import * as routes from './control/routes.js';
import * as stages from './control/stages.js';
import { getTags, tagResource, untagResource } from './control/tags.js';
import { httpApiFrontDoor } from './invoke/index.js';

const HANDLERS: Record<string, Handler> = {
  CreateApi: apis.createApi, GetApi: apis.getApi, GetApis: apis.getApis, UpdateApi: apis.updateApi, DeleteApi: apis.deleteApi,
  DeleteCorsConfiguration: apis.deleteCorsConfiguration,
  CreateRoute: routes.createRoute, GetRoute: routes.getRoute, GetRoutes: routes.getRoutes, UpdateRoute: routes.updateRoute, DeleteRoute: routes.deleteRoute,
  CreateIntegration: integrations.createIntegration, GetIntegration: integrations.getIntegration, GetIntegrations: integrations.getIntegrations,
  UpdateIntegration: integrations.updateIntegration, DeleteIntegration: integrations.deleteIntegration,
  CreateAuthorizer: authorizers.createAuthorizer, GetAuthorizer: authorizers.getAuthorizer, GetAuthorizers: authorizers.getAuthorizers,
  UpdateAuthorizer: authorizers.updateAuthorizer, DeleteAuthorizer: authorizers.deleteAuthorizer,
  CreateStage: stages.createStage, GetStage: stages.getStage, GetStages: stages.getStages, UpdateStage: stages.updateStage, DeleteStage: stages.deleteStage,
  CreateDeployment: stages.createDeployment, GetDeployment: stages.getDeployment, GetDeployments: stages.getDeployments,
  DeleteDeployment: stages.deleteDeployment, UpdateDeployment: stages.updateDeployment, ResetAuthorizersCache: stages.resetAuthorizersCache,
  TagResource: tagResource, UntagResource: untagResource, GetTags: getTags,
};

const apigatewayv2: ServiceDefinition = { name: 'apigatewayv2', handlers: HANDLERS, frontDoor: httpApiFrontDoor };

export default apigatewayv2;
