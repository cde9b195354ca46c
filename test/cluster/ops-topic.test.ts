import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OpsTopic } from '../../src';
import { nagFindings, testStack } from '../util';

describe('OpsTopic', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });

  describe('defaults', () => {
    test('creates exactly one topic and one KMS key', () => {
      new OpsTopic(stack, 'Ops');
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::KMS::Key', 1);
    });

    test('rotates the KMS key every 365 days', () => {
      new OpsTopic(stack, 'Ops');
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        Description: 'Encrypts the platform operations topic',
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
      });
    });

    test('retains the KMS key by default', () => {
      new OpsTopic(stack, 'Ops');
      Template.fromStack(stack).hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('encrypts the topic with its own key', () => {
      const ops = new OpsTopic(stack, 'Ops');
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(ops.key.node.defaultChild as kms.CfnKey), 'Arn'] },
      });
    });

    test('makes the topic its default child, so the topic keeps a short logical id', () => {
      const ops = new OpsTopic(stack, 'Ops');
      expect(ops.node.defaultChild).toBe(ops.topic);
      expect(stack.getLogicalId(ops.topic.node.defaultChild as sns.CfnTopic)).toMatch(/^Ops[0-9A-F]{8}$/);
    });

    test('denies publishing without TLS', () => {
      const ops = new OpsTopic(stack, 'Ops');
      const topicRef = stack.resolve(ops.topic.topicArn);
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicRef],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          })]),
        },
      });
    });

    test('lets CloudWatch alarms use the key', () => {
      new OpsTopic(stack, 'Ops');
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Sid: 'AllowCloudWatchAlarms',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Resource: '*',
          }]),
        },
      });
    });

    // KMS refuses a key policy whose principal does not exist ("invalid principals"), and the Auto Scaling
    // service-linked role only exists once the account has had an Auto Scaling group:
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html and
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
    test('lets the Auto Scaling service-linked role use the key, named in a condition so that it need not exist yet', () => {
      new OpsTopic(stack, 'Ops');
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Sid: 'AllowAutoScalingNotifications',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { AWS: '*' },
            Resource: '*',
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': {
                  'Fn::Join': ['', [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
                  ]],
                },
              },
            },
          }]),
        },
      });
    });

    test('grants nothing else in the key policy but the account root', () => {
      new OpsTopic(stack, 'Ops');
      const statements = new Capture();
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: statements },
      });
      expect(statements.asArray().map((statement: any) => statement.Sid ?? statement.Action)).toEqual([
        'kms:*',
        'AllowCloudWatchAlarms',
        'AllowAutoScalingNotifications',
      ]);
    });

    test('subscribes no one by default', () => {
      new OpsTopic(stack, 'Ops');
      Template.fromStack(stack).resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('configuration', () => {
    test('subscribes the provided email addresses', () => {
      const ops = new OpsTopic(stack, 'Ops', { emailAddresses: ['oncall@example.com', 'platform-team@example.org'] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Subscription', 2);
      for (const endpoint of ['oncall@example.com', 'platform-team@example.org']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: endpoint,
          TopicArn: stack.resolve(ops.topic.topicArn),
        });
      }
    });

    test('uses the provided removal policy for the key', () => {
      new OpsTopic(stack, 'Ops', { removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(stack).hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
    });
  });

  describe('validation', () => {
    test.each(['not-an-email', 'oncall@example', '@example.com', 'on call@example.com', ''])(
      'fails when an email address is %p',
      (address) => {
        expect(() => new OpsTopic(stack, 'Ops', { emailAddresses: ['ok@example.com', address] }))
          .toThrow(`[TestStack/Ops] \`emailAddresses\` must be email addresses, got: ${JSON.stringify(address)}`);
      },
    );

    test('fails when an email address is invalid, with a message that names the path and prop', () => {
      expect(() => new OpsTopic(stack, 'Ops', { emailAddresses: ['nope'] }))
        .toThrow(/^\[TestStack\/Ops\] `emailAddresses` must be email addresses, got: "nope"$/);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const ops = new OpsTopic(stack, 'Ops', { emailAddresses: ['oncall@example.com'] });
      expect(nagFindings(ops)).toEqual([]);
    });
  });
});

describe('OpsTopic access policy', () => {
  test('lets CloudWatch alarms of this account publish, over TLS only', () => {
    const stack = testStack();
    new OpsTopic(stack, 'Ops');
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchAlarms',
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })]),
      }),
    });
  });
});
