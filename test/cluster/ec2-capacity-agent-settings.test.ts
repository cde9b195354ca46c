import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { capacityFixture, ecsConfigLines, tokenText, userDataScript } from './ec2-capacity.fixtures';
import {
  AgentLogLevel, AmiFamily, ContainerAgentSettings, Ec2Capacity, Ec2CapacityProps, ImagePullBehavior,
} from '../../src';
import { POWERSHELL_EPILOGUE, POWERSHELL_PROLOGUE, SHELL_PROLOGUE } from '../../src/cluster/private/container-instance-user-data';
import { nagFindings } from '../util';

/** Every option, with values that show each rendering (Go durations in h, m and s; sorted JSON records). */
const ALL_LINUX_SETTINGS: ContainerAgentSettings = {
  taskCleanupWait: Duration.minutes(90),
  imageCleanupInterval: Duration.hours(3),
  imageMinimumCleanupAge: Duration.seconds(45),
  imagesDeletedPerCycle: 10,
  disableImageCleanup: true,
  imagePullBehavior: ImagePullBehavior.PREFER_CACHED,
  allowPrivilegedContainers: true,
  awsvpcBlockImds: false,
  spotInstanceDraining: true,
  logLevel: AgentLogLevel.DEBUG,
  logFile: '/var/log/ecs/agent.log',
  reservedMemoryMiB: 256,
  containerStopTimeout: Duration.minutes(2),
  instanceAttributes: { tier: 'web', team: 'payments' },
  instanceTags: { Team: 'payments', CostCenter: '1234' },
  additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true' },
};

const BOTTLEROCKET_FAMILIES = [AmiFamily.BOTTLEROCKET, AmiFamily.BOTTLEROCKET_ARM64];
const WINDOWS_FAMILIES = [AmiFamily.WINDOWS_SERVER_2022_FULL, AmiFamily.WINDOWS_SERVER_2022_CORE];

