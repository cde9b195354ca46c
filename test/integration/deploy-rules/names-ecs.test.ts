import { appOf, Template } from './deploy-rule';
import { CAPACITY_PROVIDER_NAMES } from './names-ecs';

function provider(name?: unknown): Template {
  return { Resources: { Provider: { Type: 'AWS::ECS::CapacityProvider', Properties: name === undefined ? {} : { Name: name } } } };
}

test.each(['ecs-cp', 'ECS-cp', 'AwsCp', 'Fargate', 'has space', 'x'.repeat(256)])('a capacity provider named %j breaks the rule', (name) => {
  expect(CAPACITY_PROVIDER_NAMES.check(appOf(provider(name)))).toEqual([
    `TestStack/Provider (AWS::ECS::CapacityProvider) is named ${JSON.stringify(name)}, which ECS refuses`,
  ]);
});

test('a capacity provider without a name in a stack whose name starts with Ecs breaks the rule', () => {
  expect(CAPACITY_PROVIDER_NAMES.check(appOf(provider(), 'EcsPlatform'))).toEqual([
    'EcsPlatform/Provider (AWS::ECS::CapacityProvider) has no Name, and the name CloudFormation generates ' +
    '(EcsPlatform-Provider-<suffix>) starts with a reserved word',
  ]);
});

test('a name that starts with a token breaks the rule', () => {
  const name = { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '-cp']] };
  expect(CAPACITY_PROVIDER_NAMES.check(appOf(provider(name)))).toEqual([
    'TestStack/Provider (AWS::ECS::CapacityProvider) has a name that may start with a reserved word: <Ref:AWS::StackName>-cp',
  ]);
});

test.each<[string, unknown, string]>([
  ['a safe name', 'cp-EcsPlatform-Capacity-1A2B3C4D', 'EcsPlatform'],
  ['no name in a stack with a safe name', undefined, 'Platform'],
  ['a name with a safe literal start and a token', { 'Fn::Join': ['', ['cp-', { Ref: 'AWS::StackName' }, '-x']] }, 'Nested'],
])('%s keeps the rule', (_, name, stackName) => {
  expect(CAPACITY_PROVIDER_NAMES.check(appOf(provider(name), stackName))).toEqual([]);
});
