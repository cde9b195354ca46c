import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { EcsCluster } from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** An anchored regex for exactly this message. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('EcsCluster', () => {
  let stack: Stack;
  let vpc: ec2.Vpc;
  beforeEach(() => {
    stack = testStack();
    vpc = testVpc(stack);
  });

  describe('Service Connect namespace', () => {
    test('creates no namespace by default', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
      template.hasResourceProperties('AWS::ECS::Cluster', { ServiceConnectDefaults: Match.absent() });
      expect(cluster.cloudMapNamespace).toBeUndefined();
    });

    test.each(['internal', 'prod.internal', 'team-a.svc'])('creates the HTTP namespace %j and makes it the cluster\'s Service Connect default', (name) => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc, serviceConnectNamespace: name });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
      template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: name });
      template.hasResourceProperties('AWS::ECS::Cluster', {
        ServiceConnectDefaults: { Namespace: { 'Fn::GetAtt': [logicalId(cluster.cloudMapNamespace!), 'Arn'] } },
      });
      expect(cluster.cloudMapNamespace!.namespaceName).toBe(name);
      expect(cluster.cloudMapNamespace!.node.path).toBe('TestStack/Cluster/Cluster/DefaultServiceDiscoveryNamespace');
    });

    test.each(['', 'has space', '-internal', 'internal-', 'internal.', '.internal', 'a..b', `${'a'.repeat(64)}`, `${'a.'.repeat(127)}ab`])(
      'fails when serviceConnectNamespace is %j', (serviceConnectNamespace) => {
        expect(() => new EcsCluster(stack, 'Cluster', { vpc, serviceConnectNamespace }))
          .toThrow(exactly('[TestStack/Cluster] `serviceConnectNamespace` must be a namespace name such as `internal` or `prod.internal`: '
            + `DNS labels of letters, digits and hyphens, separated by dots, got: ${JSON.stringify(serviceConnectNamespace)}`));
      });

    test('has no AwsSolutions findings with a namespace', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc, serviceConnectNamespace: 'internal' });
      expect(nagFindings(cluster)).toEqual([]);
    });
  });

  describe('ECS Exec audit', () => {
    test('is created once, on first use', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      expect(cluster.executeCommandKey).toBeUndefined();
      const first = cluster._enableExecuteCommandAudit();
      const second = cluster._enableExecuteCommandAudit();
      expect(second).toBe(first);
      expect(cluster.executeCommandKey).toBe(first.key);
      expect(cluster.executeCommandLogGroup).toBe(first.logGroup);
      expect(first.key.node.path).toBe('TestStack/Cluster/ExecuteCommandKey');
      expect(first.logGroup.node.path).toBe('TestStack/Cluster/ExecuteCommandLogs');
    });

    test('encrypts sessions and their log group with a rotated, retained key that CloudWatch Logs of the account and region may use', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      cluster._enableExecuteCommandAudit();
      const template = Template.fromStack(stack);
      template.hasResource('AWS::KMS::Key', {
        Properties: {
          Description: 'ECS Exec sessions and session logs of the cluster TestStack/Cluster',
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([{
              Effect: 'Allow',
              Principal: { Service: { 'Fn::Join': ['.', ['logs', { Ref: 'AWS::Region' }, { Ref: 'AWS::URLSuffix' }]] } },
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
              Resource: '*',
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']],
                  },
                },
              },
            }]),
          },
        },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('keeps session logs for a year in a retained, encrypted log group', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const audit = cluster._enableExecuteCommandAudit();
      Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [logicalId(audit.key), 'Arn'] } },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('uses the provided executeCommandLogRetention', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc, executeCommandLogRetention: logs.RetentionDays.TWO_YEARS });
      cluster._enableExecuteCommandAudit();
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, KmsKeyId: Match.anyValue() });
    });

    test('overrides the cluster\'s exec logging with the encrypted log group and the key', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc, serviceConnectNamespace: 'internal' });
      const audit = cluster._enableExecuteCommandAudit();
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        Configuration: {
          ExecuteCommandConfiguration: {
            KmsKeyId: { 'Fn::GetAtt': [logicalId(audit.key), 'Arn'] },
            Logging: 'OVERRIDE',
            LogConfiguration: { CloudWatchLogGroupName: { Ref: logicalId(audit.logGroup) }, CloudWatchEncryptionEnabled: true },
          },
        },
        ServiceConnectDefaults: Match.anyValue(),
      });
    });

    test('has no AwsSolutions findings', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      cluster._enableExecuteCommandAudit();
      expect(nagFindings(cluster)).toEqual([]);
    });
  });
});
