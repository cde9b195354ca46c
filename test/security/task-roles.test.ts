import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TaskRoles } from '../../src';
import { nagFindings, testStack } from '../util';

const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Principal: { Service: 'ecs-tasks.amazonaws.com' },
    Condition: {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-east-1:123456789012:*']] },
      },
    },
  }],
};

describe('TaskRoles', () => {
  describe('defaults', () => {
    let stack: Stack;
    let roles: TaskRoles;
    let template: Template;
    beforeAll(() => {
      stack = testStack();
      roles = new TaskRoles(stack, 'Roles', { workloadName: 'api' });
      template = Template.fromStack(stack);
    });

    test('creates exactly two roles', () => {
      template.resourceCountIs('AWS::IAM::Role', 2);
      expect(roles.taskRole).not.toBe(roles.executionRole);
    });

    test('lets only ECS tasks of this account and region assume the task role', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Task role of api: what its containers may call',
        AssumeRolePolicyDocument: TRUST_POLICY,
      });
    });

    test('lets only ECS tasks of this account and region assume the execution role', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Execution role of api: image pull, its secrets, its logs',
        AssumeRolePolicyDocument: TRUST_POLICY,
      });
    });

    test('tags both roles with the workload name', () => {
      const tagged = template.findResources('AWS::IAM::Role', {
        Properties: { Tags: [{ Key: 'cdk-ecs-platform:workload', Value: 'api' }] },
      });
      expect(Object.keys(tagged).sort()).toEqual([
        stack.getLogicalId(roles.executionRole.node.defaultChild as iam.CfnRole),
        stack.getLogicalId(roles.taskRole.node.defaultChild as iam.CfnRole),
      ].sort());
    });

    test('names the workload in both descriptions', () => {
      const descriptions = Object.values(template.findResources('AWS::IAM::Role')).map((role) => role.Properties.Description);
      expect(descriptions).toHaveLength(2);
      for (const description of descriptions) expect(description).toMatch(/ of api: /);
    });

    test('sets no permissions boundary', () => {
      template.allResourcesProperties('AWS::IAM::Role', { PermissionsBoundary: Match.absent() });
    });

    test('keeps the default maximum session duration and generated role names', () => {
      template.allResourcesProperties('AWS::IAM::Role', { MaxSessionDuration: Match.absent(), RoleName: Match.absent() });
    });

    test('grants to the task role when the roles themselves are the grantee', () => {
      expect(roles.grantPrincipal).toBe(roles.taskRole.grantPrincipal);
    });

    test('gives neither role any permissions', () => {
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.allResourcesProperties('AWS::IAM::Role', {
        ManagedPolicyArns: Match.absent(),
        Policies: Match.absent(),
      });
    });
  });

  describe('configuration', () => {
    test('uses the provided workloadName in the descriptions and the tag', () => {
      const stack = testStack();
      new TaskRoles(stack, 'Roles', { workloadName: 'billing-worker' });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Task role of billing-worker: what its containers may call',
        Tags: [{ Key: 'cdk-ecs-platform:workload', Value: 'billing-worker' }],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Execution role of billing-worker: image pull, its secrets, its logs',
        Tags: [{ Key: 'cdk-ecs-platform:workload', Value: 'billing-worker' }],
      });
    });

    test('applies the provided permissionsBoundary to both roles', () => {
      const stack = testStack();
      const boundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'workload-boundary');
      new TaskRoles(stack, 'Roles', { workloadName: 'api', permissionsBoundary: boundary });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Role', 2);
      template.allResourcesProperties('AWS::IAM::Role', {
        PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:policy/workload-boundary']] },
      });
    });

    test('scopes the source ARN to the stack\'s region and account', () => {
      const stack = new Stack(undefined, 'Other', { env: { account: '210987654321', region: 'eu-west-1' } });
      new TaskRoles(stack, 'Roles', { workloadName: 'api' });
      Template.fromStack(stack).allResourcesProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({
            Condition: Match.objectLike({
              ArnLike: {
                'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:210987654321:*']] },
              },
            }),
          })],
        },
      });
    });
  });

  describe('validation', () => {
    test.each([
      ['empty', ''],
      ['with a character a tag value cannot hold', 'api#1'],
      ['longer than 256 characters', 'a'.repeat(257)],
    ])('fails when workloadName is %s', (_, workloadName) => {
      const stack = testStack();
      expect(() => new TaskRoles(stack, 'Roles', { workloadName }))
        .toThrow(new RegExp('^\\[TestStack/Roles\\] `workloadName` must be 1 to 256 letters, digits, spaces and `_\\.:/=\\+-@` ' +
          `\\(it is an IAM tag value\\), got: "${workloadName}"$`));
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    });

    test.each(['api', 'Billing Worker', 'team/api:v2', 'a'.repeat(256), 'überweisung'])('accepts the workloadName %j', (workloadName) => {
      expect(() => new TaskRoles(testStack(), 'Roles', { workloadName })).not.toThrow();
    });
  });

  describe('permissions', () => {
    test('grants added to the task role stay on the task role', () => {
      const stack = testStack();
      const roles = new TaskRoles(stack, 'Roles', { workloadName: 'api' });
      roles.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(roles.taskRole.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
      });
    });

    test('grants to the roles go to the task role only', () => {
      const stack = testStack();
      const roles = new TaskRoles(stack, 'Roles', { workloadName: 'api' });
      const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'reports');
      bucket.grantRead(roles);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(roles.taskRole.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::reports']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::reports/*']] },
            ],
          }],
        },
      });
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const stack = testStack();
      const roles = new TaskRoles(stack, 'Roles', { workloadName: 'api' });
      expect(nagFindings(roles)).toEqual([]);
    });

    test('has no AwsSolutions findings with a permissions boundary', () => {
      const stack = testStack();
      const permissionsBoundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'workload-boundary');
      const roles = new TaskRoles(stack, 'Roles', { workloadName: 'api', permissionsBoundary });
      expect(nagFindings(roles)).toEqual([]);
    });
  });
});
