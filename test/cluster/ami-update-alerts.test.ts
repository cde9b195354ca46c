import { App, CfnCondition, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AmiFamily, AmiResolution, AmiUpdateAlerts, EcsCluster, Ec2Capacity, OpsTopic } from '../../src';
import { AMI_ALERT_HANDLER_CODE } from '../../src/cluster/private/ami-alert-handler';
import { CLOUDWATCH_LOGS_KEY_SID } from '../../src/shared/log-encryption';
import { nagFindings, testStack, testVpc } from '../util';

const TOPIC_SUFFIX = ':177427601217:ecs-optimized-amazon-ami-update';

/** The AWS topic ARN as it renders for a topic region known at synth. */
function awsTopicArn(region: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:${region}${TOPIC_SUFFIX}`]] };
}

function stackIn(region: string): Stack {
  return new Stack(new App(), 'RegionStack', { env: { account: '123456789012', region } });
}

function launchTimeCapacity(stack: Stack, options: { amiFamily?: AmiFamily; id?: string } = {}): Ec2Capacity {
  const vpc = stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined ?? testVpc(stack);
  const cluster = new EcsCluster(stack, options.id ?? 'Cluster', {
    vpc,
    capacity: { amiResolution: AmiResolution.LAUNCH_TIME, amiFamily: options.amiFamily },
  });
  return cluster.defaultCapacity;
}

function functionOf(alerts: AmiUpdateAlerts): lambda.Function {
  expect(alerts.function).toBeDefined();
  return alerts.function as lambda.Function;
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
}

/** What every function role acknowledges: its grants live in its inline DefaultPolicy. */
const INLINE_POLICY_ACKNOWLEDGEMENTS = [
  'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy',
];

describe('AmiUpdateAlerts', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });

  describe('defaults', () => {
    test('subscribes each email address to the copy of the topic in the stack region', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['oncall@example.com', 'team@example.com'] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Subscription', 2);
      for (const address of ['oncall@example.com', 'team@example.com']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: address,
          Region: 'us-east-1',
          TopicArn: awsTopicArn('us-east-1'),
        });
      }
      expect(alerts.subscriptions).toHaveLength(2);
    });

    test('exposes the chosen topic ARN and region', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['oncall@example.com'] });
      expect(stack.resolve(alerts.topicArn)).toEqual(awsTopicArn('us-east-1'));
      expect(alerts.topicRegion).toBe('us-east-1');
    });

    test('creates no function for direct subscriptions only', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', {
        emailAddresses: ['oncall@example.com'],
        httpsEndpoints: ['https://hooks.example.com/ami'],
      });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::Function', 0);
      template.resourceCountIs('AWS::Lambda::Permission', 0);
      template.resourceCountIs('AWS::IAM::Role', 0);
      expect(alerts.function).toBeUndefined();
    });

    test('uses PascalCase construct ids, numbered in the order given', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', {
        emailAddresses: ['a@example.com', 'b@example.com'],
        httpsEndpoints: ['https://hooks.example.com/ami'],
        topic: new sns.Topic(stack, 'Topic'),
      });
      expect(alerts.subscriptions.map((subscription) => subscription.node.id))
        .toEqual(['EmailSubscription1', 'EmailSubscription2', 'HttpsSubscription1', 'FunctionSubscription']);
      expect(alerts.node.children.map((child) => child.node.id)).toEqual(expect.arrayContaining(['Function', 'InvokePermission']));
    });

    test('creates no condition when the region is known at synth', () => {
      new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['oncall@example.com'] });
      expect(Template.fromStack(stack).toJSON().Conditions).toBeUndefined();
    });
  });

  describe('topic region', () => {
    test.each(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'])('uses the copy in %s, a region that has one', (region) => {
      const regional = stackIn(region);
      const alerts = new AmiUpdateAlerts(regional, 'Alerts', { emailAddresses: ['oncall@example.com'] });
      expect(alerts.topicRegion).toBe(region);
      Template.fromStack(regional).hasResourceProperties('AWS::SNS::Subscription', {
        Region: region,
        TopicArn: awsTopicArn(region),
      });
    });

    test.each(['eu-north-1', 'ap-southeast-3', 'me-central-1'])('falls back to us-west-2 in %s, a region without a copy', (region) => {
      const regional = stackIn(region);
      const alerts = new AmiUpdateAlerts(regional, 'Alerts', { emailAddresses: ['oncall@example.com'] });
      expect(alerts.topicRegion).toBe('us-west-2');
      Template.fromStack(regional).hasResourceProperties('AWS::SNS::Subscription', {
        Region: 'us-west-2',
        TopicArn: awsTopicArn('us-west-2'),
      });
      Annotations.fromStack(regional).hasNoWarning('*', Match.anyValue());
    });

    test('uses the provided topicRegion', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['oncall@example.com'], topicRegion: 'us-west-2' });
      expect(alerts.topicRegion).toBe('us-west-2');
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
        Region: 'us-west-2',
        TopicArn: awsTopicArn('us-west-2'),
      });
    });

    test('warns when the stack region is in a partition without a known copy', () => {
      const regional = stackIn('cn-north-1');
      new AmiUpdateAlerts(regional, 'Alerts', { emailAddresses: ['oncall@example.com'] });
      Annotations.fromStack(regional).hasWarning('/RegionStack/Alerts',
        Match.stringLikeRegexp('no copy of the ecs-optimized-amazon-ami-update topic is known in the aws-cn partition of cn-north-1'));
    });

    describe('in an environment-agnostic stack', () => {
      let agnostic: Stack;
      let alerts: AmiUpdateAlerts;
      let template: Template;
      let conditionId: string;
      let regionChoice: unknown;
      beforeEach(() => {
        agnostic = new Stack(new App(), 'S');
        alerts = new AmiUpdateAlerts(agnostic, 'Alerts', { emailAddresses: ['oncall@example.com'] });
        template = Template.fromStack(agnostic);
        conditionId = agnostic.getLogicalId(alerts.node.findChild('RegionHasTopicCopy') as CfnCondition);
        regionChoice = { 'Fn::If': [conditionId, { Ref: 'AWS::Region' }, 'us-west-2'] };
      });

      test('chooses the region at deploy time with a condition, not a mapping', () => {
        template.hasCondition(conditionId, { 'Fn::Or': Match.anyValue() });
        expect(template.toJSON().Mappings).toBeUndefined();
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Region: regionChoice,
          TopicArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', regionChoice, TOPIC_SUFFIX]] },
        });
        expect(agnostic.resolve(alerts.topicRegion)).toEqual(regionChoice);
      });

      test('lists every region with a copy, in Fn::Or groups of at most 10', () => {
        const condition = template.toJSON().Conditions[conditionId];
        const regions: string[] = [];
        const visit = (node: any): void => {
          if (node['Fn::Or']) {
            expect(node['Fn::Or'].length).toBeGreaterThanOrEqual(2);
            expect(node['Fn::Or'].length).toBeLessThanOrEqual(10);
            node['Fn::Or'].forEach(visit);
          } else {
            expect(node['Fn::Equals'][0]).toEqual({ Ref: 'AWS::Region' });
            regions.push(node['Fn::Equals'][1]);
          }
        };
        visit(condition);
        expect(regions.sort()).toEqual([
          'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
          'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1',
          'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
        ]);
      });

      test('uses the provided topicRegion without a condition', () => {
        const other = new Stack(new App(), 'S');
        new AmiUpdateAlerts(other, 'Alerts', { emailAddresses: ['oncall@example.com'], topicRegion: 'eu-west-1' });
        const json = Template.fromStack(other).toJSON();
        expect(json.Conditions).toBeUndefined();
        Template.fromStack(other).hasResourceProperties('AWS::SNS::Subscription', { Region: 'eu-west-1' });
      });
    });
  });

  describe('configuration', () => {
    test('subscribes each HTTPS endpoint', () => {
      new AmiUpdateAlerts(stack, 'Alerts', { httpsEndpoints: ['https://hooks.example.com/ami?team=platform'] });
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'https',
        Endpoint: 'https://hooks.example.com/ami?team=platform',
        Region: 'us-east-1',
        TopicArn: awsTopicArn('us-east-1'),
      });
    });

    test('relays to the provided topic through one function subscribed to the AWS topic', () => {
      const ops = new OpsTopic(stack, 'Ops');
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic: ops.topic });
      const template = Template.fromStack(stack);
      const fn = functionOf(alerts);
      const fnArn = { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] };
      template.resourceCountIs('AWS::Lambda::Function', 1);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Code: { ZipFile: AMI_ALERT_HANDLER_CODE },
        Environment: { Variables: { TOPIC_ARN: stack.resolve(ops.topic.topicArn) } },
        ReservedConcurrentExecutions: Match.absent(),
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        Endpoint: fnArn,
        Region: 'us-east-1',
        TopicArn: awsTopicArn('us-east-1'),
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: fnArn,
        Principal: 'sns.amazonaws.com',
        SourceArn: awsTopicArn('us-east-1'),
      });
    });

    test('subscribes the function once the topic may invoke it', () => {
      new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic') });
      const template = Template.fromStack(stack);
      const permission = Object.keys(template.findResources('AWS::Lambda::Permission'))[0];
      template.hasResource('AWS::SNS::Subscription', { DependsOn: Match.arrayWith([permission]) });
    });

    test('sets only the relay variable when there is nothing to refresh', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic') });
      const variables = stack.resolve((functionOf(alerts).node.defaultChild as lambda.CfnFunction).environment).variables;
      expect(Object.keys(variables)).toEqual(['TOPIC_ARN']);
    });

    test('refreshes the given capacities with a minimum healthy percentage of 90 by default', () => {
      const capacity = launchTimeCapacity(stack);
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [capacity] } });
      const asgRef = stack.resolve(capacity.autoScalingGroup.autoScalingGroupName);
      const variables = stack.resolve((functionOf(alerts).node.defaultChild as lambda.CfnFunction).environment).variables;
      expect(variables).toEqual({
        ASG_NAMES: { 'Fn::Join': ['', ['["', asgRef, '"]']] },
        MIN_HEALTHY_PERCENTAGE: '90',
      });
    });

    test('uses the provided minHealthyPercentage and instanceWarmup', () => {
      const capacity = launchTimeCapacity(stack);
      new AmiUpdateAlerts(stack, 'Alerts', {
        refresh: { capacities: [capacity], minHealthyPercentage: 0, instanceWarmup: Duration.minutes(5) },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { MIN_HEALTHY_PERCENTAGE: '0', INSTANCE_WARMUP_SECONDS: '300' } },
      });
    });

    test('relays and refreshes with one function', () => {
      const capacity = launchTimeCapacity(stack);
      const topic = new sns.Topic(stack, 'Topic');
      new AmiUpdateAlerts(stack, 'Alerts', {
        emailAddresses: ['oncall@example.com'],
        topic,
        refresh: { capacities: [capacity] },
      });
      const template = Template.fromStack(stack);
      template.resourcePropertiesCountIs('AWS::Lambda::Function', { Code: { ZipFile: AMI_ALERT_HANDLER_CODE } }, 1);
      template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'lambda' }, 1);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { TOPIC_ARN: stack.resolve(topic.topicArn), ASG_NAMES: Match.anyValue() } },
      });
    });

    test('runs the function in the private subnets of the provided vpc', () => {
      const vpc = testVpc(stack);
      new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic'), vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: {
          SubnetIds: stack.resolve(vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds),
          SecurityGroupIds: Match.anyValue(),
        },
      });
    });

    test('runs the function outside any VPC by default', () => {
      new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic') });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
    });

    test('sends announcements the function failed to handle to an encrypted, TLS-only dead-letter queue kept 14 days', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic') });
      const template = Template.fromStack(stack);
      const queueId = logicalId(stack, alerts.deadLetterQueue!);
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.hasResource('AWS::SQS::Queue', {
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
        DeletionPolicy: 'RetainExceptOnCreate',
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    });

    test('has no dead-letter queue without a function', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['oncall@example.com'] });
      expect(alerts.deadLetterQueue).toBeUndefined();
      Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 0);
    });

    test('leaves the function log group to CloudWatch Logs encryption by default', () => {
      new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic') });
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.absent() });
    });

    test('encrypts the function log group with the provided logEncryptionKey, which CloudWatch Logs may use', () => {
      const key = new kms.Key(stack, 'LogsKey');
      new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic'), logEncryptionKey: key });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Sid: CLOUDWATCH_LOGS_KEY_SID,
            Principal: { Service: { 'Fn::Join': ['', ['logs.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } },
            Action: Match.arrayWith(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']),
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          })]),
        },
      });
    });

    test('is deterministic: two syntheses give the same template', () => {
      const build = () => {
        const s = testStack();
        new AmiUpdateAlerts(s, 'Alerts', {
          emailAddresses: ['oncall@example.com'],
          topic: new OpsTopic(s, 'Ops').topic,
          refresh: { capacities: [launchTimeCapacity(s)] },
        });
        return Template.fromStack(s).toJSON();
      };
      expect(build()).toEqual(build());
    });

    test('warns when it refreshes a capacity whose AMI family the topic does not announce', () => {
      const capacity = launchTimeCapacity(stack, { amiFamily: AmiFamily.BOTTLEROCKET });
      new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [capacity] } });
      Annotations.fromStack(stack).hasWarning('/TestStack/Alerts',
        Match.stringLikeRegexp('announces new ECS-optimized Amazon Linux AMIs only.*TestStack/Cluster/Capacity \\(BOTTLEROCKET\\)'));
    });

    test('does not warn for Amazon Linux capacities', () => {
      new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [launchTimeCapacity(stack)] } });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Alerts', Match.anyValue());
    });
  });

  describe('validation', () => {
    test('fails when no delivery is given', () => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts')).toThrow(
        '[TestStack/Alerts] one of `emailAddresses`, `httpsEndpoints`, `topic` or `refresh` must be given, got: none');
    });

    test('fails when the delivery lists are empty', () => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: [], httpsEndpoints: [] }))
        .toThrow('one of `emailAddresses`, `httpsEndpoints`, `topic` or `refresh` must be given, got: none');
    });

    test.each(['oncall', 'oncall@example', 'on call@example.com', ''])('fails when an email address is %j', (address) => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: [address] }))
        .toThrow(`[TestStack/Alerts] \`emailAddresses\` must be email addresses, got: ${JSON.stringify(address)}`);
    });

    test('fails when an email address repeats', () => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['a@example.com', 'a@example.com'] }))
        .toThrow('`emailAddresses` must be free of repeats, got: "a@example.com"');
    });

    test.each(['http://hooks.example.com/ami', 'hooks.example.com', 'https://', 'ftp://example.com'])(
      'fails when an HTTPS endpoint is %j', (endpoint) => {
        expect(() => new AmiUpdateAlerts(stack, 'Alerts', { httpsEndpoints: [endpoint] }))
          .toThrow(`[TestStack/Alerts] \`httpsEndpoints\` must be https:// URLs, got: ${JSON.stringify(endpoint)}`);
      });

    test('fails when an HTTPS endpoint repeats', () => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { httpsEndpoints: ['https://a.example.com', 'https://a.example.com'] }))
        .toThrow('`httpsEndpoints` must be free of repeats, got: "https://a.example.com"');
    });

    test.each(['US-WEST-2', 'us-west', 'uswest2', 'us-gov-west-1a', 'west-2'])('fails when topicRegion is %j', (topicRegion) => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['a@example.com'], topicRegion }))
        .toThrow(`[TestStack/Alerts] \`topicRegion\` must be a region name such as us-west-2, got: ${JSON.stringify(topicRegion)}`);
    });

    test.each(['us-gov-west-1', 'eu-central-2', 'ap-southeast-5'])('accepts topicRegion %j', (topicRegion) => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { emailAddresses: ['a@example.com'], topicRegion })).not.toThrow();
    });

    test('fails when refresh.capacities is empty', () => {
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [] } }))
        .toThrow('[TestStack/Alerts] `refresh.capacities` must be a non-empty array, got: []');
    });

    test.each([-1, 101, 50.5])('fails when refresh.minHealthyPercentage is %s', (minHealthyPercentage) => {
      const capacity = launchTimeCapacity(stack);
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [capacity], minHealthyPercentage } }))
        .toThrow(`[TestStack/Alerts] \`refresh.minHealthyPercentage\` must be an integer between 0 and 100, got: ${minHealthyPercentage}`);
    });

    test('fails when a refreshed capacity pins its AMI at deployment', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc: testVpc(stack) });
      const pinned = cluster.addCapacity('Pinned', { amiResolution: AmiResolution.DEPLOY_TIME });
      const launched = cluster.addCapacity('Launched', { amiResolution: AmiResolution.LAUNCH_TIME });
      expect(() => new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [cluster.defaultCapacity, launched, pinned] } }))
        .toThrow('[TestStack/Alerts] `refresh.capacities` must contain capacities with `amiResolution: AmiResolution.LAUNCH_TIME` '
          + '(an instance refresh relaunches the AMI pinned at the last deployment otherwise), '
          + 'got: TestStack/Cluster/Capacity (DEPLOY_TIME), TestStack/Cluster/Pinned (DEPLOY_TIME)');
    });
  });

  describe('permissions', () => {
    function policyStatements(alerts: AmiUpdateAlerts): unknown[] {
      const role = functionOf(alerts).role as iam.Role;
      const policy = role.node.findChild('DefaultPolicy') as iam.Policy;
      return stack.resolve((policy.node.defaultChild as iam.CfnPolicy).policyDocument).Statement;
    }
    const logsStatement = (alerts: AmiUpdateAlerts) => ({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(functionOf(alerts).logGroup.node.defaultChild as any), 'Arn'] },
    });
    const deadLetterStatement = (alerts: AmiUpdateAlerts) => ({
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalId(stack, alerts.deadLetterQueue!), 'Arn'] },
    });

    test('may publish to the provided topic and use its KMS key, and nothing else', () => {
      const ops = new OpsTopic(stack, 'Ops');
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic: ops.topic });
      expect(policyStatements(alerts)).toEqual([
        logsStatement(alerts),
        deadLetterStatement(alerts),
        { Sid: 'RelayToTopic', Action: 'sns:Publish', Effect: 'Allow', Resource: stack.resolve(ops.topic.topicArn) },
        {
          Sid: 'EncryptForTopic',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Effect: 'Allow',
          Resource: stack.resolve(ops.key.keyArn),
        },
      ]);
    });

    test('needs no KMS permission for a topic without a key', () => {
      const topic = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:us-east-1:123456789012:alerts');
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic });
      expect(policyStatements(alerts)).toEqual([
        logsStatement(alerts),
        deadLetterStatement(alerts),
        { Sid: 'RelayToTopic', Action: 'sns:Publish', Effect: 'Allow', Resource: 'arn:aws:sns:us-east-1:123456789012:alerts' },
      ]);
    });

    test('uses the key of an imported encrypted topic', () => {
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      const topic = sns.Topic.fromTopicAttributes(stack, 'Imported', { topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', keyArn: key.keyArn });
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic });
      expect(policyStatements(alerts)).toContainEqual({
        Sid: 'EncryptForTopic',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      });
    });

    test('may start instance refreshes of exactly the refreshed groups', () => {
      const first = launchTimeCapacity(stack);
      const cluster = first.node.scope as EcsCluster;
      const second = cluster.addCapacity('Second', { amiResolution: AmiResolution.LAUNCH_TIME });
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [first, second] } });
      const groupArn = (group: autoscaling.AutoScalingGroup) => ({
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' },
          ':autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/',
          stack.resolve(group.autoScalingGroupName),
        ]],
      });
      expect(policyStatements(alerts)).toEqual([
        logsStatement(alerts),
        deadLetterStatement(alerts),
        {
          Sid: 'RefreshCapacities',
          Action: 'autoscaling:StartInstanceRefresh',
          Effect: 'Allow',
          Resource: [groupArn(first.autoScalingGroup), groupArn(second.autoScalingGroup)],
        },
      ]);
    });

    test('names each group in the ARN shape Auto Scaling uses', () => {
      const capacity = launchTimeCapacity(stack);
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [capacity] } });
      const statement = policyStatements(alerts)[2] as { Resource: { 'Fn::Join': [string, unknown[]] } };
      const flat = statement.Resource['Fn::Join'][1]
        .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`)).join('');
      expect(flat).toMatch(/^arn:<.*AWS::Partition.*>:autoscaling:us-east-1:123456789012:autoScalingGroup:\*:autoScalingGroupName\/<.*>$/);
    });

    test('adds the network interface permissions of a function in a VPC', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic'), vpc: testVpc(stack) });
      expect(policyStatements(alerts)).toContainEqual(expect.objectContaining({
        Action: expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']),
        Resource: '*',
      }));
    });
  });

  describe('handler', () => {
    interface Harness {
      handler: (event: unknown) => Promise<void>;
      published: any[];
      refreshed: any[];
      logs: { level: string; text: string }[];
    }

    /** Runs the inline code in-process with fake SDK clients; `refreshError` decides what each refresh throws. */
    function loadHandler(env: Record<string, string>, refreshError: (name: string) => Error | undefined = () => undefined,
      publishError?: Error): Harness {
      const harness: Harness = { handler: async () => undefined, published: [], refreshed: [], logs: [] };
      class Command { constructor(public readonly input: any) {} }
      class PublishCommand extends Command {}
      class StartInstanceRefreshCommand extends Command {}
      class SNSClient {
        async send(command: Command) {
          if (publishError) throw publishError;
          harness.published.push(command.input);
          return { MessageId: 'relayed-1' };
        }
      }
      class AutoScalingClient {
        async send(command: Command) {
          const error = refreshError(command.input.AutoScalingGroupName);
          if (error) throw error;
          harness.refreshed.push(command.input);
          return { InstanceRefreshId: `refresh-${command.input.AutoScalingGroupName}` };
        }
      }
      const modules: Record<string, unknown> = {
        '@aws-sdk/client-sns': { SNSClient, PublishCommand },
        '@aws-sdk/client-auto-scaling': { AutoScalingClient, StartInstanceRefreshCommand },
      };
      const fakeRequire = (name: string) => {
        if (!(name in modules)) throw new Error(`unexpected require: ${name}`);
        return modules[name];
      };
      const record = (level: string) => (...args: unknown[]) => harness.logs.push({ level, text: args.map(String).join(' ') });
      const fakeConsole = { log: record('log'), info: record('info'), warn: record('warn'), error: record('error') };
      const module = { exports: {} as { handler: Harness['handler'] } };
      new Function('require', 'module', 'exports', 'process', 'console', AMI_ALERT_HANDLER_CODE)(
        fakeRequire, module, module.exports, { env }, fakeConsole);
      harness.handler = module.exports.handler;
      return harness;
    }

    function named(name: string, message = name): Error {
      const error = new Error(message);
      error.name = name;
      return error;
    }

    const event = (subject: string | null, message = '{"ECSAmis":[]}') => ({
      Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm-1', Subject: subject, Message: message } }],
    });

    test('fits in an inline function (4096 characters)', () => {
      expect(AMI_ALERT_HANDLER_CODE.length).toBeLessThanOrEqual(4096);
    });

    test('republishes the subject and message to the topic', async () => {
      const h = loadHandler({ TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops' });
      await h.handler(event('New ECS AMI', '{"ECSAgent":{"ReleaseVersion":"1.90.0"}}'));
      expect(h.published).toEqual([{
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
        Subject: 'New ECS AMI',
        Message: '{"ECSAgent":{"ReleaseVersion":"1.90.0"}}',
      }]);
      expect(h.refreshed).toEqual([]);
    });

    test.each([
      [null, 'New Amazon ECS-optimized AMI'],
      ['', 'New Amazon ECS-optimized AMI'],
      ['line one\nline two', 'line one line two'],
      ['x'.repeat(150), 'x'.repeat(100)],
    ])('makes a valid SNS subject of %j', async (subject, expected) => {
      const h = loadHandler({ TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops' });
      await h.handler(event(subject));
      expect(h.published[0].Subject).toBe(expected);
    });

    test('fails the invocation when the relay fails', async () => {
      const h = loadHandler({ TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops' }, undefined, named('AuthorizationErrorException'));
      await expect(h.handler(event('New AMI'))).rejects.toThrow('AMI update handling failed: relay of message m-1');
      expect(h.logs).toContainEqual(expect.objectContaining({ level: 'error' }));
    });

    test('starts an instance refresh of each group with the configured preferences', async () => {
      const h = loadHandler({ ASG_NAMES: '["group-a","group-b"]', MIN_HEALTHY_PERCENTAGE: '90', INSTANCE_WARMUP_SECONDS: '300' });
      await h.handler(event('New AMI'));
      const preferences = { MinHealthyPercentage: 90, InstanceWarmup: 300, ScaleInProtectedInstances: 'Refresh' };
      expect(h.refreshed).toEqual([
        { AutoScalingGroupName: 'group-a', Preferences: preferences },
        { AutoScalingGroupName: 'group-b', Preferences: preferences },
      ]);
      expect(h.published).toEqual([]);
    });

    test('sets no instance warmup unless configured', async () => {
      const h = loadHandler({ ASG_NAMES: '["group-a"]', MIN_HEALTHY_PERCENTAGE: '0' });
      await h.handler(event('New AMI'));
      expect(h.refreshed[0].Preferences).toEqual({ MinHealthyPercentage: 0, ScaleInProtectedInstances: 'Refresh' });
    });

    test.each(['InstanceRefreshInProgressFault', 'InstanceRefreshInProgress'])(
      'logs a group that is already refreshing (%s) and goes on', async (errorName) => {
        const h = loadHandler({ ASG_NAMES: '["busy","idle"]', MIN_HEALTHY_PERCENTAGE: '90' },
          (name) => (name === 'busy' ? named(errorName, 'An Instance Refresh is already in progress') : undefined));
        await expect(h.handler(event('New AMI'))).resolves.toBeUndefined();
        expect(h.refreshed.map((input) => input.AutoScalingGroupName)).toEqual(['idle']);
        expect(h.logs).toContainEqual({ level: 'warn', text: expect.stringContaining('busy') });
      });

    test('refreshes the other groups when one fails, then fails the invocation', async () => {
      const h = loadHandler({ ASG_NAMES: '["broken","busy","fine"]', MIN_HEALTHY_PERCENTAGE: '90' }, (name) => {
        if (name === 'broken') return named('ValidationError', 'AutoScalingGroup name not found');
        if (name === 'busy') return named('InstanceRefreshInProgressFault');
        return undefined;
      });
      await expect(h.handler(event('New AMI'))).rejects.toThrow('AMI update handling failed: instance refresh of broken');
      expect(h.refreshed.map((input) => input.AutoScalingGroupName)).toEqual(['fine']);
      expect(h.logs).toContainEqual({ level: 'error', text: expect.stringContaining('broken') });
    });

    test('relays and refreshes in one invocation', async () => {
      const h = loadHandler({ TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops', ASG_NAMES: '["group-a"]', MIN_HEALTHY_PERCENTAGE: '90' });
      await h.handler(event('New AMI'));
      expect(h.published).toHaveLength(1);
      expect(h.refreshed).toHaveLength(1);
    });

    test('refreshes even when the relay fails, then fails the invocation', async () => {
      const h = loadHandler({ TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops', ASG_NAMES: '["group-a"]', MIN_HEALTHY_PERCENTAGE: '90' },
        undefined, named('KMSAccessDeniedException'));
      await expect(h.handler(event('New AMI'))).rejects.toThrow('relay of message m-1');
      expect(h.refreshed).toHaveLength(1);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings with email and HTTPS deliveries', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', {
        emailAddresses: ['oncall@example.com'],
        httpsEndpoints: ['https://hooks.example.com/ami'],
      });
      expect(nagFindings(alerts)).toEqual([]);
    });

    test('has no AwsSolutions findings with a relay and a refresh', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', {
        topic: new OpsTopic(stack, 'Ops').topic,
        refresh: { capacities: [launchTimeCapacity(stack)] },
      });
      expect(nagFindings(alerts)).toEqual([]);
    });

    test('has no AwsSolutions findings in a VPC', () => {
      const vpc = testVpc(stack);
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', {
        topic: new OpsTopic(stack, 'Ops').topic,
        refresh: { capacities: [launchTimeCapacity(stack)] },
        vpc,
      });
      expect(nagFindings(alerts)).toEqual([]);
    });

    test('has no AwsSolutions findings in an environment-agnostic stack', () => {
      const agnostic = new Stack(new App(), 'S');
      const alerts = new AmiUpdateAlerts(agnostic, 'Alerts', { refresh: { capacities: [launchTimeCapacity(agnostic)] } });
      expect(nagFindings(alerts)).toEqual([]);
    });

    test('acknowledges the network interface actions of a function in a VPC, on its role only', () => {
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'Topic'), vpc: testVpc(stack) });
      const role = functionOf(alerts).role as iam.Role;
      const ids = role.node.metadata.flatMap((entry) => Object.keys((entry.data ?? {}) as object));
      expect(ids.map((id) => id.replace(/^annotation::/i, ''))).toEqual([...INLINE_POLICY_ACKNOWLEDGEMENTS, 'AwsSolutions-IAM5[Resource::*]']);
      expect(alerts.node.metadata).toEqual([]);
    });

    test('acknowledges only the wildcard of each refreshed group ARN', () => {
      const capacity = launchTimeCapacity(stack);
      const alerts = new AmiUpdateAlerts(stack, 'Alerts', { refresh: { capacities: [capacity] } });
      const role = functionOf(alerts).role as iam.Role;
      const ids = role.node.metadata.flatMap((entry) => Object.keys((entry.data ?? {}) as object));
      const asg = stack.getLogicalId(capacity.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup);
      expect(ids.map((id) => id.replace(/^annotation::/i, ''))).toEqual([
        ...INLINE_POLICY_ACKNOWLEDGEMENTS,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/<${asg}>]`,
      ]);
    });
  });
});
