import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AmiFamily, LogRouterOptions, QueueWorker, ScheduledTask, ServiceNetworkMode, SidecarOptions, TaskSecret, TaskTrigger, WebServiceOptions,
} from '../../src';
import { nagFindings } from '../util';
import { exactly, getAttArn, logicalId, onlyProperties, statementsOf, WebServiceFixture } from './web-service.fixtures';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api/database-AbCdEf';
const SECRET_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
const SSM_READ_ACTIONS = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'];
const FIREHOSE: LogRouterOptions = { options: { Name: 'kinesis_firehose', region: 'us-east-1', delivery_stream: 'app-logs' } };
const PROXY: SidecarOptions = { name: 'proxy', image: ecs.ContainerImage.fromRegistry('public.ecr.aws/envoy/envoy:v1.31'), memoryLimitMiB: 64 };
const DISALLOW_ALL = { CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 };
const ALLOW_ALL = { CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' };

/** Asserts that `statements` are exactly `expected`, in any order. */
function expectExactly(statements: unknown[], expected: unknown[]): void {
  expect(statements).toHaveLength(expected.length);
  expect(statements).toEqual(expect.arrayContaining(expected));
}

function parameterArn(name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1:123456789012:parameter${name}`]] };
}

/** The statement that lets CloudWatch Logs of the test stack's account and region use a key. */
const LOGS_KEY_STATEMENT = {
  Sid: 'AllowCloudWatchLogsToEncryptLogGroups',
  Effect: 'Allow',
  Principal: { Service: { 'Fn::Join': ['', ['logs.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } },
  Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
  Resource: '*',
  Condition: {
    ArnLike: {
      'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] },
    },
  },
};

describe('WorkloadTaskOptions', () => {
  let fixture: WebServiceFixture;
  beforeEach(() => {
    fixture = new WebServiceFixture();
  });

  function taskDefinition(): any {
    return onlyProperties(fixture.template(), 'AWS::ECS::TaskDefinition');
  }

  function windowsStrategy(): Partial<WebServiceOptions> {
    return { capacityStrategy: [{ capacity: fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE }) }] };
  }

  function database(): secretsmanager.ISecret {
    return secretsmanager.Secret.fromSecretCompleteArn(fixture.stack, 'Database', SECRET_ARN);
  }

  function addWorker(options: Partial<WebServiceOptions> = {}): QueueWorker {
    return new QueueWorker(fixture.stack, 'Worker', { cluster: fixture.cluster, image: ecs.ContainerImage.fromRegistry('worker:1'), ...options });
  }

  function addScheduledTask(options: Partial<WebServiceOptions> = {}): ScheduledTask {
    return new ScheduledTask(fixture.stack, 'Nightly', {
      cluster: fixture.cluster,
      image: ecs.ContainerImage.fromRegistry('report:1'),
      trigger: TaskTrigger.cron({ hour: '3' }),
      ...options,
    });
  }

  describe('taskSecrets', () => {
    describe('configuration', () => {
      test('injects a Secrets Manager field next to the SSM parameters of `secrets`, in name order', () => {
        fixture.addService({
          secrets: { API_KEY: '/prod/api/key' },
          taskSecrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database(), { field: 'password' }) },
        });
        expect(taskDefinition().ContainerDefinitions[0].Secrets).toEqual([
          { Name: 'API_KEY', ValueFrom: parameterArn('/prod/api/key') },
          { Name: 'DATABASE_PASSWORD', ValueFrom: `${SECRET_ARN}:password::` },
        ]);
      });

      test('injects a sidecar\'s task secrets into the sidecar only', () => {
        fixture.addService({ sidecars: [{ ...PROXY, taskSecrets: { PROXY_TOKEN: TaskSecret.fromSecretsManager(database()) } }] });
        const [app, proxy] = taskDefinition().ContainerDefinitions;
        expect(app.Secrets).toBeUndefined();
        expect(proxy.Secrets).toEqual([{ Name: 'PROXY_TOKEN', ValueFrom: SECRET_ARN }]);
      });

      test.each([
        ['QueueWorker', addWorker],
        ['ScheduledTask', addScheduledTask],
      ])('is passed through by %s', (_name, add) => {
        add({ taskSecrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database(), { field: 'password' }) } });
        expect(taskDefinition().ContainerDefinitions[0].Secrets).toEqual([{ Name: 'DATABASE_PASSWORD', ValueFrom: `${SECRET_ARN}:password::` }]);
      });
    });

    describe('permissions', () => {
      test('lets the execution role read exactly the secret and decrypt with its key only through Secrets Manager', () => {
        const encryptionKey = kms.Key.fromKeyArn(fixture.stack, 'SecretKey', SECRET_KEY_ARN);
        const service = fixture.addService({
          taskSecrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database(), { field: 'password', encryptionKey }) },
        });
        const template = fixture.template();
        expectExactly(statementsOf(template, service.executionRole), [
          { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: SECRET_ARN },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: SECRET_KEY_ARN,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
          },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
        ]);
        expect(statementsOf(template, service.taskRole)).toEqual([]);
      });

      test('lets the execution role decrypt a customer-key parameter only through Parameter Store', () => {
        const encryptionKey = kms.Key.fromKeyArn(fixture.stack, 'ParameterKey', SECRET_KEY_ARN);
        const service = fixture.addService({ taskSecrets: { API_KEY: TaskSecret.fromParameter('/prod/api/key', { encryptionKey }) } });
        expectExactly(statementsOf(fixture.template(), service.executionRole), [
          { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/key') },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: SECRET_KEY_ARN,
            Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } },
          },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
        ]);
      });
    });

    describe('validation', () => {
      test('fails when a name is in both secrets and taskSecrets', () => {
        expect(() => fixture.addService({
          secrets: { DATABASE_PASSWORD: '/prod/api/db-password' },
          taskSecrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database()) },
        })).toThrow(exactly('[TestStack/Api] `taskSecrets.DATABASE_PASSWORD` must be a name that is not also in `secrets`, got: "DATABASE_PASSWORD"'));
      });

      test('fails when a name is in both environment and taskSecrets', () => {
        expect(() => fixture.addService({
          environment: { LOG_LEVEL: 'info' },
          taskSecrets: { LOG_LEVEL: TaskSecret.fromSecretsManager(database()) },
        })).toThrow(exactly('[TestStack/Api] `taskSecrets.LOG_LEVEL` must be a name that is not also in `environment`, got: "LOG_LEVEL"'));
      });

      test('fails when a taskSecrets name is not an environment variable name', () => {
        expect(() => fixture.addService({ taskSecrets: { '1PASSWORD': TaskSecret.fromSecretsManager(database()) } }))
          .toThrow(exactly('[TestStack/Api] `taskSecrets` must be keyed by environment variable names (letters, digits and `_`, not starting '
            + 'with a digit), got: "1PASSWORD"'));
      });

      test('fails before building anything when a task secret is invalid', () => {
        const secret = TaskSecret.fromSecretsManager(database(), { versionStage: 'AWSPREVIOUS', versionId: 'a'.repeat(32) });
        expect(() => fixture.addService({ taskSecrets: { DATABASE: secret } }))
          .toThrow(exactly('[TestStack/Api] `taskSecrets.DATABASE.versionId` must be unset when `versionStage` is set (a version is named by '
            + `one of them), got: "${'a'.repeat(32)}"`));
        expect(fixture.stack.node.tryFindChild('Api')?.node.children.map((child) => child.node.id)).toEqual([]);
      });

      test('fails on the workload when a parameter name of `secrets` is an ARN', () => {
        expect(() => fixture.addService({ secrets: { API_KEY: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/key' } }))
          .toThrow(exactly('[TestStack/Api] `secrets.API_KEY` must be a parameter name such as `/prod/api/db-password`, not an ARN, '
            + 'got: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/key"'));
      });

      test('fails when a sidecar has a name in both its secrets and its taskSecrets', () => {
        expect(() => fixture.addService({
          sidecars: [{ ...PROXY, secrets: { TOKEN: '/prod/proxy/token' }, taskSecrets: { TOKEN: TaskSecret.fromSecretsManager(database()) } }],
        })).toThrow(exactly('[TestStack/Api] `sidecars[0].taskSecrets.TOKEN` must be a name that is not also in its `secrets`, got: "TOKEN"'));
      });

      test('fails when a sidecar has a name in both its environment and its taskSecrets', () => {
        expect(() => fixture.addService({
          sidecars: [{ ...PROXY, environment: { LEVEL: 'info' }, taskSecrets: { LEVEL: TaskSecret.fromSecretsManager(database()) } }],
        })).toThrow(exactly('[TestStack/Api] `sidecars[0].taskSecrets.LEVEL` must be a name that is not also in its `environment`, got: "LEVEL"'));
      });

      test('fails when a QueueWorker\'s taskSecrets set QUEUE_URL', () => {
        expect(() => addWorker({ taskSecrets: { QUEUE_URL: TaskSecret.fromSecretsManager(database()) } }))
          .toThrow(exactly('[TestStack/Worker] `taskSecrets.QUEUE_URL` must be left out: the worker sets QUEUE_URL itself, got: "QUEUE_URL"'));
      });
    });

    describe('cdk-nag', () => {
      test('has no AwsSolutions findings with a Secrets Manager secret by name and a customer key', () => {
        const secret = secretsmanager.Secret.fromSecretNameV2(fixture.stack, 'Token', 'prod/api/token');
        const encryptionKey = kms.Key.fromKeyArn(fixture.stack, 'SecretKey', SECRET_KEY_ARN);
        const service = fixture.addService({ taskSecrets: { API_TOKEN: TaskSecret.fromSecretsManager(secret, { encryptionKey }) } });
        expect(nagFindings(service)).toEqual([]);
      });
    });
  });

  describe('allowAllOutbound', () => {
    function taskGroup(id = 'Api'): any {
      const groups = fixture.template().findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: `Tasks of ${id}: ${id === 'Api' ? 'the load balancer on the container port only' : 'no inbound traffic'}` },
      });
      expect(Object.keys(groups)).toHaveLength(1);
      return Object.values(groups)[0].Properties;
    }

    test('allows all outbound traffic by default', () => {
      fixture.addService();
      expect(taskGroup().SecurityGroupEgress).toEqual([ALLOW_ALL]);
    });

    test('allows no outbound traffic when false', () => {
      fixture.addService({ allowAllOutbound: false });
      expect(fixture.warnings()).toEqual([]);
      expect(taskGroup().SecurityGroupEgress).toEqual([DISALLOW_ALL]);
    });

    test('allows only what connections open when false', () => {
      const service = fixture.addService({ allowAllOutbound: false });
      service.connections.allowTo(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(5432), 'Database');
      expect(taskGroup().SecurityGroupEgress).toEqual([
        { CidrIp: '10.0.0.0/16', Description: 'Database', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 },
      ]);
    });

    test.each([
      ['Worker', addWorker],
      ['Nightly', addScheduledTask],
    ])('is passed through by %s', (id, add) => {
      add({ allowAllOutbound: false });
      expect(taskGroup(id).SecurityGroupEgress).toEqual([DISALLOW_ALL]);
    });

    test('warns that the log router and ECS Exec need egress when false', () => {
      fixture.addService({ allowAllOutbound: false, logRouter: FIREHOSE, enableExecuteCommand: true, readonlyRootFilesystem: false });
      expect(fixture.warnings()).toEqual([
        expect.stringMatching(/^\/TestStack\/Api: ECS Exec is on/),
        '/TestStack/Api: `allowAllOutbound` is false, but from the task\'s network interface the log router sends the application\'s logs '
          + 'to its destination, and the SSM agent of ECS Exec opens its Session Manager channels (ssmmessages, HTTPS): open the way with '
          + '`securityGroup.connections.allowTo()` (to a VPC endpoint or the destination), or it fails',
      ]);
    });

    test('fails when false in bridge mode', () => {
      expect(() => fixture.addService({ allowAllOutbound: false, networkMode: ServiceNetworkMode.BRIDGE }))
        .toThrow(exactly('[TestStack/Api] `allowAllOutbound` must be true or unset in bridge mode (bridge-mode tasks have no security group '
          + 'of their own: they use their instances\'), got: false'));
    });

    test('accepts true in bridge mode', () => {
      const service = fixture.addService({ allowAllOutbound: true, networkMode: ServiceNetworkMode.BRIDGE });
      expect(service.securityGroup).toBeUndefined();
    });

    test('has no AwsSolutions findings when false', () => {
      const service = fixture.addService({ allowAllOutbound: false });
      expect(nagFindings(service)).toEqual([]);
    });
  });

  describe('logEncryptionKey', () => {
    let key: kms.Key;
    beforeEach(() => {
      key = new kms.Key(fixture.stack, 'LogsKey', { enableKeyRotation: true });
    });

    function keyStatements(): unknown[] {
      return fixture.template().toJSON().Resources[logicalId(key)].Properties.KeyPolicy.Statement;
    }

    test('leaves the log group to the key of CloudWatch Logs by default', () => {
      const service = fixture.addService();
      const logGroup = fixture.template().toJSON().Resources[logicalId(service.logGroup)];
      expect(logGroup.Properties).toEqual({ RetentionInDays: 30 });
    });

    test('encrypts the log group with the provided key and keeps its retention and removal policy', () => {
      const service = fixture.addService({ logEncryptionKey: key });
      const logGroup = fixture.template().toJSON().Resources[logicalId(service.logGroup)];
      expect(logGroup).toEqual({
        Type: 'AWS::Logs::LogGroup',
        Properties: { KmsKeyId: getAttArn(key), RetentionInDays: 30 },
        UpdateReplacePolicy: 'Retain',
        DeletionPolicy: 'RetainExceptOnCreate',
      });
    });

    test('lets CloudWatch Logs of the stack\'s account and region use a key of the stack', () => {
      fixture.addService({ logEncryptionKey: key });
      expect(fixture.warnings()).toEqual([]);
      expect(keyStatements()).toEqual([expect.objectContaining({ Action: 'kms:*' }), LOGS_KEY_STATEMENT]);
    });

    test('adds the key policy statement once for every workload that shares the key', () => {
      const addToResourcePolicy = jest.spyOn(key, 'addToResourcePolicy');
      fixture.addService({ logEncryptionKey: key });
      fixture.addService({ logEncryptionKey: key }, 'Web');
      addWorker({ logEncryptionKey: key });
      addScheduledTask({ logEncryptionKey: key });
      expect(addToResourcePolicy).toHaveBeenCalledTimes(1);
      expect(keyStatements()).toEqual([expect.objectContaining({ Action: 'kms:*' }), LOGS_KEY_STATEMENT]);
      const encrypted = Object.values(fixture.template().findResources('AWS::Logs::LogGroup', { Properties: { KmsKeyId: getAttArn(key) } }));
      expect(encrypted).toHaveLength(4);
    });

    test('grants the execution role nothing on the key', () => {
      const service = fixture.addService({ logEncryptionKey: key });
      expect(statementsOf(fixture.template(), service.executionRole)).toEqual([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
      ]);
    });

    test('warns that the policy of an imported key must allow CloudWatch Logs, and leaves it as it is', () => {
      const imported = kms.Key.fromKeyArn(fixture.stack, 'Imported', SECRET_KEY_ARN);
      const service = fixture.addService({ logEncryptionKey: imported });
      expect(fixture.warnings()).toEqual([
        '/TestStack/Api: `logEncryptionKey` is imported (or of another account or region), so its key policy is left as it is: it must allow the service '
          + 'principal logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* with '
          + 'the condition ArnLike kms:EncryptionContext:aws:logs:arn arn:<partition>:logs:<region>:<account>:log-group:*, or the log group '
          + 'cannot be created',
      ]);
      expect(fixture.template().toJSON().Resources[logicalId(service.logGroup)].Properties.KmsKeyId).toBe(SECRET_KEY_ARN);
    });

    test('lets CloudWatch Logs use a key of another stack in the same account and region, without a warning', () => {
      const keyStack = new Stack(fixture.stack.node.scope as App, 'KeyStack', { env: { account: '123456789012', region: 'us-east-1' } });
      const otherKey = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
      fixture.addService({ logEncryptionKey: otherKey });
      expect(fixture.warnings().filter((warning) => warning.startsWith('/TestStack/Api'))).toEqual([]);
      expect(keyStack.resolve((otherKey as any).policy.toJSON()).Statement.map((statement: { Sid?: string }) => statement.Sid))
        .toContain('AllowCloudWatchLogsToEncryptLogGroups');
    });

    test('has no AwsSolutions findings', () => {
      const service = fixture.addService({ logEncryptionKey: key });
      expect(nagFindings(service)).toEqual([]);
    });
  });

  describe('logRouter', () => {
    describe('defaults', () => {
      test('sends the application\'s logs through an essential, read-only Fluent Bit router of 64 MiB with a writable /tmp', () => {
        const service = fixture.addService({ logRouter: FIREHOSE });
        const properties = taskDefinition();
        const [app, router] = properties.ContainerDefinitions;
        expect(app).toMatchObject({
          Name: 'app',
          Memory: 448,
          LogConfiguration: { LogDriver: 'awsfirelens', Options: { Name: 'kinesis_firehose', region: 'us-east-1', delivery_stream: 'app-logs' } },
        });
        expect(app.LogConfiguration.SecretOptions).toBeUndefined();
        expect(router).toEqual({
          Name: 'log-router',
          Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
          Memory: 64,
          Essential: true,
          ReadonlyRootFilesystem: true,
          FirelensConfiguration: { Type: 'fluentbit' },
          MountPoints: [{ SourceVolume: 'log-router-tmp', ContainerPath: '/tmp', ReadOnly: false }],
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': { Ref: logicalId(service.logGroup) },
              'awslogs-stream-prefix': 'Api',
              'awslogs-region': 'us-east-1',
              'mode': 'non-blocking',
            },
          },
        });
        expect(properties.Volumes).toEqual([{ Name: 'log-router-tmp' }]);
        expect(properties.Memory).toBe('512');
      });

      test('grants the task role nothing: the destination is the user\'s to grant', () => {
        const service = fixture.addService({ logRouter: FIREHOSE });
        const template = fixture.template();
        expect(statementsOf(template, service.taskRole)).toEqual([]);
        expect(statementsOf(template, service.executionRole)).toEqual([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
        ]);
      });

      test('keeps the application on the awslogs driver without a router', () => {
        fixture.addService();
        expect(taskDefinition().ContainerDefinitions[0].LogConfiguration.LogDriver).toBe('awslogs');
      });
    });

    describe('configuration', () => {
      test('uses the provided image, memory and root filesystem setting', () => {
        fixture.addService({
          logRouter: {
            ...FIREHOSE,
            image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.4'),
            memoryLimitMiB: 128,
            readonlyRootFilesystem: false,
          },
        });
        const [app, router] = taskDefinition().ContainerDefinitions;
        expect(app.Memory).toBe(384);
        expect(router).toMatchObject({
          Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.4',
          Memory: 128,
          ReadonlyRootFilesystem: false,
        });
      });

      test('passes secret options and lets the execution role read exactly those secrets', () => {
        const service = fixture.addService({
          logRouter: {
            options: { Name: 'datadog', Host: 'http-intake.logs.datadoghq.eu', TLS: 'on' },
            secretOptions: {
              apikey: TaskSecret.fromSecretsManager(database(), { field: 'apikey' }),
              proxy_password: TaskSecret.fromParameter('/prod/logs/proxy-password'),
            },
          },
        });
        const template = fixture.template();
        const [app] = onlyProperties(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions;
        expect(app.LogConfiguration.SecretOptions).toEqual([
          { Name: 'apikey', ValueFrom: `${SECRET_ARN}:apikey::` },
          { Name: 'proxy_password', ValueFrom: parameterArn('/prod/logs/proxy-password') },
        ]);
        expectExactly(statementsOf(template, service.executionRole), [
          { Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: SECRET_ARN },
          { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/logs/proxy-password') },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
        ]);
      });

      test('accepts a secret-looking option whose value is a switch', () => {
        fixture.addService({ logRouter: { options: { Name: 'opensearch', AWS_Auth: 'On', Host: 'search.example.com' } } });
        expect(taskDefinition().ContainerDefinitions[0].LogConfiguration.Options.AWS_Auth).toBe('On');
      });

      test('keeps the sidecars on the workload\'s log group and takes the router\'s memory out of the application\'s', () => {
        fixture.addService({ logRouter: FIREHOSE, sidecars: [PROXY] });
        const [app, proxy, router] = taskDefinition().ContainerDefinitions;
        expect(app.Memory).toBe(384);
        expect(proxy).toMatchObject({ Name: 'proxy', LogConfiguration: { LogDriver: 'awslogs' } });
        expect(router.Name).toBe('log-router');
      });

      test('gives the router a writable root filesystem when ECS Exec is on', () => {
        fixture.addService({ logRouter: FIREHOSE, enableExecuteCommand: true });
        expect(taskDefinition().ContainerDefinitions[1].ReadonlyRootFilesystem).toBe(false);
      });

      test('adds its volume after the scratch volumes', () => {
        fixture.addService({ logRouter: FIREHOSE, scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }] });
        expect(taskDefinition().Volumes).toEqual([{ Name: 'tmp' }, { Name: 'log-router-tmp' }]);
      });

      test('works in bridge mode', () => {
        fixture.addService({ logRouter: FIREHOSE, networkMode: ServiceNetworkMode.BRIDGE });
        expect(taskDefinition()).toMatchObject({ NetworkMode: 'bridge', ContainerDefinitions: [{ Name: 'app' }, { Name: 'log-router' }] });
      });

      test.each([
        ['QueueWorker', addWorker],
        ['ScheduledTask', addScheduledTask],
      ])('is passed through by %s', (_name, add) => {
        add({ logRouter: FIREHOSE });
        const [app, router] = taskDefinition().ContainerDefinitions;
        expect(app.LogConfiguration.LogDriver).toBe('awsfirelens');
        expect(router).toMatchObject({ Name: 'log-router', FirelensConfiguration: { Type: 'fluentbit' } });
      });
    });

    describe('validation', () => {
      test('fails for a Windows workload', () => {
        expect(() => fixture.addService({ ...windowsStrategy(), logRouter: FIREHOSE }))
          .toThrow(exactly('[TestStack/Api] `logRouter` must be unset for a Windows workload (FireLens runs on Linux only), got: "a log router"'));
      });

      test('fails when the options name no output plugin', () => {
        expect(() => fixture.addService({ logRouter: { options: { region: 'us-east-1', delivery_stream: 'app-logs' } } }))
          .toThrow(exactly('[TestStack/Api] `logRouter.options` must be options that name the Fluent Bit output plugin in `Name` (such as '
            + '`cloudwatch_logs`, `kinesis_firehose` or `s3`), got: ["delivery_stream", "region"]'));
      });

      test('fails when the output plugin name is blank', () => {
        expect(() => fixture.addService({ logRouter: { options: { Name: '' } } }))
          .toThrow(exactly('[TestStack/Api] `logRouter.options.Name` must be the name of a Fluent Bit output plugin, such as `kinesis_firehose`, got: ""'));
      });

      test.each(['apikey', 'HTTP_Passwd', 'splunk_token', 'Cloud_Auth'])('fails when the option %s looks like a secret', (name) => {
        expect(() => fixture.addService({ logRouter: { options: { Name: 'http', [name]: 'value' } } }))
          .toThrow(exactly(`[TestStack/Api] \`logRouter.options.${name}\` must be an option that is not a secret (options are plain text in the `
            + `task definition: pass it in \`logRouter.secretOptions\`), got: "${name}"`));
      });

      test.each([
        ['an AWS access key ID', 'AKIAIOSFODNN7EXAMPLE'],
        ['a URL with a password', 'https://user:hunter2@logs.example.com'],
      ])('fails when an option value holds %s, without showing it', (kind, value) => {
        expect(() => fixture.addService({ logRouter: { options: { Name: 'http', uri: value } } }))
          .toThrow(exactly('[TestStack/Api] `logRouter.options.uri` must be free of secrets (options are plain text in the task definition: '
            + `pass it in \`logRouter.secretOptions\`), got: "a value with ${kind} in it (not shown)"`));
      });

      test('fails when a name is in both options and secretOptions', () => {
        expect(() => fixture.addService({
          logRouter: { options: { Name: 'datadog', Host: 'x' }, secretOptions: { Host: TaskSecret.fromParameter('/prod/logs/host') } },
        })).toThrow(exactly('[TestStack/Api] `logRouter.secretOptions.Host` must be a name that is not also in `logRouter.options`, got: "Host"'));
      });

      test('fails when a secretOptions name is not an option name', () => {
        expect(() => fixture.addService({ logRouter: { ...FIREHOSE, secretOptions: { 'api key': TaskSecret.fromParameter('/prod/logs/key') } } }))
          .toThrow(exactly('[TestStack/Api] `logRouter.secretOptions` must be keyed by Fluent Bit option names (1 to 255 letters, digits, `_`, '
            + '`.` and `-`), got: "api key"'));
      });

      test('fails when a secret option is invalid', () => {
        expect(() => fixture.addService({ logRouter: { ...FIREHOSE, secretOptions: { apikey: TaskSecret.fromParameter('has space') } } }))
          .toThrow(exactly('[TestStack/Api] `logRouter.secretOptions.apikey` must be an SSM parameter name: letters, digits and `_.-/`, at most '
            + '2048 characters, starting with `/` when it has a `/`, got: "has space"'));
      });

      test.each([5, 513])('fails when the router\'s memory is %s MiB', (memoryLimitMiB) => {
        expect(() => fixture.addService({ logRouter: { ...FIREHOSE, memoryLimitMiB } }))
          .toThrow(exactly(`[TestStack/Api] \`logRouter.memoryLimitMiB\` must be an integer between 6 and 512, got: ${memoryLimitMiB}`));
      });

      test('fails when the router leaves less than 128 MiB to the application container', () => {
        expect(() => fixture.addService({ logRouter: { ...FIREHOSE, memoryLimitMiB: 400 } }))
          .toThrow(exactly('[TestStack/Api] `logRouter.memoryLimitMiB` must be a memory that leaves at least 128 MiB of the task\'s 512 to the '
            + 'application container, got: 400'));
      });

      test('fails when the sidecars leave less than 128 MiB to the application container after the router', () => {
        expect(() => fixture.addService({ logRouter: FIREHOSE, sidecars: [{ ...PROXY, memoryLimitMiB: 384 }] }))
          .toThrow(exactly('[TestStack/Api] `sidecars` must be sidecars whose memory leaves at least 128 MiB of the task\'s 512 to the '
            + 'application container after the log router\'s 64 MiB, got: "384 MiB"'));
      });

      test('fails when a sidecar is named log-router', () => {
        expect(() => fixture.addService({ logRouter: FIREHOSE, sidecars: [{ ...PROXY, name: 'log-router' }] }))
          .toThrow(exactly('[TestStack/Api] `sidecars[0].name` must be a name that no other container of the task has (`app` is the '
            + 'application\'s, `log-router` the log router\'s), got: "log-router"'));
      });

      test('accepts a sidecar named log-router without a log router', () => {
        fixture.addService({ sidecars: [{ ...PROXY, name: 'log-router' }] });
        expect(taskDefinition().ContainerDefinitions[1].Name).toBe('log-router');
      });

      test('fails when a scratch volume is named log-router-tmp', () => {
        expect(() => fixture.addService({ logRouter: FIREHOSE, scratchVolumes: [{ name: 'log-router-tmp', containerPath: '/tmp' }] }))
          .toThrow(exactly('[TestStack/Api] `scratchVolumes[0].name` must be a name other than `log-router-tmp` (the log router\'s volume), '
            + 'got: "log-router-tmp"'));
      });
    });

    describe('cdk-nag', () => {
      test('has no AwsSolutions findings with a log router and secret options', () => {
        const service = fixture.addService({
          logRouter: { ...FIREHOSE, secretOptions: { apikey: TaskSecret.fromSecretsManager(database()) } },
        });
        expect(nagFindings(service)).toEqual([]);
      });

      test('has no AwsSolutions findings with every option together', () => {
        const key = new kms.Key(fixture.stack, 'LogsKey', { enableKeyRotation: true });
        const service = fixture.addService({
          taskSecrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database(), { field: 'password' }) },
          allowAllOutbound: false,
          logEncryptionKey: key,
          logRouter: FIREHOSE,
          sidecars: [{ ...PROXY, taskSecrets: { TOKEN: TaskSecret.fromParameter('/prod/proxy/token') } }],
        });
        expect(nagFindings(service)).toEqual([]);
      });

      test.each([
        ['QueueWorker', addWorker],
        ['ScheduledTask', addScheduledTask],
      ])('%s has no AwsSolutions findings with every option together', (_name, add) => {
        const key = new kms.Key(fixture.stack, 'LogsKey', { enableKeyRotation: true });
        const workload = add({
          taskSecrets: { DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database(), { field: 'password' }) },
          allowAllOutbound: false,
          logEncryptionKey: key,
          logRouter: FIREHOSE,
        });
        expect(nagFindings(workload)).toEqual([]);
      });
    });
  });
});
