import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ParameterSecrets, TaskSecret } from '../../src';
import { nagFindings, testStack } from '../util';

const SSM_READ_ACTIONS = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'];
const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api/database-AbCdEf';
const VERSION_ID = 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE';

function parameterArn(name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1:123456789012:parameter${name}`]] };
}

function secretNameArn(name: string, suffix = ''): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:secretsmanager:us-east-1:123456789012:secret:${name}${suffix}`]] };
}

/** A statement that allows `kms:Decrypt` on `key` through `service` only. */
function decryptVia(service: string, key: unknown = KEY_ARN): unknown {
  return {
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: key,
    Condition: { StringEquals: { 'kms:ViaService': `${service}.us-east-1.amazonaws.com` } },
  };
}

/** Adds a container with `secrets` to a new task definition; returns the task definition. */
function taskWith(stack: Stack, secrets: { [name: string]: TaskSecret }): ecs.TaskDefinition {
  const parameterSecrets = new ParameterSecrets(stack, 'Secrets', { secrets });
  const taskDefinition = new ecs.TaskDefinition(stack, 'TaskDefinition', { compatibility: ecs.Compatibility.EC2 });
  taskDefinition.addContainer('App', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    memoryLimitMiB: 512,
    secrets: parameterSecrets.secrets,
  });
  return taskDefinition;
}

/** The statements of the execution role's policy of `taskDefinition`. */
function executionRoleStatements(stack: Stack, taskDefinition: ecs.TaskDefinition): unknown[] {
  const role = taskDefinition.obtainExecutionRole().node.defaultChild as iam.CfnRole;
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.getLogicalId(role) }] } });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

/** The `Secrets` of the only container. */
function containerSecrets(stack: Stack): unknown {
  const definitions = Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition');
  return Object.values(definitions)[0].Properties.ContainerDefinitions[0].Secrets;
}

