/**
 * AWS Step Functions: state machines (STANDARD and EXPRESS) with AWS's definition
 * validation, versions and aliases, executions run by the States Language engine
 * (`src/engines/states`) on the app clock, histories with AWS's event types, task
 * integrations made in-process as the machine's role, task tokens, activities, Distributed
 * Map runs, redrive and TestState.
 *
 * Running executions live in memory: with a data directory, a restart keeps their records
 * but does not resume them.
 */
import type { ServiceDefinition } from '../types.js';
import { createActivity, deleteActivity, describeActivity, getActivityTask, listActivities } from './activities.js';
import {
  describeExecution, describeStateMachineForExecution, getExecutionHistory, listExecutions, redriveExecution, startExecution, startSyncExecution,
  stopExecution,
} from './executions.js';
import {
  createStateMachine, deleteStateMachine, describeStateMachine, listStateMachines, updateStateMachine, validateStateMachineDefinition,
} from './machines.js';
import { describeMapRun, listMapRuns, updateMapRun } from './map-runs.js';
import { sfnResources } from './resources.js';
import { installRuntime } from './runtime.js';
import { listTagsForResource, machineTags, tagResource, untagResource } from './tags.js';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './tasks.js';
import { testState } from './test-state.js';
import {
  createStateMachineAlias, deleteStateMachineAlias, deleteStateMachineVersion, describeStateMachineAlias, listStateMachineAliases,
  listStateMachineVersions, publishStateMachineVersion, updateStateMachineAlias,
} from './versions.js';

const sfn: ServiceDefinition = {
  name: 'sfn',
  handlers: {
    CreateStateMachine: createStateMachine, DescribeStateMachine: describeStateMachine, ListStateMachines: listStateMachines,
    UpdateStateMachine: updateStateMachine, DeleteStateMachine: deleteStateMachine, ValidateStateMachineDefinition: validateStateMachineDefinition,
    StartExecution: startExecution, StartSyncExecution: startSyncExecution, DescribeExecution: describeExecution, ListExecutions: listExecutions,
    StopExecution: stopExecution, GetExecutionHistory: getExecutionHistory, DescribeStateMachineForExecution: describeStateMachineForExecution,
    RedriveExecution: redriveExecution,
    SendTaskSuccess: sendTaskSuccess, SendTaskFailure: sendTaskFailure, SendTaskHeartbeat: sendTaskHeartbeat,
    TagResource: tagResource, UntagResource: untagResource, ListTagsForResource: listTagsForResource,
    PublishStateMachineVersion: publishStateMachineVersion, ListStateMachineVersions: listStateMachineVersions,
    DeleteStateMachineVersion: deleteStateMachineVersion, CreateStateMachineAlias: createStateMachineAlias,
    DescribeStateMachineAlias: describeStateMachineAlias, UpdateStateMachineAlias: updateStateMachineAlias,
    DeleteStateMachineAlias: deleteStateMachineAlias, ListStateMachineAliases: listStateMachineAliases,
    CreateActivity: createActivity, DescribeActivity: describeActivity, DeleteActivity: deleteActivity, ListActivities: listActivities,
    GetActivityTask: getActivityTask,
    DescribeMapRun: describeMapRun, ListMapRuns: listMapRuns, UpdateMapRun: updateMapRun,
    TestState: testState,
  },
  install(host) {
    installRuntime(host);
    host.ports.resourceTags.set('states', (arn) => machineTags(host, arn));
    host.ports.resourceResolvers.set('states', sfnResources);
  },
};

export default sfn;
