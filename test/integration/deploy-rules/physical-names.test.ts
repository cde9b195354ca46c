import { appOf, Template } from './deploy-rule';
import { PHYSICAL_NAMES } from './physical-names';

const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

function named(type: string, property: string, name: unknown): Template {
  return { Resources: { Thing: { Type: type, Properties: { [property]: name } } } };
}

test.each<[string, string, unknown, RegExp]>([
  ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'Name', 'internal-platform', /reserved prefix/],
  ['AWS::ECS::Cluster', 'ClusterName', { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'cluster.v2']] }, /characters outside/],
  ['AWS::ECR::Repository', 'RepositoryName', 'Platform/Api', /characters outside/],
  ['AWS::ECR::Repository', 'RepositoryName', 'platform//api', /not the form/],
  ['AWS::ElasticLoadBalancingV2::TargetGroup', 'Name', 'a-target-group-name-of-40-characters-long', /over 32/],
  ['AWS::Logs::LogGroup', 'LogGroupName', { 'Fn::Join': ['', ['aws-waf-logs-', 'x'.repeat(480), '-', STACK_UUID]] }, /over 512/],
  ['AWS::ECS::TaskDefinition', 'Family', 'Platform/Api', /characters outside/],
])('%s %s %j breaks the rule', (type, property, name, problem) => {
  const violations = PHYSICAL_NAMES.check(appOf(named(type, property, name), 'EcsPlatform'));
  expect(violations).toContainEqual(expect.stringMatching(problem));
});

test('names the services accept keep the rule, with the stack name and the stack id as CloudFormation gives them', () => {
  for (const [type, property, name] of [
    ['AWS::ECS::Cluster', 'ClusterName', { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'cluster']] }],
    ['AWS::Logs::LogGroup', 'LogGroupName', { 'Fn::Join': ['', ['aws-waf-logs-EcsPlatform-WebAcl-', STACK_UUID]] }],
    ['AWS::ECR::Repository', 'RepositoryName', 'platform/api-server'],
    ['AWS::ECS::TaskDefinition', 'Family', 'EcsPlatformApiTaskDefinition1234'],
    ['AWS::Logs::LogGroup', 'LogGroupName', { 'Fn::Join': ['', ['/platform/', { 'Fn::GetAtt': ['Other', 'Name'] }]] }],
  ] as const) {
    expect(PHYSICAL_NAMES.check(appOf(named(type, property, name), 'EcsPlatform'))).toEqual([]);
  }
});

test('a web ACL that logs to a log group not named aws-waf-logs-... breaks the rule', () => {
  const template: Template = {
    Resources: {
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'platform-web-acl' } },
      Logging: {
        Type: 'AWS::WAFv2::LoggingConfiguration',
        Properties: { LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:', { Ref: 'Logs' }]] }] },
      },
    },
  };
  expect(PHYSICAL_NAMES.check(appOf(template))).toEqual([expect.stringContaining('does not begin with aws-waf-logs-')]);
});
