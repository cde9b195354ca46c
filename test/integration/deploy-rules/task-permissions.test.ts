import { appOf, Template } from './deploy-rule';
import { TASK_PERMISSIONS } from './task-permissions';

const CONTAINER = {
  Name: 'app',
  Image: { 'Fn::Join': ['', ['123456789012.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/api:1.0.0']] },
  LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' } } },
  Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/db' }],
};

function template(actions: string[], execute = false, taskActions: string[] = []): Template {
  return {
    Resources: {
      ExecutionRole: { Type: 'AWS::IAM::Role' },
      TaskRole: { Type: 'AWS::IAM::Role' },
      ExecutionPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'ExecutionRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } },
      },
      TaskPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'TaskRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: taskActions, Resource: '*' }] } },
      },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [CONTAINER],
          ExecutionRoleArn: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
          TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] },
        },
      },
      Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, EnableExecuteCommand: execute } },
    },
  };
}

const EVERYTHING = ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ssm:GetParameters'];

test('an execution role that cannot read the container\'s secret breaks the rule', () => {
  expect(TASK_PERMISSIONS.check(appOf(template(EVERYTHING.filter((action) => action !== 'ssm:GetParameters'))))).toEqual([
    'TestStack/Task (AWS::ECS::TaskDefinition) execution role ExecutionRole does not allow ssm:GetParameters (app\'s secret DB_PASSWORD)',
  ]);
});

test('an execution role that cannot pull from ECR or write the logs breaks the rule', () => {
  expect(TASK_PERMISSIONS.check(appOf(template(['ssm:GetParameters'])))).toHaveLength(5);
});

test('ECS Exec on a service whose task role cannot open the SSM channels breaks the rule', () => {
  expect(TASK_PERMISSIONS.check(appOf(template(EVERYTHING, true, ['ssmmessages:CreateControlChannel'])))).toHaveLength(3);
});

test('roles that allow every call, wildcards included, keep the rule', () => {
  expect(TASK_PERMISSIONS.check(appOf(template(EVERYTHING, true, ['ssmmessages:*'])))).toEqual([]);
  expect(TASK_PERMISSIONS.check(appOf(template(['ecr:*', 'logs:*', 'ssm:GetParameters'])))).toEqual([]);
});