describe('TaskSecret', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });

  describe('fromParameter', () => {
    test('injects the parameter by ARN and lets the execution role read exactly it', () => {
      const taskDefinition = taskWith(stack, { API_KEY: TaskSecret.fromParameter('/prod/api/key') });
      expect(containerSecrets(stack)).toEqual([{ Name: 'API_KEY', ValueFrom: parameterArn('/prod/api/key') }]);
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([
        { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/key') },
      ]);
    });

    test('lets the execution role decrypt with the customer-managed key only through Parameter Store', () => {
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
      const taskDefinition = taskWith(stack, { API_KEY: TaskSecret.fromParameter('/prod/api/key', { encryptionKey }) });
      expect(containerSecrets(stack)).toEqual([{ Name: 'API_KEY', ValueFrom: parameterArn('/prod/api/key') }]);
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([
        { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/key') },
        decryptVia('ssm'),
      ]);
    });

    test('grants a key of the same stack in the role policy, not the key policy', () => {
      const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const taskDefinition = taskWith(stack, { API_KEY: TaskSecret.fromParameter('/prod/api/key', { encryptionKey }) });
      const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
      expect(executionRoleStatements(stack, taskDefinition)).toContainEqual(decryptVia('ssm', keyArn));
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: [Match.objectLike({ Action: 'kms:*' })] },
      });
    });

    test('imports the parameter under the environment variable name without its key', () => {
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
      const secrets = new ParameterSecrets(stack, 'Secrets', { secrets: { API_KEY: TaskSecret.fromParameter('/prod/api/key', { encryptionKey }) } });
      expect(secrets.parameters.API_KEY.parameterName).toBe('/prod/api/key');
      expect(secrets.parameters.API_KEY.node.path).toBe('TestStack/Secrets/API_KEY');
      expect(stack.resolve(secrets.secrets.API_KEY.arn)).toEqual(parameterArn('/prod/api/key'));
      expect(secrets.secrets.API_KEY.hasField).toBeUndefined();
    });

    test.each([
      ['an ARN', 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/key',
        'a parameter name such as `/prod/api/db-password`, not an ARN'],
      ['a name with a space', '/prod/api key',
        'an SSM parameter name: letters, digits and `_.-/`, at most 2048 characters, starting with `/` when it has a `/`'],
    ])('fails when the parameter name is %s', (_, name, allowed) => {
      expect(() => new ParameterSecrets(stack, 'Secrets', { secrets: { API_KEY: TaskSecret.fromParameter(name) } }))
        .toThrow(`[TestStack/Secrets] \`secrets.API_KEY\` must be ${allowed}, got: "${name}"`);
    });
  });

  describe('fromSecretsManager', () => {
    test('injects a whole secret imported by name and lets the execution role read exactly it', () => {
      const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Database', 'prod/api/database');
      const taskDefinition = taskWith(stack, { DATABASE: TaskSecret.fromSecretsManager(secret) });
      expect(containerSecrets(stack)).toEqual([{ Name: 'DATABASE', ValueFrom: secretNameArn('prod/api/database') }]);
      // the wildcard is the one Secrets Manager forces: a secret's ARN ends in six random characters
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([
        { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: secretNameArn('prod/api/database', '-??????') },
      ]);
    });

    test('injects one JSON field of a secret', () => {
      const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN);
      const parameterSecrets = new ParameterSecrets(stack, 'Secrets', {
        secrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(secret, { field: 'password' }) },
      });
      expect(parameterSecrets.secrets.DATABASE_PASSWORD.arn).toBe(`${SECRET_ARN}:password::`);
      expect(parameterSecrets.secrets.DATABASE_PASSWORD.hasField).toBe(true);
      expect(parameterSecrets.parameters).toEqual({});
    });

    test.each([
      [{ versionStage: 'AWSPREVIOUS' }, `${SECRET_ARN}::AWSPREVIOUS:`],
      [{ versionId: VERSION_ID }, `${SECRET_ARN}:::${VERSION_ID}`],
      [{ field: 'password', versionStage: 'AWSPENDING' }, `${SECRET_ARN}:password:AWSPENDING:`],
      [{ field: 'password', versionId: VERSION_ID }, `${SECRET_ARN}:password::${VERSION_ID}`],
    ])('injects the version given by %j', (options, arn) => {
      const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN);
      const taskDefinition = taskWith(stack, { DATABASE: TaskSecret.fromSecretsManager(secret, options) });
      expect(containerSecrets(stack)).toEqual([{ Name: 'DATABASE', ValueFrom: arn }]);
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([{ Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: SECRET_ARN }]);
    });

    test('lets the execution role decrypt with the given key only through Secrets Manager', () => {
      const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN);
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
      const taskDefinition = taskWith(stack, { DATABASE: TaskSecret.fromSecretsManager(secret, { field: 'password', encryptionKey }) });
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([
        { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: SECRET_ARN },
        decryptVia('secretsmanager'),
      ]);
    });

    test('lets the execution role decrypt with the imported key the secret carries, which CDK alone drops', () => {
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
      const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'Database', { secretCompleteArn: SECRET_ARN, encryptionKey });
      const taskDefinition = taskWith(stack, { DATABASE: TaskSecret.fromSecretsManager(secret) });
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([
        { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: SECRET_ARN },
        decryptVia('secretsmanager'),
      ]);
    });

    test('grants a secret and key of the same stack in the role policy, and in the key policy as CDK does', () => {
      const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const secret = new secretsmanager.Secret(stack, 'Database', { encryptionKey });
      const taskDefinition = taskWith(stack, { DATABASE: TaskSecret.fromSecretsManager(secret) });
      const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
      const secretRef = { Ref: stack.getLogicalId(secret.node.defaultChild as secretsmanager.CfnSecret) };
      expect(executionRoleStatements(stack, taskDefinition)).toEqual([
        { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: secretRef },
        decryptVia('secretsmanager', keyArn),
      ]);
      const role = taskDefinition.obtainExecutionRole().node.defaultChild as iam.CfnRole;
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Principal: { AWS: { 'Fn::GetAtt': [stack.getLogicalId(role), 'Arn'] } },
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
          }]),
        },
      });
    });

    describe('validation', () => {
      let secret: secretsmanager.ISecret;
      beforeEach(() => {
        secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN);
      });

      test.each([
        ['field', { field: '' }, 'a JSON key of 1 to 256 characters without `:`', ''],
        ['field', { field: 'a:b' }, 'a JSON key of 1 to 256 characters without `:`', 'a:b'],
        ['versionStage', { versionStage: '' }, 'a staging label of 1 to 256 characters without `:`', ''],
        ['versionStage', { versionStage: 'A:B' }, 'a staging label of 1 to 256 characters without `:`', 'A:B'],
        ['versionId', { versionId: 'short' }, 'a version ID of 32 to 64 letters, digits and `-`', 'short'],
        ['versionId', { versionId: `${VERSION_ID}!` }, 'a version ID of 32 to 64 letters, digits and `-`', `${VERSION_ID}!`],
      ])('fails when %s is %j', (prop, options, allowed, given) => {
        expect(() => new ParameterSecrets(stack, 'Secrets', { secrets: { DATABASE: TaskSecret.fromSecretsManager(secret, options) } }))
          .toThrow(`[TestStack/Secrets] \`secrets.DATABASE.${prop}\` must be ${allowed}, got: "${given}"`);
      });

      test('fails when both versionStage and versionId are given', () => {
        expect(() => new ParameterSecrets(stack, 'Secrets', {
          secrets: { DATABASE: TaskSecret.fromSecretsManager(secret, { versionStage: 'AWSCURRENT', versionId: VERSION_ID }) },
        })).toThrow(`[TestStack/Secrets] \`secrets.DATABASE.versionId\` must be unset when \`versionStage\` is set (a version is named by one of them), got: "${VERSION_ID}"`);
      });
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings on a task definition with every kind of secret', () => {
      const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
      const taskDefinition = taskWith(stack, {
        API_KEY: TaskSecret.fromParameter('/prod/api/key', { encryptionKey }),
        DATABASE: TaskSecret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Database', SECRET_ARN), { field: 'password', encryptionKey }),
        TOKEN: TaskSecret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'prod/api/token')),
      });
      expect(nagFindings(taskDefinition.obtainExecutionRole())).toEqual([]);
    });
  });
});
