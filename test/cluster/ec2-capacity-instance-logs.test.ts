import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  amazonLinuxInstanceLogLines, capacityFixture, instanceLogGroupText, tokenText, userDataScript, windowsInstanceLogLines,
} from './ec2-capacity.fixtures';
import { AmiFamily, Ec2Capacity, Ec2CapacityProps } from '../../src';
import { POWERSHELL_EPILOGUE } from '../../src/cluster/private/container-instance-user-data';
import { nagFindings, testVpc } from '../util';

const AMAZON_LINUX_FAMILIES = [AmiFamily.AMAZON_LINUX_2023, AmiFamily.AMAZON_LINUX_2023_ARM64];
const WINDOWS_FAMILIES = [AmiFamily.WINDOWS_SERVER_2022_FULL, AmiFamily.WINDOWS_SERVER_2022_CORE];
const BOTTLEROCKET_FAMILIES = [AmiFamily.BOTTLEROCKET, AmiFamily.BOTTLEROCKET_ARM64];
const SHIPPING_FAMILIES = [...AMAZON_LINUX_FAMILIES, ...WINDOWS_FAMILIES];

/** The text of the URL suffix token in `userDataScript()`. */
const URL_SUFFIX = '{"Ref":"AWS::URLSuffix"}';
const KEY_SID = 'AllowCloudWatchLogsToEncryptLogGroups';
const WARNING_ID = 'cdk-ecs-platform:Ec2Capacity.instanceLogEncryptionKeyPolicy';