describe('Ec2Capacity', () => {
  let stack: Stack;
  let cluster: ecs.Cluster;
  beforeEach(() => {
    ({ stack, cluster } = capacityFixture());
  });

  function capacity(props: Partial<Ec2CapacityProps> = {}): Ec2Capacity {
    return new Ec2Capacity(stack, 'Capacity', { cluster, ...props });
  }

  function clusterText(): string {
    return tokenText(stack, cluster.clusterName);
  }

  /** The statements of the instance role's policy. */
  function instanceRoleStatements(cap: Ec2Capacity): { Sid?: string; Action: string | string[]; Resource: unknown }[] {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [stack.resolve(cap.instanceRole.roleName)] },
    });
    const documents = Object.values(policies);
    expect(documents).toHaveLength(1);
    return documents[0].Properties.PolicyDocument.Statement;
  }

  function actionsOf(statements: { Action: string | string[] }[]): string[] {
    return statements.flatMap((statement) => [statement.Action].flat());
  }

  describe('agent settings', () => {
    describe('Amazon Linux 2023', () => {
      test.each<[string, ContainerAgentSettings, string]>([
        ['taskCleanupWait', { taskCleanupWait: Duration.minutes(90) }, 'ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=90m'],
        ['imageCleanupInterval', { imageCleanupInterval: Duration.hours(3) }, 'ECS_IMAGE_CLEANUP_INTERVAL=3h'],
        ['imageMinimumCleanupAge', { imageMinimumCleanupAge: Duration.seconds(45) }, 'ECS_IMAGE_MINIMUM_CLEANUP_AGE=45s'],
        ['containerStopTimeout', { containerStopTimeout: Duration.seconds(45) }, 'ECS_CONTAINER_STOP_TIMEOUT=45s'],
        ['imagesDeletedPerCycle', { imagesDeletedPerCycle: 10 }, 'ECS_NUM_IMAGES_DELETE_PER_CYCLE=10'],
        ['disableImageCleanup true', { disableImageCleanup: true }, 'ECS_DISABLE_IMAGE_CLEANUP=true'],
        ['disableImageCleanup false', { disableImageCleanup: false }, 'ECS_DISABLE_IMAGE_CLEANUP=false'],
        ['imagePullBehavior', { imagePullBehavior: ImagePullBehavior.PREFER_CACHED }, 'ECS_IMAGE_PULL_BEHAVIOR=prefer-cached'],
        ['allowPrivilegedContainers true', { allowPrivilegedContainers: true }, 'ECS_DISABLE_PRIVILEGED=false'],
        ['awsvpcBlockImds false', { awsvpcBlockImds: false }, 'ECS_AWSVPC_BLOCK_IMDS=false'],
        ['spotInstanceDraining true', { spotInstanceDraining: true }, 'ECS_ENABLE_SPOT_INSTANCE_DRAINING=true'],
        ['logLevel', { logLevel: AgentLogLevel.WARN }, 'ECS_LOGLEVEL=warn'],
        ['logFile', { logFile: '/var/log/ecs/agent.log' }, 'ECS_LOGFILE=/var/log/ecs/agent.log'],
        ['reservedMemoryMiB', { reservedMemoryMiB: 256 }, 'ECS_RESERVED_MEMORY=256'],
        ['instanceAttributes', { instanceAttributes: { tier: 'web', team: 'payments' } }, 'ECS_INSTANCE_ATTRIBUTES={"team":"payments","tier":"web"}'],
        ['instanceTags', { instanceTags: { Team: 'payments', CostCenter: '1234' } }, 'ECS_CONTAINER_INSTANCE_TAGS={"CostCenter":"1234","Team":"payments"}'],
        ['additionalSettings', { additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true' } }, 'ECS_ENABLE_CONTAINER_METADATA=true'],
      ])('writes %s into ecs.config as %s', (_, agentSettings, line) => {
        capacity({ agentSettings });
        const lines = ecsConfigLines(userDataScript(Template.fromStack(stack)));
        const variable = line.slice(0, line.indexOf('=') + 1);
        expect(lines.filter((l) => l.startsWith(variable))).toEqual([line]);
      });

      test('writes every option in one sorted heredoc, after the shebang', () => {
        capacity({ agentSettings: ALL_LINUX_SETTINGS, instanceLogs: false });
        expect(userDataScript(Template.fromStack(stack))).toEqual([
          ...SHELL_PROLOGUE,
          "cat <<'EOF' >> /etc/ecs/ecs.config",
          'ECS_AWSVPC_BLOCK_IMDS=false',
          `ECS_CLUSTER=${clusterText()}`,
          'ECS_CONTAINER_INSTANCE_TAGS={"CostCenter":"1234","Team":"payments"}',
          'ECS_CONTAINER_STOP_TIMEOUT=2m',
          'ECS_DISABLE_IMAGE_CLEANUP=true',
          'ECS_DISABLE_PRIVILEGED=false',
          'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true',
          'ECS_ENABLE_CONTAINER_METADATA=true',
          'ECS_ENABLE_SPOT_INSTANCE_DRAINING=true',
          'ECS_ENABLE_TASK_IAM_ROLE=true',
          'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false',
          'ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=90m',
          'ECS_IMAGE_CLEANUP_INTERVAL=3h',
          'ECS_IMAGE_MINIMUM_CLEANUP_AGE=45s',
          'ECS_IMAGE_PULL_BEHAVIOR=prefer-cached',
          'ECS_INSTANCE_ATTRIBUTES={"team":"payments","tier":"web"}',
          'ECS_LOGFILE=/var/log/ecs/agent.log',
          'ECS_LOGLEVEL=debug',
          'ECS_NUM_IMAGES_DELETE_PER_CYCLE=10',
          'ECS_RESERVED_MEMORY=256',
          'EOF',
        ].join('\n'));
      });

      test.each<[string, ContainerAgentSettings, string[]]>([
        ['by default', {}, ['ECS_AWSVPC_BLOCK_IMDS=true', 'ECS_DISABLE_PRIVILEGED=true']],
        ['when other options are set', { logLevel: AgentLogLevel.INFO, reservedMemoryMiB: 128 },
          ['ECS_AWSVPC_BLOCK_IMDS=true', 'ECS_DISABLE_PRIVILEGED=true']],
        ['when set to their safe values explicitly', { allowPrivilegedContainers: false, awsvpcBlockImds: true },
          ['ECS_AWSVPC_BLOCK_IMDS=true', 'ECS_DISABLE_PRIVILEGED=true']],
        ['overridden', { allowPrivilegedContainers: true, awsvpcBlockImds: false },
          ['ECS_AWSVPC_BLOCK_IMDS=false', 'ECS_DISABLE_PRIVILEGED=false']],
      ])('applies the security settings %s', (_, agentSettings, expected) => {
        capacity({ agentSettings });
        const lines = ecsConfigLines(userDataScript(Template.fromStack(stack)));
        expect(lines.filter((line) => /^ECS_(AWSVPC_BLOCK_IMDS|DISABLE_PRIVILEGED)=/.test(line))).toEqual(expected);
      });

      test('leaves unset options out, so the agent keeps its own defaults', () => {
        capacity({ agentSettings: {} });
        expect(ecsConfigLines(userDataScript(Template.fromStack(stack))).map((line) => line.split('=')[0])).toEqual([
          'ECS_AWSVPC_BLOCK_IMDS',
          'ECS_CLUSTER',
          'ECS_DISABLE_PRIVILEGED',
          'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE',
          'ECS_ENABLE_TASK_IAM_ROLE',
          'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST',
        ]);
      });

      test('has no AwsSolutions findings with every option set', () => {
        const cap = capacity({ agentSettings: ALL_LINUX_SETTINGS });
        expect(nagFindings(cap)).toEqual([]);
      });
    });

    describe('reservedMemoryMiB', () => {
      test('exposes 0 by default', () => {
        expect(capacity().reservedMemoryMiB).toEqual(0);
      });

      test.each(BOTTLEROCKET_FAMILIES.concat(AmiFamily.AMAZON_LINUX_2023, ...WINDOWS_FAMILIES))('exposes the provided value on %s', (amiFamily) => {
        expect(capacity({ amiFamily, agentSettings: { reservedMemoryMiB: 512 } }).reservedMemoryMiB).toEqual(512);
      });
    });

    describe('configFile', () => {
      test('copies the file from S3 before the heredoc, so the typed settings win', () => {
        const bucket = s3.Bucket.fromBucketName(stack, 'ConfigBucket', 'agent-config-bucket');
        capacity({ agentSettings: { configFile: { bucket, key: 'ecs/agent.config' }, logLevel: AgentLogLevel.WARN }, instanceLogs: false });
        expect(userDataScript(Template.fromStack(stack))).toEqual([
          ...SHELL_PROLOGUE,
          'dnf install -y awscli-2',
          "aws s3 cp --region us-east-1 's3://agent-config-bucket/ecs/agent.config' /etc/ecs/ecs.config",
          "cat <<'EOF' >> /etc/ecs/ecs.config",
          'ECS_AWSVPC_BLOCK_IMDS=true',
          `ECS_CLUSTER=${clusterText()}`,
          'ECS_DISABLE_PRIVILEGED=true',
          'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true',
          'ECS_ENABLE_TASK_IAM_ROLE=true',
          'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false',
          'ECS_LOGLEVEL=warn',
          'EOF',
        ].join('\n'));
      });

      test('copies from the bucket\'s own region', () => {
        const bucket = s3.Bucket.fromBucketAttributes(stack, 'ConfigBucket', { bucketName: 'agent-config-bucket', region: 'eu-west-1' });
        capacity({ agentSettings: { configFile: { bucket, key: 'ecs/agent.config' } } });
        expect(userDataScript(Template.fromStack(stack)))
          .toContain("\naws s3 cp --region eu-west-1 's3://agent-config-bucket/ecs/agent.config' /etc/ecs/ecs.config\n");
      });

      test('names a bucket of the same app by reference', () => {
        const bucket = new s3.Bucket(stack, 'ConfigBucket');
        capacity({ agentSettings: { configFile: { bucket, key: 'ecs/agent.config' } } });
        expect(userDataScript(Template.fromStack(stack))).toContain(
          `\naws s3 cp --region us-east-1 's3://${tokenText(stack, bucket.bucketName)}/ecs/agent.config' /etc/ecs/ecs.config\n`,
        );
      });

      test('lets the instance role read exactly that object', () => {
        const bucket = s3.Bucket.fromBucketName(stack, 'ConfigBucket', 'agent-config-bucket');
        const cap = capacity({ agentSettings: { configFile: { bucket, key: 'ecs/agent.config' } } });
        const statements = instanceRoleStatements(cap);
        expect(statements).toContainEqual({
          Sid: 'ReadAgentConfigFile',
          Action: 's3:GetObject',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::agent-config-bucket/ecs/agent.config']] },
        });
        expect(actionsOf(statements).filter((action) => /^(s3|kms):/.test(action))).toEqual(['s3:GetObject']);
      });

      test('lets the instance role decrypt with the bucket\'s KMS key', () => {
        const encryptionKey = new kms.Key(stack, 'ConfigKey');
        const bucket = new s3.Bucket(stack, 'ConfigBucket', { encryptionKey });
        const cap = capacity({ agentSettings: { configFile: { bucket, key: 'ecs/agent.config' } } });
        const statements = instanceRoleStatements(cap);
        expect(statements).toContainEqual({
          Sid: 'ReadAgentConfigFile',
          Action: 's3:GetObject',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/ecs/agent.config']] },
        });
        expect(statements).toContainEqual({ Action: 'kms:Decrypt', Effect: 'Allow', Resource: stack.resolve(encryptionKey.keyArn) });
        expect(actionsOf(statements).filter((action) => /^(s3|kms):/.test(action))).toEqual(['s3:GetObject', 'kms:Decrypt']);
      });

      test('gives the instance role no S3 access without a config file', () => {
        const cap = capacity();
        expect(actionsOf(instanceRoleStatements(cap)).filter((action) => /^(s3|kms):/.test(action))).toEqual([]);
      });

      test('has no AwsSolutions findings with a KMS-encrypted config file', () => {
        const bucket = new s3.Bucket(stack, 'ConfigBucket', { encryptionKey: new kms.Key(stack, 'ConfigKey') });
        const cap = capacity({ agentSettings: { configFile: { bucket, key: 'ecs/agent.config' } } });
        expect(nagFindings(cap)).toEqual([]);
      });

      test.each<[AmiFamily, string]>([
        [AmiFamily.BOTTLEROCKET, 'Bottlerocket aws-ecs-2 (x86_64)'],
        [AmiFamily.BOTTLEROCKET_ARM64, 'Bottlerocket aws-ecs-2 (arm64)'],
        [AmiFamily.WINDOWS_SERVER_2022_FULL, 'Windows Server 2022 Full'],
        [AmiFamily.WINDOWS_SERVER_2022_CORE, 'Windows Server 2022 Core'],
      ])('fails on %s', (amiFamily, displayName) => {
        const bucket = s3.Bucket.fromBucketName(stack, 'ConfigBucket', 'agent-config-bucket');
        expect(() => capacity({ amiFamily, agentSettings: { configFile: { bucket, key: 'ecs/agent.config' } } })).toThrow(
          '[TestStack/Capacity] `agentSettings.configFile` must be left unset: only Amazon Linux 2023 reads its agent settings ' +
          `from a file, got: "a config file for ${displayName}"`,
        );
      });

      test.each(['ecs/agent config', "ecs/agent'.config", 'ecs/"agent".config', 'ecs/$HOME', 'ecs\\agent.config', 'ecs/`id`', ''])(
        'fails when the key is "%s"', (key) => {
          const bucket = s3.Bucket.fromBucketName(stack, 'ConfigBucket', 'agent-config-bucket');
          expect(() => capacity({ agentSettings: { configFile: { bucket, key } } })).toThrow(
            '[TestStack/Capacity] `agentSettings.configFile.key` must be an S3 object key without spaces, quotes, `$` or backslashes, ' +
            `got: ${JSON.stringify(key)}`,
          );
        });
    });

    describe('Bottlerocket', () => {
      test.each(BOTTLEROCKET_FAMILIES)('%s writes every supported option into [settings.ecs], sorted by agent variable', (amiFamily) => {
        const { logFile: _logFile, instanceTags: _instanceTags, additionalSettings: _additionalSettings, ...supported } = ALL_LINUX_SETTINGS;
        capacity({ amiFamily, agentSettings: supported });
        expect(userDataScript(Template.fromStack(stack))).toEqual([
          '[settings.ecs]',
          `cluster = "${clusterText()}"`,
          'awsvpc-block-imds = false',
          'container-stop-timeout = "2m"',
          'image-cleanup-enabled = false',
          'allow-privileged-containers = true',
          'enable-spot-instance-draining = true',
          'task-cleanup-wait = "90m"',
          'image-cleanup-wait = "3h"',
          'image-cleanup-age = "45s"',
          'image-pull-behavior = "prefer-cached"',
          'loglevel = "debug"',
          'image-cleanup-delete-per-cycle = 10',
          'reserved-memory = 256',
          '',
          '[settings.ecs.instance-attributes]',
          '"team" = "payments"',
          '"tier" = "web"',
        ].join('\n'));
      });

      test.each<[string, Partial<Ec2CapacityProps>, boolean]>([
        ['with Spot', { spot: {} }, true],
        ['with Spot and spotInstanceDraining false', { spot: {}, agentSettings: { spotInstanceDraining: false } }, false],
        ['on-demand', {}, false],
      ])('turns Spot instance draining on %s: %s', (_, props, drains) => {
        capacity({ amiFamily: AmiFamily.BOTTLEROCKET, ...props });
        expect(userDataScript(Template.fromStack(stack)).includes('\nenable-spot-instance-draining = true')).toBe(drains);
      });

      test.each<[string, ContainerAgentSettings, string]>([
        ['logFile', { logFile: '/var/log/ecs/agent.log' }, '`agentSettings.logFile` must be left unset on Bottlerocket, ' +
          'which has no such agent setting, got: "/var/log/ecs/agent.log"'],
        ['instanceTags', { instanceTags: { Team: 'payments' } }, '`agentSettings.instanceTags` must be left unset on Bottlerocket, ' +
          'which has no such agent setting, got: "{\\"Team\\":\\"payments\\"}"'],
        ['additionalSettings', { additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true' } },
          '`agentSettings.additionalSettings.ECS_ENABLE_CONTAINER_METADATA` must be left unset on Bottlerocket, which has no such agent setting, got: "true"'],
      ])('fails when %s is set', (_, agentSettings, message) => {
        for (const amiFamily of BOTTLEROCKET_FAMILIES) {
          expect(() => new Ec2Capacity(stack, amiFamily, { cluster, amiFamily, agentSettings })).toThrow(`[TestStack/${amiFamily}] ${message}`);
        }
      });
    });

    describe('Windows', () => {
      test.each(WINDOWS_FAMILIES)('%s sets every option as a machine environment variable before starting the agent', (amiFamily) => {
        capacity({
          amiFamily,
          spot: {},
          instanceLogs: false,
          agentSettings: {
            taskCleanupWait: Duration.minutes(90),
            imagePullBehavior: ImagePullBehavior.ONCE,
            logLevel: AgentLogLevel.DEBUG,
            logFile: 'C:\\ProgramData\\Amazon\\ECS\\log\\agent.log',
            reservedMemoryMiB: 512,
            instanceAttributes: { team: 'payments' },
            instanceTags: { Team: 'payments' },
            additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: "it's" },
          },
        });
        expect(userDataScript(Template.fromStack(stack))).toEqual([
          '<powershell>', ...POWERSHELL_PROLOGUE,
          'Remove-Item -Recurse -ErrorAction SilentlyContinue C:\\ProgramData\\Amazon\\ECS\\Cache',
          'Import-Module ECSTools',
          "[Environment]::SetEnvironmentVariable('ECS_CONTAINER_INSTANCE_TAGS', '{\"Team\":\"payments\"}', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE', 'true', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_ENABLE_CONTAINER_METADATA', 'it''s', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_ENABLE_SPOT_INSTANCE_DRAINING', 'true', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION', '90m', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_IMAGE_PULL_BEHAVIOR', 'once', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_INSTANCE_ATTRIBUTES', '{\"team\":\"payments\"}', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_LOGFILE', 'C:\\ProgramData\\Amazon\\ECS\\log\\agent.log', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_LOGLEVEL', 'debug', 'Machine')",
          "[Environment]::SetEnvironmentVariable('ECS_RESERVED_MEMORY', '512', 'Machine')",
          `Initialize-ECSAgent -Cluster '${clusterText()}' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'`,
          ...POWERSHELL_EPILOGUE, '</powershell>',
        ].join('\n'));
      });

      test.each(WINDOWS_FAMILIES)('%s lets awsvpc tasks reach the instance metadata service when awsvpcBlockImds is false', (amiFamily) => {
        capacity({ amiFamily, agentSettings: { awsvpcBlockImds: false } });
        const script = userDataScript(Template.fromStack(stack));
        expect(script).toContain(`Initialize-ECSAgent -Cluster '${clusterText()}' -EnableTaskIAMRole -EnableTaskENI -LoggingDrivers `);
        expect(script).not.toContain('AwsvpcBlockIMDS');
        expect(script).not.toContain('ECS_AWSVPC_BLOCK_IMDS');
      });

      test.each(WINDOWS_FAMILIES)('%s accepts allowPrivilegedContainers false and writes no ECS_DISABLE_PRIVILEGED', (amiFamily) => {
        capacity({ amiFamily, agentSettings: { allowPrivilegedContainers: false } });
        expect(userDataScript(Template.fromStack(stack))).not.toContain('ECS_DISABLE_PRIVILEGED');
      });

      test.each(WINDOWS_FAMILIES)('%s fails when allowPrivilegedContainers is true', (amiFamily) => {
        expect(() => capacity({ amiFamily, agentSettings: { allowPrivilegedContainers: true } })).toThrow(
          '[TestStack/Capacity] `agentSettings.allowPrivilegedContainers` must be false on Windows, which has no privileged containers, got: true',
        );
      });

      test.each(WINDOWS_FAMILIES)('%s has no AwsSolutions findings with Spot', (amiFamily) => {
        const cap = capacity({ amiFamily, spot: {} });
        expect(nagFindings(cap)).toEqual([]);
      });
    });

    describe('validation', () => {
      test.each<[string, ContainerAgentSettings, string]>([
        ['taskCleanupWait is under a minute', { taskCleanupWait: Duration.seconds(59) },
          '`agentSettings.taskCleanupWait` must be whole seconds from 1m to 168h, got: Duration.seconds(59)'],
        ['imagesDeletedPerCycle is 0', { imagesDeletedPerCycle: 0 }, '`agentSettings.imagesDeletedPerCycle` must be an integer between 1 and 1000, got: 0'],
        ['reservedMemoryMiB is 65537', { reservedMemoryMiB: 65537 }, '`agentSettings.reservedMemoryMiB` must be an integer between 0 and 65536, got: 65537'],
        ['additionalSettings sets ECS_CLUSTER', { additionalSettings: { ECS_CLUSTER: 'other' } },
          '`agentSettings.additionalSettings.ECS_CLUSTER` must be left out: the capacity sets it itself, got: "ECS_CLUSTER"'],
        ['additionalSettings sets a typed variable', { additionalSettings: { ECS_LOGLEVEL: 'debug' } },
          '`agentSettings.additionalSettings.ECS_LOGLEVEL` must be set through the typed option `agentSettings.logLevel`, got: "ECS_LOGLEVEL"'],
      ])('fails when %s, naming the agentSettings option', (_, agentSettings, message) => {
        expect(() => capacity({ agentSettings })).toThrow(`[TestStack/Capacity] ${message}`);
      });

      test('fails when additionalSettings carries registry credentials', () => {
        expect(() => capacity({ agentSettings: { additionalSettings: { ECS_ENGINE_AUTH_DATA: '{}' } } })).toThrow(
          /^\[TestStack\/Capacity\] `agentSettings\.additionalSettings\.ECS_ENGINE_AUTH_DATA` must be left out: registry credentials are never written/,
        );
      });
    });

    describe('permissions', () => {
      /** The statements of the instance role's policy, by Sid. */
      function statements(cap: Ec2Capacity): Record<string, any> {
        const policy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(
          cap.instanceRole.node.findChild('DefaultPolicy').node.defaultChild as CfnElement)];
        return Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((statement: any) => [statement.Sid, statement]));
      }
      const clusterArn = () => stack.resolve(cluster.clusterArn);
      const drain = () => ({
        Sid: 'DrainOnSpotInterruption',
        Action: 'ecs:UpdateContainerInstancesState',
        Effect: 'Allow',
        Resource: '*',
        Condition: { ArnEquals: { 'ecs:cluster': clusterArn() } },
      });
      const tagOnRegister = {
        Sid: 'TagContainerInstanceOnRegister',
        Action: 'ecs:TagResource',
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterContainerInstance' } },
      };
      const ALL_FAMILIES = [AmiFamily.AMAZON_LINUX_2023, ...BOTTLEROCKET_FAMILIES, ...WINDOWS_FAMILIES];

      test.each(ALL_FAMILIES)('%s lets the agent drain its instance on a Spot interruption, in this cluster only, with Spot', (amiFamily) => {
        expect(statements(capacity({ amiFamily, spot: {} })).DrainOnSpotInterruption).toEqual(drain());
      });

      test.each(ALL_FAMILIES)('%s lets the agent drain its instance when spotInstanceDraining is on without Spot', (amiFamily) => {
        expect(statements(capacity({ amiFamily, agentSettings: { spotInstanceDraining: true } })).DrainOnSpotInterruption).toEqual(drain());
      });

      test.each(ALL_FAMILIES)('%s grants no UpdateContainerInstancesState without Spot draining', (amiFamily) => {
        const all = statements(capacity({ amiFamily, spot: {}, agentSettings: { spotInstanceDraining: false } }));
        expect(JSON.stringify(all)).not.toContain('UpdateContainerInstancesState');
      });

      test('grants no UpdateContainerInstancesState by default', () => {
        expect(JSON.stringify(statements(capacity()))).not.toContain('UpdateContainerInstancesState');
      });

      test.each([AmiFamily.AMAZON_LINUX_2023, ...WINDOWS_FAMILIES])('%s lets the agent tag the instance it registers when instanceTags are set', (amiFamily) => {
        expect(statements(capacity({ amiFamily, agentSettings: { instanceTags: { Team: 'payments' } } })).TagContainerInstanceOnRegister)
          .toEqual(tagOnRegister);
      });

      test('grants no ecs:TagResource without instance tags', () => {
        expect(JSON.stringify(statements(capacity({ agentSettings: { instanceTags: {} } })))).not.toContain('TagResource');
      });

      test('lets the agent read the instance tags and tag the instance once when it propagates EC2 tags', () => {
        const all = statements(capacity({
          agentSettings: { instanceTags: { Team: 'payments' }, additionalSettings: { ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: 'ec2_instance' } },
        }));
        expect(all.TagContainerInstanceOnRegister).toEqual(tagOnRegister);
        expect(all.ReadInstanceTags).toEqual({ Sid: 'ReadInstanceTags', Action: 'ec2:DescribeTags', Effect: 'Allow', Resource: '*' });
        expect(Object.keys(all).filter((sid) => sid === 'TagContainerInstanceOnRegister')).toHaveLength(1);
      });

      test('has no AwsSolutions findings with Spot draining and instance tags', () => {
        const cap = capacity({ spot: {}, agentSettings: { instanceTags: { Team: 'payments' } } });
        expect(nagFindings(cap)).toEqual([]);
      });
    });
  });
});
