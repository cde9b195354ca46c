import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { PublicLoadBalancer } from '../../../src';
import { ELB_ACCOUNTS, enableAlbAccessLogs } from '../../../src/service/private/alb-access-logs';
import { testStack, testVpc } from '../../util';

const ELB_ACCOUNT_US_EAST_1 = '127311923021';

describe('enableAlbAccessLogs', () => {
  function fixture(stack: Stack, bucket?: s3.IBucket) {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false });
    const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    const logs = bucket ?? new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
    return { loadBalancer, bucket: logs };
  }

  function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
    return stack.getLogicalId(construct.node.defaultChild as CfnElement);
  }

  describe('in an environment-agnostic stack', () => {
    let stack: Stack;
    beforeEach(() => {
      stack = new Stack(new App(), 'S');
    });

    test('does not throw', () => {
      const { loadBalancer, bucket } = fixture(stack);
      expect(() => enableAlbAccessLogs(loadBalancer, bucket, 'alb')).not.toThrow();
      expect(() => Template.fromStack(stack)).not.toThrow();
    });

    test('turns on access logs to the bucket with the prefix', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'logs');
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: logicalId(stack, bucket) } },
          { Key: 'access_logs.s3.prefix', Value: 'logs' },
        ]),
      });
    });

    test('adds a mapping from every region to its ELB account, or none', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const mappings = Template.fromStack(stack).findMappings('*');
      expect(Object.keys(mappings)).toHaveLength(1);
      const mapping = Object.values(mappings)[0];
      expect(mapping['us-east-1']).toEqual({ account: ELB_ACCOUNT_US_EAST_1 });
      expect(mapping['eu-west-1']).toEqual({ account: '156460612806' });
      expect(mapping['ap-southeast-5']).toEqual({ account: 'none' });
      expect(Object.keys(mapping)).toEqual([...Object.keys(mapping)].sort((x, y) => x.localeCompare(y)));
    });

    test('adds a condition that is true where the region has an ELB account', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const template = Template.fromStack(stack);
      const mappingId = Object.keys(template.findMappings('*'))[0];
      const conditions = template.findConditions('*');
      expect(Object.values(conditions)).toEqual([{
        'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::FindInMap': [mappingId, { Ref: 'AWS::Region' }, 'account'] }, 'none'] }],
      }]);
    });

    test('lets the ELB log delivery service and, where there is one, the regional ELB account write the logs', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const template = Template.fromStack(stack);
      const mappingId = Object.keys(template.findMappings('*'))[0];
      const conditionId = Object.keys(template.findConditions('*'))[0];
      const bucketId = logicalId(stack, bucket);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Sid: 'AllowElbAccessLogDelivery',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: {
              Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
              AWS: {
                'Fn::If': [
                  conditionId,
                  {
                    'Fn::Join': ['', [
                      'arn:', { Ref: 'AWS::Partition' }, ':iam::',
                      { 'Fn::FindInMap': [mappingId, { Ref: 'AWS::Region' }, 'account'] },
                      ':root',
                    ]],
                  },
                  { Ref: 'AWS::NoValue' },
                ],
              },
            },
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/alb/AWSLogs/', { Ref: 'AWS::AccountId' }, '/*']],
            },
          }]),
        },
      });
    });

    test('makes the load balancer depend on the bucket policy', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const template = Template.fromStack(stack);
      const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];
      expect(policyId).toBeDefined();
      template.hasResource('AWS::ElasticLoadBalancingV2::LoadBalancer', { DependsOn: Match.arrayWith([policyId]) });
    });

    test('adds no bucket policy or dependency for an imported bucket', () => {
      const { loadBalancer, bucket } = fixture(stack, s3.Bucket.fromBucketName(stack, 'Imported', 'my-alb-logs'));
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::BucketPolicy', 0);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.bucket', Value: 'my-alb-logs' }]),
      });
    });

    test('works for a PublicLoadBalancer', () => {
      const vpc = testVpc(stack);
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const template = Template.fromStack(stack);
      const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];
      template.hasResource('AWS::ElasticLoadBalancingV2::LoadBalancer', { DependsOn: Match.arrayWith([policyId]) });
      expect(Object.keys(template.findMappings('*'))).toHaveLength(1);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId(stack, lb.accessLogsBucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Principal: Match.objectLike({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }),
          })]),
        },
      });
    });
  });

  describe('in a stack with a region', () => {
    let stack: Stack;
    beforeEach(() => {
      stack = testStack();
    });

    test('lets the regional ELB account write the logs, as aws-cdk-lib does', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const bucketId = logicalId(stack, bucket);
      Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ELB_ACCOUNT_US_EAST_1}:root`]] } },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/alb/AWSLogs/123456789012/*']] },
          }]),
        },
      });
    });

    test('turns on access logs to the bucket with the prefix', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: logicalId(stack, bucket) } },
          { Key: 'access_logs.s3.prefix', Value: 'alb' },
        ]),
      });
    });

    test('adds no mapping, no condition and no service principal of its own', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const template = Template.fromStack(stack);
      expect(template.findMappings('*')).toEqual({});
      expect(template.findConditions('*')).toEqual({});
      expect(JSON.stringify(template.toJSON())).not.toContain('logdelivery.elasticloadbalancing.amazonaws.com');
      expect(JSON.stringify(template.toJSON())).not.toContain('AllowElbAccessLogDelivery');
      expect(loadBalancer.node.tryFindChild('AccessLogDelivery')).toBeUndefined();
    });

    test('makes the load balancer depend on the bucket policy', () => {
      const { loadBalancer, bucket } = fixture(stack);
      enableAlbAccessLogs(loadBalancer, bucket, 'alb');
      const template = Template.fromStack(stack);
      const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];
      template.hasResource('AWS::ElasticLoadBalancingV2::LoadBalancer', { DependsOn: Match.arrayWith([policyId]) });
    });
  });
});

describe('ELB_ACCOUNTS', () => {
  test('equals what aws-cdk-lib\'s region-info knows (regenerate it after an aws-cdk-lib upgrade if this fails)', () => {
    const known: Record<string, string | undefined> = {};
    for (const region of [...RegionInfo.regions].sort((a, b) => a.name.localeCompare(b.name))) known[region.name] = region.elbv2Account;
    expect(ELB_ACCOUNTS).toEqual(known);
  });
});
