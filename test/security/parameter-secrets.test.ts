import { Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ParameterSecrets, TaskSecret } from '../../src';
import { nagFindings, testStack } from '../util';

const SSM_READ_ACTIONS = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'];

function parameterArn(name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1:123456789012:parameter${name}`]] };
}

describe('ParameterSecrets', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });

  describe('defaults', () => {
    test('maps every environment variable to a secret of its parameter', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', {
        parameters: { DATABASE_PASSWORD: '/prod/api/db-password', API_KEY: '/prod/api/key' },
      });
      expect(Object.keys(secrets.secrets)).toEqual(['API_KEY', 'DATABASE_PASSWORD']);
      expect(stack.resolve(secrets.secrets.DATABASE_PASSWORD.arn)).toEqual(parameterArn('/prod/api/db-password'));
      expect(stack.resolve(secrets.secrets.API_KEY.arn)).toEqual(parameterArn('/prod/api/key'));
    });

    test('imports the parameters by name', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', { parameters: { DATABASE_PASSWORD: '/prod/api/db-password' } });
      expect(Object.keys(secrets.parameters)).toEqual(['DATABASE_PASSWORD']);
      expect(secrets.parameters.DATABASE_PASSWORD.parameterName).toBe('/prod/api/db-password');
      expect(secrets.parameters.DATABASE_PASSWORD.node.path).toBe('TestStack/Secrets/DATABASE_PASSWORD');
    });

    test('creates no resources', () => {
      new ParameterSecrets(stack, 'Secrets', { parameters: { DATABASE_PASSWORD: '/prod/api/db-password' } });
      expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
    });

    test('takes no props at all', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets');
      expect(secrets.secrets).toEqual({});
      expect(secrets.parameters).toEqual({});
    });

    test('accepts an empty map', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', { parameters: {} });
      expect(secrets.secrets).toEqual({});
      expect(secrets.parameters).toEqual({});
    });
  });

  describe('configuration', () => {
    test('takes a parameter name without a leading slash', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', { parameters: { API_KEY: 'api-key' } });
      expect(stack.resolve(secrets.secrets.API_KEY.arn)).toEqual(parameterArn('/api-key'));
    });

    test('injects the secrets into a container without their values', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', { parameters: { DATABASE_PASSWORD: '/prod/api/db-password' } });
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'TaskDefinition');
      taskDefinition.addContainer('App', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
        memoryLimitMiB: 512,
        secrets: secrets.secrets,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Secrets: [{ Name: 'DATABASE_PASSWORD', ValueFrom: parameterArn('/prod/api/db-password') }],
          Environment: Match.absent(),
        })],
      });
    });
  });

  describe('secrets', () => {
    const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api/database-AbCdEf';

    test('merges parameters and secrets into one map, in name order', () => {
      const database = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN);
      const secrets = new ParameterSecrets(stack, 'Secrets', {
        parameters: { DATABASE_PASSWORD: '/prod/api/db-password' },
        secrets: {
          SIGNING_KEY: TaskSecret.fromParameter('/prod/api/signing-key'),
          API_TOKEN: TaskSecret.fromSecretsManager(database, { field: 'token' }),
        },
      });
      expect(Object.keys(secrets.secrets)).toEqual(['API_TOKEN', 'DATABASE_PASSWORD', 'SIGNING_KEY']);
      expect(Object.keys(secrets.parameters)).toEqual(['DATABASE_PASSWORD', 'SIGNING_KEY']);
      expect(secrets.secrets.API_TOKEN.arn).toBe(`${SECRET_ARN}:token::`);
    });

    test('lets the execution role read exactly the parameters and secrets, and decrypt with their keys', () => {
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      const secrets = new ParameterSecrets(stack, 'Secrets', {
        parameters: { DATABASE_PASSWORD: '/prod/api/db-password' },
        secrets: {
          SIGNING_KEY: TaskSecret.fromParameter('/prod/api/signing-key', { encryptionKey }),
          API_TOKEN: TaskSecret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN)),
        },
      });
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'TaskDefinition');
      taskDefinition.addContainer('App', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
        memoryLimitMiB: 512,
        secrets: secrets.secrets,
      });
      const executionRole = taskDefinition.obtainExecutionRole().node.defaultChild as iam.CfnRole;
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(executionRole) }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: SECRET_ARN },
            { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/db-password') },
            { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/signing-key') },
            {
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: encryptionKey.keyArn,
              Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } },
            },
          ],
        },
      });
    });

    test('fails when a name is both in parameters and in secrets', () => {
      expect(() => new ParameterSecrets(stack, 'Secrets', {
        parameters: { API_KEY: '/prod/api/key' },
        secrets: { API_KEY: TaskSecret.fromParameter('/prod/api/other-key') },
      })).toThrow('[TestStack/Secrets] `secrets.API_KEY` must be a name that is not also in `parameters`, got: "API_KEY"');
    });

    test.each(['1BAD', 'BAD-NAME'])('fails when the environment variable name of a secret is %j', (variable) => {
      expect(() => new ParameterSecrets(stack, 'Secrets', { secrets: { [variable]: TaskSecret.fromParameter('/prod/api/key') } }))
        .toThrow('[TestStack/Secrets] `secrets` must be keyed by environment variable names ' +
          `(letters, digits and \`_\`, not starting with a digit), got: "${variable}"`);
    });

    test('imports nothing when a later secret fails validation', () => {
      expect(() => new ParameterSecrets(stack, 'Secrets', {
        parameters: { API_KEY: '/prod/api/key' },
        secrets: { TOKEN: TaskSecret.fromParameter('bad name') },
      })).toThrow(/`secrets\.TOKEN` must be an SSM parameter name/);
      expect(stack.node.findAll().filter((construct) => construct.node.path.startsWith('TestStack/Secrets/'))).toEqual([]);
    });
  });

  describe('permissions', () => {
    test('lets the execution role read exactly these parameters', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', {
        parameters: { DATABASE_PASSWORD: '/prod/api/db-password', API_KEY: '/prod/api/key' },
      });
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'TaskDefinition');
      taskDefinition.addContainer('App', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
        memoryLimitMiB: 512,
        secrets: secrets.secrets,
      });
      const executionRole = taskDefinition.obtainExecutionRole().node.defaultChild as iam.CfnRole;
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(executionRole) }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/key') },
            { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/db-password') },
          ],
        },
      });
    });
  });

  describe('validation', () => {
    test.each(['1BAD', 'BAD-NAME', 'BAD NAME', ''])('fails when the environment variable name is %j', (variable) => {
      expect(() => new ParameterSecrets(stack, 'Secrets', { parameters: { [variable]: '/prod/api/key' } }))
        .toThrow(new RegExp('^\\[TestStack/Secrets\\] `parameters` must be keyed by environment variable names ' +
          `\\(letters, digits and \`_\`, not starting with a digit\\), got: "${variable}"$`));
    });

    test('fails when a parameter is given by ARN, asking for its name', () => {
      const arn = `arn:${Aws.PARTITION}:ssm:us-east-1:123456789012:parameter/prod/api/key`;
      expect(() => new ParameterSecrets(stack, 'Secrets', { parameters: { API_KEY: arn } }))
        .toThrow(/^\[TestStack\/Secrets\] `parameters\.API_KEY` must be a parameter name such as `\/prod\/api\/db-password`, not an ARN, got: "arn:/);
    });

    test.each([
      ['empty', ''],
      ['with a space', '/prod/api key'],
      ['with a $', '/prod/api/$key'],
      ['with a `/` but no leading `/`', 'prod/db'],
      ['longer than 2048 characters', `/${'a'.repeat(2048)}`],
    ])('fails when a parameter name is %s', (_, name) => {
      expect(() => new ParameterSecrets(stack, 'Secrets', { parameters: { API_KEY: name } }))
        .toThrow(new RegExp('^\\[TestStack/Secrets\\] `parameters\\.API_KEY` must be an SSM parameter name: ' +
          'letters, digits and `_\\.-/`, at most 2048 characters, starting with `\/` when it has a `\/`, got: "'));
    });

    test('accepts a parameter name of 2048 characters', () => {
      const name = `/${'a'.repeat(2047)}`;
      const secrets = new ParameterSecrets(stack, 'Secrets', { parameters: { API_KEY: name } });
      expect(secrets.parameters.API_KEY.parameterName).toBe(name);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const secrets = new ParameterSecrets(stack, 'Secrets', { parameters: { DATABASE_PASSWORD: '/prod/api/db-password' } });
      expect(nagFindings(secrets)).toEqual([]);
    });

    test('has no AwsSolutions findings with Secrets Manager secrets and keys', () => {
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      const secrets = new ParameterSecrets(stack, 'Secrets', {
        parameters: { DATABASE_PASSWORD: '/prod/api/db-password' },
        secrets: {
          SIGNING_KEY: TaskSecret.fromParameter('/prod/api/signing-key', { encryptionKey }),
          TOKEN: TaskSecret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'prod/api/token')),
        },
      });
      expect(nagFindings(secrets)).toEqual([]);
    });
  });
});
