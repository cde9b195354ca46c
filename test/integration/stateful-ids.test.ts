/**
 * The logical ids of stateful resources are API: a new id replaces the resource, and can lose its data (a log
 * group's logs, a repository's images, a queue's messages). This test pins, for every example, the logical id of
 * every stateful resource in a golden list, so a refactor that would replace one fails here, loudly.
 *
 * After a deliberate change (a new example, a new stateful resource), regenerate the list and review its diff:
 *   UPDATE_STATEFUL_IDS=1 npx jest test/integration/stateful-ids.test.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EXAMPLE_FILES, scenarioOf, stackClasses } from './example-stacks';

const STATEFUL_TYPES = [
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::EC2::VPC',
  'AWS::ECR::Repository',
  'AWS::ECS::Cluster',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::ServiceDiscovery::HttpNamespace',
];
const GOLDEN = path.join(__dirname, 'stateful-logical-ids.json');

/** `scenario/StackClass` → resource type → sorted logical ids, for every example. */
function statefulIds(): Record<string, Record<string, string[]>> {
  const result: Record<string, Record<string, string[]>> = {};
  for (const file of EXAMPLE_FILES) {
    for (const [name, StackClass] of stackClasses(file)) {
      const app = new App();
      const stack = new StackClass(app, 'Example');
      // the example class's stack, then any other stack of the app (a platform's workload stacks) by its name
      for (const artifact of app.synth().stacks) {
        const resources = artifact.template.Resources as Record<string, { Type: string }>;
        const byType: Record<string, string[]> = {};
        for (const type of STATEFUL_TYPES) {
          const ids = Object.keys(resources).filter((id) => resources[id].Type === type).sort();
          if (ids.length) byType[type] = ids;
        }
        const key = `${scenarioOf(file)}/${name}`;
        if (artifact.id === stack.artifactId) result[key] = byType;
        else if (Object.keys(byType).length) result[`${key}/${artifact.stackName}`] = byType;
      }
    }
  }
  return result;
}

test('every stateful resource of every example keeps its logical id', () => {
  const actual = statefulIds();
  if (process.env.UPDATE_STATEFUL_IDS === '1') {
    fs.writeFileSync(GOLDEN, `${JSON.stringify(actual, undefined, 2)}\n`);
  }
  const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8'));
  // every golden id must still be there: a missing one is a replaced resource
  for (const [example, byType] of Object.entries<Record<string, string[]>>(golden)) {
    for (const [type, ids] of Object.entries(byType)) {
      expect({ example, type, ids: actual[example]?.[type] ?? [] }).toEqual({ example, type, ids });
    }
  }
  // and the list is complete, so the next refactor is checked against every resource
  expect(actual).toEqual(golden);
});
