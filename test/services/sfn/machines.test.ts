/** State machines through the real SDK: create with AWS's validation messages, describe, list, update, delete, tags. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateStateMachineCommand, DeleteStateMachineCommand, DescribeStateMachineCommand, ListStateMachinesCommand, ListTagsForResourceCommand,
  TagResourceCommand, UntagResourceCommand, UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { useDrydock } from '../../helpers.js';
import { createMachine, DUMMY_ROLE, failure, sfnClient, uniqueName } from './helpers.js';

const h = useDrydock();
const PASS = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

test('create, describe, list and delete a state machine', async () => {
  const c = sfnClient(h.dd);
  const name = uniqueName();
  const out = await c.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: DUMMY_ROLE }));
  assert.equal(out.stateMachineArn, `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`);
  const d = await c.send(new DescribeStateMachineCommand({ stateMachineArn: out.stateMachineArn }));
  assert.equal(d.name, name);
  assert.equal(d.type, 'STANDARD');
  assert.equal(d.status, 'ACTIVE');
  assert.deepEqual(JSON.parse(d.definition!), PASS);
  assert.deepEqual(d.loggingConfiguration, { level: 'OFF', includeExecutionData: false });
  const list = await c.send(new ListStateMachinesCommand({}));
  assert.ok(list.stateMachines!.some((m) => m.name === name && m.type === 'STANDARD'));
  await c.send(new DeleteStateMachineCommand({ stateMachineArn: out.stateMachineArn }));
  const gone = await failure(() => c.send(new DescribeStateMachineCommand({ stateMachineArn: out.stateMachineArn })));
  assert.equal(gone.name, 'StateMachineDoesNotExist');
  assert.equal(gone.message, `State Machine Does Not Exist: '${out.stateMachineArn}'`);
});

test('a second create with another definition is StateMachineAlreadyExists; the same one is idempotent', async () => {
  const c = sfnClient(h.dd);
  const name = uniqueName();
  const arn = await createMachine(c, PASS, { name });
  assert.equal(await createMachine(c, PASS, { name }), arn);
  const e = await failure(() => createMachine(c, { StartAt: 'B', States: { B: { Type: 'Succeed' } } }, { name }));
  assert.equal(e.name, 'StateMachineAlreadyExists');
  assert.equal(e.message, `State Machine Already Exists: '${arn}'`);
});

test('invalid definitions answer InvalidDefinition with AWS messages', async () => {
  const c = sfnClient(h.dd);
  const cases: [object, string][] = [
    [{ StartAt: 'A' }, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"],
    [{ StartAt: 'A', States: { A: { Type: 'Nope', End: true } } },
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/A/Type'"],
    [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'C' }, B: { Type: 'Succeed' } } },
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: C at /States/A/Next, MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B'"],
    [{ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [], End: true } } },
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/P/Branches'"],
    [{ StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2016-12-05 21:29:29Z', End: true } } },
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/W/Timestamp'"],
    [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:query', End: true } } },
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/T/Resource'"],
  ];
  for (const [def, message] of cases) {
    const e = await failure(() => createMachine(c, def));
    assert.equal(e.name, 'InvalidDefinition');
    assert.equal(e.status, 400);
    assert.equal(e.message, message, JSON.stringify(def));
  }
});

test('express machines refuse .waitForTaskToken, .sync and activities', async () => {
  const c = sfnClient(h.dd);
  const def = { StartAt: 'S', States: { S: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', End: true } } };
  const e = await failure(() => createMachine(c, def, { type: 'EXPRESS' }));
  assert.equal(e.message, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/S/Resource'");
  assert.ok(await createMachine(c, def));
});

test('names and ARNs are checked as AWS checks them', async () => {
  const c = sfnClient(h.dd);
  const bad = await failure(() => createMachine(c, PASS, { name: 'bad name' }));
  assert.equal(bad.name, 'InvalidName');
  assert.equal(bad.message, "Invalid Name: 'bad name'");
  const arn = await failure(() => c.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })));
  assert.equal(arn.name, 'InvalidArn');
  assert.equal(arn.message, "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
  const page = await failure(() => c.send(new ListStateMachinesCommand({ maxResults: 1001 })));
  assert.equal(page.name, 'ValidationException');
  assert.equal(page.message, "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
});

test('update changes the definition and revision; an empty update is MissingRequiredParameter', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, PASS);
  const next = { StartAt: 'B', States: { B: { Type: 'Succeed' } } };
  const up = await c.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(next) }));
  assert.ok(up.revisionId);
  const d = await c.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  assert.deepEqual(JSON.parse(d.definition!), next);
  assert.equal(d.revisionId, up.revisionId);
  const e = await failure(() => c.send(new UpdateStateMachineCommand({ stateMachineArn: arn })));
  assert.equal(e.name, 'MissingRequiredParameter');
  assert.equal(e.message, 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
});

test('tags: tag, list, untag', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, PASS);
  await c.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'team', value: 'a' }, { key: 'env', value: 'dev' }] }));
  await c.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
  const t = await c.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(t.tags, [{ key: 'team', value: 'a' }]);
});

test('ValidateStateMachineDefinition lists diagnostics', async () => {
  const c = sfnClient(h.dd);
  const ok = await c.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(PASS) }));
  assert.equal(ok.result, 'OK');
  assert.deepEqual(ok.diagnostics, []);
  const bad = await c.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({}) }));
  assert.equal(bad.result, 'FAIL');
  assert.deepEqual(bad.diagnostics, [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States, StartAt]', location: '/' }]);
  const notJson = await c.send(new ValidateStateMachineDefinitionCommand({ definition: 'not a definition' }));
  assert.equal(notJson.diagnostics![0]!.code, 'INVALID_JSON_DESCRIPTION');
  assert.equal(notJson.diagnostics![0]!.message, "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]");
});
