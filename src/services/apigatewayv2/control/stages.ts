/** Stages (named or `$default`, optionally auto-deploying) and deployments of HTTP APIs. */
import type { Handler } from '../../types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { clean, snapshotOf, v2Id, type ApiRecord, type DeploymentRecord, type StageRecord } from '../store.js';
import { resetAuthorizerCache } from '../invoke/lambda-auth.js';
import { apiOf, assignGiven, page, save } from './common.js';

function stageView(s: StageRecord): Record<string, unknown> {
  return clean({ ...s, CreatedDate: new Date(s.CreatedDate), LastUpdatedDate: new Date(s.LastUpdatedDate), StageVariables: s.StageVariables, DefaultRouteSettings: s.DefaultRouteSettings ?? { DetailedMetricsEnabled: false }, RouteSettings: s.RouteSettings ?? {}, Tags: s.Tags ?? {} });
}

function deploymentView(d: DeploymentRecord): Record<string, unknown> {
  return clean({ AutoDeployed: d.AutoDeployed, CreatedDate: new Date(d.CreatedDate), DeploymentId: d.DeploymentId, DeploymentStatus: 'DEPLOYED', Description: d.Description });
}

function stageOf(api: ApiRecord, name: unknown): StageRecord {
  const s = api.stages[String(name)];
  if (!s) throw notFound(`Invalid stage identifier specified`, 'Stage');
  return s;
}

export const createStage: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const name = String(input['StageName']);
  if (name !== '$default' && !/^[a-zA-Z0-9_-]{1,128}$/.test(name)) throw badRequest('Stage name only allows a-zA-Z0-9_- or $default');
  if (api.stages[name]) throw conflict(`Stage ${name} already exists`);
  const deploymentId = input['DeploymentId'] as string | undefined;
  if (deploymentId !== undefined && !api.deployments[deploymentId]) throw badRequest(`Invalid deployment identifier specified ${deploymentId}`);
  const now = ctx.clock.nowMs();
  const s: StageRecord = clean({
    StageName: name, AutoDeploy: input['AutoDeploy'] === true, DeploymentId: deploymentId, Description: input['Description'] as string | undefined,
    StageVariables: input['StageVariables'] as Record<string, string> | undefined,
    DefaultRouteSettings: input['DefaultRouteSettings'] as StageRecord['DefaultRouteSettings'], RouteSettings: input['RouteSettings'] as StageRecord['RouteSettings'],
    Tags: input['Tags'] as Record<string, string> | undefined, CreatedDate: now, LastUpdatedDate: now,
  });
  api.stages[name] = s;
  save(ctx, api, s.AutoDeploy);
  return stageView(s);
};

export const getStage: Handler = (input, ctx) => stageView(stageOf(apiOf(ctx, input['ApiId']), input['StageName']));

export const getStages: Handler = (input, ctx) => page(Object.values(apiOf(ctx, input['ApiId']).stages).map(stageView), input);

export const deleteStage: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const s = stageOf(api, input['StageName']);
  delete api.stages[s.StageName];
  save(ctx, api);
  return {};
};

export const updateStage: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const s = stageOf(api, input['StageName']);
  if (input['DeploymentId'] !== undefined) {
    if (!api.deployments[String(input['DeploymentId'])]) throw badRequest(`Invalid deployment identifier specified ${String(input['DeploymentId'])}`);
    s.DeploymentId = String(input['DeploymentId']);
  }
  assignGiven(s, input, ['AutoDeploy', 'Description', 'StageVariables', 'DefaultRouteSettings', 'RouteSettings']);
  s.LastUpdatedDate = ctx.clock.nowMs();
  save(ctx, api, input['AutoDeploy'] === true);
  return stageView(s);
};

export const createDeployment: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const stageName = input['StageName'] as string | undefined;
  const stage = stageName === undefined ? undefined : stageOf(api, stageName);
  if (stage?.AutoDeploy) throw badRequest('Stage is configured with auto-deploy. Deployments to this stage are created automatically');
  const d: DeploymentRecord = { DeploymentId: v2Id(6), Description: input['Description'] as string | undefined, CreatedDate: ctx.clock.nowMs(), AutoDeployed: false, snapshot: snapshotOf(api) };
  api.deployments[d.DeploymentId] = d;
  if (stage) {
    stage.DeploymentId = d.DeploymentId;
    stage.LastUpdatedDate = d.CreatedDate;
  }
  save(ctx, api);
  return deploymentView(d);
};

export const getDeployment: Handler = (input, ctx) => {
  const d = apiOf(ctx, input['ApiId']).deployments[String(input['DeploymentId'])];
  if (!d) throw notFound(`Invalid Deployment identifier specified ${String(input['DeploymentId'])}`, 'Deployment');
  return deploymentView(d);
};

export const getDeployments: Handler = (input, ctx) =>
  page(Object.values(apiOf(ctx, input['ApiId']).deployments).sort((a, b) => a.CreatedDate - b.CreatedDate).map(deploymentView), input);

export const deleteDeployment: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const id = String(input['DeploymentId']);
  if (!api.deployments[id]) throw notFound(`Invalid Deployment identifier specified ${id}`, 'Deployment');
  if (Object.values(api.stages).some((s) => s.DeploymentId === id)) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  delete api.deployments[id];
  save(ctx, api);
  return {};
};

export const updateDeployment: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const d = api.deployments[String(input['DeploymentId'])];
  if (!d) throw notFound(`Invalid Deployment identifier specified ${String(input['DeploymentId'])}`, 'Deployment');
  if (input['Description'] !== undefined) d.Description = String(input['Description']);
  save(ctx, api);
  return deploymentView(d);
};

export const resetAuthorizersCache: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  stageOf(api, input['StageName']);
  resetAuthorizerCache(ctx.stores, ctx.account, api.ApiId);
  return {};
};