describe('Ec2Capacity', () => {
  let stack: Stack;
  let cluster: ecs.Cluster;
  beforeEach(() => {
    ({ stack, cluster } = capacityFixture());
  });

  function capacity(props: Partial<Ec2CapacityProps> = {}, id = 'Capacity'): Ec2Capacity {
    return new Ec2Capacity(stack, id, { cluster, ...props });
  }

  function logicalId(element: { node: { defaultChild?: unknown } }): string {
    return stack.getLogicalId(element.node.defaultChild as CfnElement);
  }

  /** The statements of the capacity's instance role policy. */
  function instanceRoleStatements(cap: Ec2Capacity): Record<string, unknown>[] {
    const policy = Template.fromStack(stack).toJSON().Resources[logicalId(cap.instanceRole.node.findChild('DefaultPolicy'))];
    return policy.Properties.PolicyDocument.Statement;
  }

  /** The statements of a key's policy in the template. */
  function keyStatements(key: kms.Key): Record<string, unknown>[] {
    return Template.fromStack(Stack.of(key)).toJSON().Resources[logicalId(key)].Properties.KeyPolicy.Statement;
  }

  function shipStatement(cap: Ec2Capacity): Record<string, unknown> {
    const logGroup = logicalId(cap.instanceLogGroup!);
    return {
      Sid: 'ShipInstanceLogs',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Effect: 'Allow',
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:', { Ref: logGroup }]] },
        { 'Fn::GetAtt': [logGroup, 'Arn'] },
      ],
    };
  }

  describe('instance logs', () => {
    describe('defaults', () => {
      test.each(SHIPPING_FAMILIES)('%s creates exactly one instance log group, retained, with one-month retention', (amiFamily) => {
        const cap = capacity({ amiFamily });
        const template = Template.fromStack(stack);
        template.resourceCountIs('AWS::Logs::LogGroup', 1);
        template.hasResource('AWS::Logs::LogGroup', {
          Properties: { RetentionInDays: 30, KmsKeyId: Match.absent(), LogGroupName: Match.absent() },
          DeletionPolicy: 'RetainExceptOnCreate',
          UpdateReplacePolicy: 'Retain',
        });
        expect(cap.instanceLogGroup).toBeInstanceOf(logs.LogGroup);
        expect(cap.instanceLogGroup!.node.id).toEqual('InstanceLogs');
      });

      test('keeps the instance log group under the construct id InstanceLogs (its logical id is API)', () => {
        const cap = capacity();
        expect(cap.node.findChild('InstanceLogs')).toBe(cap.instanceLogGroup);
        expect(logicalId(cap.instanceLogGroup!)).toEqual('CapacityInstanceLogs8FF37C29');
      });

      test.each(AMAZON_LINUX_FAMILIES)('%s installs rsyslog and the CloudWatch agent and ships five files after the agent configuration', (amiFamily) => {
        const cap = capacity({ amiFamily });
        const lines = userDataScript(Template.fromStack(stack)).split('\n');
        const agentConfigEnd = lines.indexOf('EOF');
        expect(lines.slice(agentConfigEnd + 1)).toEqual(amazonLinuxInstanceLogLines(instanceLogGroupText(stack, cap)));
      });

      test('writes the exact CloudWatch agent configuration on Amazon Linux 2023, with sorted keys', () => {
        const cap = capacity();
        const lines = userDataScript(Template.fromStack(stack)).split('\n');
        const json = lines[lines.indexOf("cat <<'EOF' > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json") + 1];
        const logGroup = instanceLogGroupText(stack, cap);
        const config = JSON.parse(json.split(logGroup).join('LOG_GROUP'));
        const file = (path: string, stream: string) => ({
          file_path: path, log_group_name: 'LOG_GROUP', log_stream_name: `{instance_id}/${stream}`,
        });
        expect(config).toEqual({
          logs: {
            logs_collected: {
              files: {
                collect_list: [
                  file('/var/log/ecs/ecs-agent.log', 'ecs-agent'),
                  file('/var/log/ecs/ecs-init.log', 'ecs-init'),
                  file('/var/log/ecs/audit.log', 'ecs-audit'),
                  file('/var/log/messages', 'messages'),
                  file('/var/log/cloud-init-output.log', 'cloud-init-output'),
                ],
              },
            },
          },
        });
        expect(json).toEqual(JSON.stringify(config).split('LOG_GROUP').join(logGroup));
      });

      test('writes the agent configuration with a quoted heredoc, so the shell expands nothing in it', () => {
        capacity();
        const script = userDataScript(Template.fromStack(stack));
        expect(script).toContain("\ncat <<'EOF' > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json\n{");
      });

      test.each(WINDOWS_FAMILIES)('%s downloads, installs and starts the CloudWatch agent before starting the ECS agent', (amiFamily) => {
        const cap = capacity({ amiFamily });
        const lines = userDataScript(Template.fromStack(stack)).split('\n');
        const initialize = lines.findIndex((line) => line.startsWith('Initialize-ECSAgent '));
        const shipping = windowsInstanceLogLines(instanceLogGroupText(stack, cap), 'us-east-1', URL_SUFFIX);
        expect(lines.slice(initialize - shipping.length, initialize)).toEqual(shipping);
        expect(lines.slice(initialize + 1)).toEqual([...POWERSHELL_EPILOGUE, '</powershell>']);
      });

      test('downloads the Windows MSI from the bucket of the deployment region when the stack has no region', () => {
        const app = new App();
        const agnostic = new Stack(app, 'Agnostic');
        const agnosticCluster = new ecs.Cluster(agnostic, 'Cluster', { vpc: testVpc(agnostic) });
        new Ec2Capacity(agnostic, 'Capacity', { cluster: agnosticCluster, amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        const region = '{"Ref":"AWS::Region"}';
        expect(userDataScript(Template.fromStack(agnostic))).toContain(
          `-Uri 'https://amazoncloudwatch-agent-${region}.s3.${region}.${URL_SUFFIX}/windows/amd64/latest/amazon-cloudwatch-agent.msi'`);
      });

      test.each(BOTTLEROCKET_FAMILIES)('%s creates no log group and ships nothing', (amiFamily) => {
        const cap = capacity({ amiFamily });
        expect(cap.instanceLogGroup).toBeUndefined();
        const template = Template.fromStack(stack);
        template.resourceCountIs('AWS::Logs::LogGroup', 0);
        expect(JSON.stringify(instanceRoleStatements(cap))).not.toMatch(/logs:/);
        expect(userDataScript(template)).toEqual([
          '[settings.ecs]',
          `cluster = "${tokenText(stack, cluster.clusterName)}"`,
          'awsvpc-block-imds = true',
          'allow-privileged-containers = false',
        ].join('\n'));
      });

      test.each(BOTTLEROCKET_FAMILIES)('%s warns about nothing', (amiFamily) => {
        capacity({ amiFamily });
        expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      });

      test('gives the same user data on every synthesis', () => {
        const render = () => {
          const fixture = capacityFixture();
          new Ec2Capacity(fixture.stack, 'Capacity', { cluster: fixture.cluster });
          return userDataScript(Template.fromStack(fixture.stack));
        };
        expect(render()).toEqual(render());
      });
    });

    describe('configuration', () => {
      test.each([...SHIPPING_FAMILIES, ...BOTTLEROCKET_FAMILIES])('%s creates no log group, grant or log shipping with instanceLogs false', (amiFamily) => {
        const cap = capacity({ amiFamily, instanceLogs: false });
        expect(cap.instanceLogGroup).toBeUndefined();
        const template = Template.fromStack(stack);
        template.resourceCountIs('AWS::Logs::LogGroup', 0);
        expect(JSON.stringify(instanceRoleStatements(cap))).not.toMatch(/logs:/);
        expect(userDataScript(template)).not.toMatch(/cloudwatch|rsyslog/i);
      });

      test.each(SHIPPING_FAMILIES)('%s ships instance logs with instanceLogs true', (amiFamily) => {
        const cap = capacity({ amiFamily, instanceLogs: true });
        expect(cap.instanceLogGroup).toBeDefined();
        expect(userDataScript(Template.fromStack(stack))).toContain('amazon-cloudwatch-agent-ctl');
      });

      test.each<[logs.RetentionDays, number]>([
        [logs.RetentionDays.ONE_WEEK, 7],
        [logs.RetentionDays.THREE_MONTHS, 90],
        [logs.RetentionDays.TEN_YEARS, 3653],
      ])('uses the provided retention %s', (instanceLogRetention, days) => {
        capacity({ instanceLogRetention });
        Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: days });
      });

      test('keeps the logs forever with RetentionDays.INFINITE', () => {
        capacity({ instanceLogRetention: logs.RetentionDays.INFINITE });
        Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.absent() });
      });

      test('creates one log group per capacity', () => {
        const one = capacity({}, 'One');
        const two = capacity({ amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE }, 'Two');
        Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 2);
        expect(one.instanceLogGroup).not.toBe(two.instanceLogGroup);
      });

      test('changes the launch template when instance logs are turned off, which a rolling update rolls out', () => {
        const on = capacityFixture();
        new Ec2Capacity(on.stack, 'Capacity', { cluster: on.cluster });
        const off = capacityFixture();
        new Ec2Capacity(off.stack, 'Capacity', { cluster: off.cluster, instanceLogs: false });
        expect(userDataScript(Template.fromStack(on.stack))).not.toEqual(userDataScript(Template.fromStack(off.stack)));
        const template = Template.fromStack(on.stack);
        const launchTemplate = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
        template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
          Properties: Match.objectLike({
            LaunchTemplate: { LaunchTemplateId: { Ref: launchTemplate }, Version: { 'Fn::GetAtt': [launchTemplate, 'LatestVersionNumber'] } },
          }),
          UpdatePolicy: Match.objectLike({ AutoScalingRollingUpdate: Match.anyValue() }),
        });
      });

      test('creates the log group before the launch template that names it', () => {
        const cap = capacity();
        const userData = JSON.stringify(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'));
        expect(userData).toContain(JSON.stringify({ Ref: logicalId(cap.instanceLogGroup!) }));
      });
    });

    describe('encryption', () => {
      let key: kms.Key;
      beforeEach(() => {
        key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      });

      test('encrypts the log group with the provided key', () => {
        capacity({ instanceLogEncryptionKey: key });
        Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
          KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
          RetentionInDays: 30,
        });
      });

      test('lets CloudWatch Logs use a key of the same stack for the log groups of this account and region', () => {
        capacity({ instanceLogEncryptionKey: key });
        const statements = keyStatements(key).filter((statement) => statement.Sid === KEY_SID);
        expect(statements).toEqual([{
          Sid: KEY_SID,
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']],
              },
            },
          },
          Effect: 'Allow',
          Principal: { Service: { 'Fn::Join': ['', ['logs.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } },
          Resource: '*',
        }]);
        expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      });

      test('adds the key policy statement once for capacities that share the key', () => {
        capacity({ instanceLogEncryptionKey: key }, 'One');
        capacity({ instanceLogEncryptionKey: key, amiFamily: AmiFamily.WINDOWS_SERVER_2022_FULL }, 'Two');
        capacity({ instanceLogEncryptionKey: key, amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64 }, 'Three');
        expect(keyStatements(key).filter((statement) => statement.Sid === KEY_SID)).toHaveLength(1);
      });

      test('keeps a statement with the same Sid that the key policy already has', () => {
        key.addToResourcePolicy(new iam.PolicyStatement({
          sid: KEY_SID,
          principals: [new iam.ServicePrincipal('logs.us-east-1.amazonaws.com')],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: ['*'],
        }));
        capacity({ instanceLogEncryptionKey: key });
        expect(keyStatements(key).filter((statement) => statement.Sid === KEY_SID)).toEqual([
          expect.objectContaining({ Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] }),
        ]);
      });

      test('gives the instance role no KMS permissions: CloudWatch Logs encrypts on the server side', () => {
        const cap = capacity({ instanceLogEncryptionKey: key });
        expect(JSON.stringify(instanceRoleStatements(cap))).not.toMatch(/kms:/);
        expect(keyStatements(key).filter((statement) => JSON.stringify(statement).includes(logicalId(cap.instanceRole)))).toEqual([]);
      });

      test('warns that an imported key must allow CloudWatch Logs already', () => {
        const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
        capacity({ instanceLogEncryptionKey: imported });
        Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
          KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        });
        const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Capacity', Match.anyValue());
        expect(warnings.map((warning) => warning.entry.data)).toEqual([
          '`instanceLogEncryptionKey` is imported (or of another account or region), so its key policy is left as it is: it must allow the service ' +
          'principal logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* ' +
          'with the condition ArnLike kms:EncryptionContext:aws:logs:arn arn:<partition>:logs:<region>:<account>:log-group:*, ' +
          `or the instance log group cannot be created [ack: ${WARNING_ID}]`,
        ]);
      });

      test('lets CloudWatch Logs use a key of another stack in the same account and region, without a warning', () => {
        const app = stack.node.root as App;
        const keyStack = new Stack(app, 'KeyStack', { env: { account: '123456789012', region: 'us-east-1' } });
        const otherKey = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
        capacity({ instanceLogEncryptionKey: otherKey });
        expect(keyStatements(otherKey).filter((statement) => statement.Sid === KEY_SID)).toHaveLength(1);
        expect(Annotations.fromStack(stack).findWarning('/TestStack/Capacity', Match.stringLikeRegexp('is imported'))).toHaveLength(0);
      });
    });

    describe('validation', () => {
      test.each(BOTTLEROCKET_FAMILIES)('fails when instanceLogs is true on %s', (amiFamily) => {
        const displayName = amiFamily === AmiFamily.BOTTLEROCKET ? 'Bottlerocket aws-ecs-2 (x86_64)' : 'Bottlerocket aws-ecs-2 (arm64)';
        expect(() => capacity({ amiFamily, instanceLogs: true })).toThrow(
          `[TestStack/Capacity] \`instanceLogs\` must be false or left unset on ${displayName}, which runs no CloudWatch agent on the host ` +
          '(collect its logs with `apiclient logs` in the control container), got: true');
      });

      test('fails when instanceLogRetention is set with instanceLogs false', () => {
        expect(() => capacity({ instanceLogs: false, instanceLogRetention: logs.RetentionDays.ONE_YEAR })).toThrow(
          '[TestStack/Capacity] `instanceLogRetention` must be left unset with `instanceLogs` false: no instance log group is created, got: 365');
      });

      test('fails when instanceLogEncryptionKey is set with instanceLogs false', () => {
        const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
        expect(() => capacity({ instanceLogs: false, instanceLogEncryptionKey: key })).toThrow(
          '[TestStack/Capacity] `instanceLogEncryptionKey` must be left unset with `instanceLogs` false: no instance log group is created, got: "TestStack/Key"');
      });

      test('fails when instanceLogRetention is set on Bottlerocket', () => {
        expect(() => capacity({ amiFamily: AmiFamily.BOTTLEROCKET, instanceLogRetention: logs.RetentionDays.ONE_WEEK })).toThrow(
          '[TestStack/Capacity] `instanceLogRetention` must be left unset on Bottlerocket aws-ecs-2 (x86_64), which ships no instance logs: ' +
          'no instance log group is created, got: 7');
      });

      test('fails when instanceLogEncryptionKey is set on Bottlerocket', () => {
        const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
        expect(() => capacity({ amiFamily: AmiFamily.BOTTLEROCKET_ARM64, instanceLogEncryptionKey: key })).toThrow(
          '`instanceLogEncryptionKey` must be left unset on Bottlerocket aws-ecs-2 (arm64), which ships no instance logs');
      });

      test('creates nothing when it fails', () => {
        expect(() => capacity({ amiFamily: AmiFamily.BOTTLEROCKET, instanceLogs: true })).toThrow();
        Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 0);
        Template.fromStack(stack).resourceCountIs('AWS::EC2::LaunchTemplate', 0);
      });

      test.each(BOTTLEROCKET_FAMILIES)('accepts instanceLogs false on %s', (amiFamily) => {
        expect(() => capacity({ amiFamily, instanceLogs: false })).not.toThrow();
      });
    });

    describe('permissions', () => {
      test.each(SHIPPING_FAMILIES)('%s lets the instances create streams in, and write to, their log group only', (amiFamily) => {
        const cap = capacity({ amiFamily });
        const statements = instanceRoleStatements(cap);
        expect(statements.filter((statement) => JSON.stringify(statement).includes('logs:'))).toEqual([shipStatement(cap)]);
      });

      test('adds the log statement last, after the ECS agent statements, in the one policy of the instance role', () => {
        const cap = capacity();
        Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 1);
        expect(instanceRoleStatements(cap).map((statement) => statement.Sid))
          .toEqual(['RegisterAndReportToThisCluster', 'PollThisCluster', 'DiscoverPollEndpoint', 'ShipInstanceLogs']);
      });

      test('grants no wildcard action', () => {
        const cap = capacity({ instanceLogEncryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
        const actions = instanceRoleStatements(cap).flatMap((statement) => [statement.Action].flat());
        expect(actions.filter((action) => String(action).includes('*'))).toEqual([]);
      });

      test('launches instances only after the log permissions exist', () => {
        const cap = capacity();
        const groups = Template.fromStack(stack).findResources('AWS::AutoScaling::AutoScalingGroup');
        expect(Object.values(groups)[0].DependsOn).toContain(logicalId(cap.instanceRole.node.findChild('DefaultPolicy')));
      });
    });

    describe('cdk-nag', () => {
      test.each<[string, Partial<Ec2CapacityProps>]>([
        ['the defaults', {}],
        ['arm64', { amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64 }],
        ['Windows Full', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_FULL }],
        ['Windows Core', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE }],
        ['Bottlerocket', { amiFamily: AmiFamily.BOTTLEROCKET }],
        ['instance logs off', { instanceLogs: false }],
        ['a retention of ten years', { instanceLogRetention: logs.RetentionDays.TEN_YEARS }],
        ['Spot', { spot: {} }],
      ])('has no AwsSolutions findings with %s', (_, props) => {
        const cap = capacity(props);
        expect(nagFindings(cap)).toEqual([]);
      });

      test('has no AwsSolutions findings with an encryption key', () => {
        const cap = capacity({ instanceLogEncryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
        expect(nagFindings(cap)).toEqual([]);
      });
    });
  });
});
