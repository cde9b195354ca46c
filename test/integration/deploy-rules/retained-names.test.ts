import { appOf } from './deploy-rule';
import { NO_RETAINED_FIXED_NAMES } from './retained-names';

const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

test('a retained log group with a fixed name breaks the rule, a literal or one built from the stack name', () => {
  for (const name of ['aws-waf-logs-Platform-WebAcl', { 'Fn::Join': ['-', ['aws-waf-logs', { Ref: 'AWS::StackName' }]] }]) {
    const app = appOf({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: name } } } });
    expect(NO_RETAINED_FIXED_NAMES.check(app)).toEqual([expect.stringContaining('TestStack/Logs (AWS::Logs::LogGroup) is retained with the fixed name')]);
  }
});

test('a retained repository with a fixed name breaks the rule', () => {
  const app = appOf({ Resources: { Repo: { Type: 'AWS::ECR::Repository', DeletionPolicy: 'Retain', Properties: { RepositoryName: 'platform/api' } } } });
  expect(NO_RETAINED_FIXED_NAMES.check(app)).toHaveLength(1);
});

test('a generated name, a name with the stack instance id, and a fixed name that is deleted keep the rule', () => {
  const app = appOf({
    Resources: {
      Generated: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: {} },
      PerInstance: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: { 'Fn::Join': ['', ['aws-waf-logs-x-', STACK_UUID]] } } },
      Deleted: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete', Properties: { LogGroupName: 'fixed' } },
    },
  });
  expect(NO_RETAINED_FIXED_NAMES.check(app)).toEqual([]);
});
