import { Annotations, ArnFormat, Aws, CfnCondition, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { AmiFamily, AmiResolution } from './ami-family';
import { Ec2Capacity } from './ec2-capacity';
import { AMI_ALERT_HANDLER_CODE } from './private/ami-alert-handler';
import { InlineFunction } from './private/inline-function';
import { acknowledgeNagRule, resourceFindingSuffix } from '../shared/nag';
import { PlatformValidationError, assertInRange, assertPattern, validationError } from '../shared/validate';

/** The AWS account that owns the public `ecs-optimized-amazon-ami-update` topics. */
const AMI_TOPIC_ACCOUNT = '177427601217';
/** The name of AWS's public topic for new ECS-optimized Amazon Linux AMIs. */
const AMI_TOPIC_NAME = 'ecs-optimized-amazon-ami-update';
/** The copy of the topic that AWS's own subscription instructions use, and the fallback of every other region. */
const CANONICAL_TOPIC_REGION = 'us-west-2';

/**
 * The regions with a copy of the topic.
 *
 * Source: the "Subscribing to Amazon ECS-optimized AMI update notifications" page of the Amazon ECS Developer
 * Guide, as published in awsdocs/amazon-ecs-developer-guide (doc_source/ECS-AMI-SubscribeTopic.md, commit
 * 295a968cf5b385e66f95c90c84651566d25c8119), whose table lists these 16 regions, all in the `aws` partition.
 * That repository was archived in 2023, so regions opened since are missing: they fall back to us-west-2, which
 * works from any commercial region (SNS delivers across regions); `topicRegion` overrides the choice.
 */
const TOPIC_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1',
  'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'sa-east-1',
];

/** The AMI families whose releases the topic announces: it is sent for new ECS-optimized Amazon Linux AMIs. */
const ANNOUNCED_FAMILIES: readonly AmiFamily[] = [AmiFamily.AMAZON_LINUX_2023, AmiFamily.AMAZON_LINUX_2023_ARM64];

/** How `AmiUpdateAlerts` replaces container instances when AWS releases a new ECS-optimized AMI. */
export interface AmiRefreshOptions {
  /**
   * The capacities whose instances are replaced by an Auto Scaling instance refresh. Each must resolve its AMI
   * at launch (`amiResolution: AmiResolution.LAUNCH_TIME`), or the refresh would relaunch the AMI pinned at the
   * last deployment.
   */
  readonly capacities: Ec2Capacity[];

  /**
   * The share of each group's capacity that must stay in service during the refresh (0 to 100). ECS managed
   * draining moves tasks off each instance before it is replaced, so instances protected from scale in (managed
   * termination protection) are replaced too.
   *
   * @default 90
   */
  readonly minHealthyPercentage?: number;

  /**
   * How long a new instance needs before it counts as in service.
   *
   * @default - not set: the group's default instance warmup, else its health check grace period
   */
  readonly instanceWarmup?: Duration;
}

/** Properties for an `AmiUpdateAlerts`. Give at least one of `emailAddresses`, `httpsEndpoints`, `topic` or `refresh`. */
export interface AmiUpdateAlertsProps {
  /**
   * Email addresses to subscribe to AWS's topic. Each must confirm the subscription from the email AWS sends.
   *
   * @default - no email subscriptions
   */
  readonly emailAddresses?: string[];

  /**
   * HTTPS endpoints to subscribe to AWS's topic, as `https://` URLs (plain `http://` is refused). Each endpoint
   * must confirm the subscription by visiting the `SubscribeURL` of the first message.
   *
   * @default - no HTTPS subscriptions
   */
  readonly httpsEndpoints?: string[];

  /**
   * Your own topic (for example `OpsTopic.topic`, KMS-encrypted) to receive each announcement. SNS cannot
   * subscribe a topic to a topic, so a function subscribed to AWS's topic republishes each message (subject and
   * body) to this one.
   *
   * @default - no relay
   */
  readonly topic?: sns.ITopic;

  /**
   * Replace the instances of these capacities with an Auto Scaling instance refresh each time AWS announces a
   * new AMI.
   *
   * @default - no refresh: instances get the new AMI when they are replaced for another reason
   */
  readonly refresh?: AmiRefreshOptions;

  /**
   * A VPC to run the relay and refresh function in, in its private subnets with egress (it calls the SNS and
   * Auto Scaling APIs). Compliance packs such as the NIST 800-53 and PCI DSS rules of AWS Config and cdk-nag
   * ask for every Lambda function to run in a VPC; the function itself needs no VPC resource.
   *
   * @default - the function runs outside any VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * A KMS key to encrypt the function's log group with, as compliance packs such as NIST 800-53, HIPAA and PCI DSS
   * ask. A key of this app gets the key policy statement that lets CloudWatch Logs of this account and region use
   * it; the policy of an imported key must allow that already.
   *
   * @default - the log group is encrypted by CloudWatch Logs with its own keys
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * The region of the copy of AWS's topic to subscribe to (such as `us-west-2`).
   *
   * @default - the stack's region when it has a copy of the topic, else us-west-2; for an environment-agnostic
   * stack, the same choice is made at deploy time by a CloudFormation condition
   */
  readonly topicRegion?: string;
}

/**
 * Alerts for new Amazon ECS-optimized AMIs: subscribes to AWS's public `ecs-optimized-amazon-ami-update` SNS
 * topic (account 177427601217), which AWS publishes to when it releases a new ECS-optimized Amazon Linux AMI.
 *
 * Deliveries, at least one of them:
 * - `emailAddresses` and `httpsEndpoints` subscribe directly to AWS's topic (cross-region subscriptions);
 * - `topic` relays each message to your own topic through a small function;
 * - `refresh` makes the same function start an instance refresh of each given capacity, so that container
 *   instances move to the new AMI without a deployment. Those capacities must resolve their AMI at launch.
 *
 * The function (one at most) runs Node.js with its code in the template, its own role with exactly
 * `sns:Publish` on `topic` (and `kms:Decrypt`, `kms:GenerateDataKey` on its key),
 * `autoscaling:StartInstanceRefresh` on the refreshed groups and `sqs:SendMessage` on its dead-letter queue, a
 * log group kept for a year (encrypted with `logEncryptionKey` when given), no reserved concurrency, and a
 * dead-letter queue for the announcements it failed to handle.
 *
 * The subscription uses the copy of the topic in the stack's region if there is one, else the us-west-2 copy.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS-AMI-SubscribeTopic.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { AmiUpdateAlerts, EcsCluster, OpsTopic } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const ops: OpsTopic;
 * declare const cluster: EcsCluster; // its capacity was created with `amiResolution: AmiResolution.LAUNCH_TIME`
 * new AmiUpdateAlerts(stack, 'AmiUpdates', {
 *   emailAddresses: ['platform-team@example.com'],
 *   topic: ops.topic,
 *   refresh: { capacities: [cluster.defaultCapacity] },
 * });
 */
export class AmiUpdateAlerts extends Construct {
  /** The ARN of the copy of AWS's `ecs-optimized-amazon-ami-update` topic that is subscribed to. */
  public readonly topicArn: string;
  /** The region of that copy (a deploy-time value for an environment-agnostic stack). */
  public readonly topicRegion: string;
  /** The function that relays messages to `topic` and starts instance refreshes, when either is asked for. */
  public readonly function?: lambda.Function;
  /**
   * The function's dead-letter queue (SSE-SQS, TLS only, messages kept 14 days): announcements that the function
   * failed to handle after Lambda's two retries.
   */
  public readonly deadLetterQueue?: sqs.Queue;
  /** The subscriptions to AWS's topic: emails, then HTTPS endpoints, then the function. */
  public readonly subscriptions: sns.CfnSubscription[];

  constructor(scope: Construct, id: string, props: AmiUpdateAlertsProps = {}) {
    super(scope, id);

    // Resolve
    const emailAddresses = props.emailAddresses ?? [];
    const httpsEndpoints = props.httpsEndpoints ?? [];
    const capacities = props.refresh?.capacities ?? [];
    const minHealthyPercentage = props.refresh?.minHealthyPercentage ?? 90;

    // Validate
    if (emailAddresses.length === 0 && httpsEndpoints.length === 0 && !props.topic && !props.refresh) {
      throw new PlatformValidationError(this,
        'one of `emailAddresses`, `httpsEndpoints`, `topic` or `refresh` must be given, got: none');
    }
    for (const address of emailAddresses) {
      assertPattern(this, 'emailAddresses', address, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'email addresses');
    }
    assertUnique(this, 'emailAddresses', emailAddresses);
    for (const endpoint of httpsEndpoints) {
      assertPattern(this, 'httpsEndpoints', endpoint, /^https:\/\/[^\s/]+\S*$/, 'https:// URLs');
    }
    assertUnique(this, 'httpsEndpoints', httpsEndpoints);
    assertPattern(this, 'topicRegion', props.topicRegion, /^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'a region name such as us-west-2');
    if (props.refresh) {
      if (capacities.length === 0) validationError(this, 'refresh.capacities', 'a non-empty array', capacities);
      assertInRange(this, 'refresh.minHealthyPercentage', minHealthyPercentage, 0, 100);
      const pinned = capacities.filter((capacity) => capacity.amiResolution !== AmiResolution.LAUNCH_TIME);
      if (pinned.length > 0) {
        throw new PlatformValidationError(this,
          '`refresh.capacities` must contain capacities with `amiResolution: AmiResolution.LAUNCH_TIME` (an instance '
          + 'refresh relaunches the AMI pinned at the last deployment otherwise), got: '
          + pinned.map((capacity) => `${capacity.node.path} (${capacity.amiResolution})`).join(', '));
      }
      const unannounced = capacities.filter((capacity) => !ANNOUNCED_FAMILIES.includes(capacity.amiFamily));
      if (unannounced.length > 0) {
        Annotations.of(this).addWarningV2('cdk-ecs-platform:AmiUpdateAlerts.refreshNotAmazonLinux',
          'the topic announces new ECS-optimized Amazon Linux AMIs only; these capacities are refreshed on those '
          + 'releases, whether or not their own AMI changed: '
          + unannounced.map((capacity) => `${capacity.node.path} (${capacity.amiFamily})`).join(', '));
      }
    }

    // Build
    this.topicRegion = this.chooseTopicRegion(props.topicRegion);
    this.topicArn = Stack.of(this).formatArn({
      service: 'sns',
      region: this.topicRegion,
      account: AMI_TOPIC_ACCOUNT,
      resource: AMI_TOPIC_NAME,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });

    this.subscriptions = [
      ...emailAddresses.map((address, index) => this.subscribe(`EmailSubscription${index + 1}`, 'email', address)),
      ...httpsEndpoints.map((endpoint, index) => this.subscribe(`HttpsSubscription${index + 1}`, 'https', endpoint)),
    ];

    if (props.topic || props.refresh) {
      const handler = new InlineFunction(this, 'Function', {
        code: AMI_ALERT_HANDLER_CODE,
        description: 'Handles new ECS-optimized AMI announcements: relays them to a topic and starts instance refreshes',
        environment: {
          ...(props.topic ? { TOPIC_ARN: props.topic.topicArn } : {}),
          ...(props.refresh ? {
            ASG_NAMES: Stack.of(this).toJsonString(capacities.map((capacity) => capacity.autoScalingGroup.autoScalingGroupName)),
            MIN_HEALTHY_PERCENTAGE: String(minHealthyPercentage),
            ...(props.refresh.instanceWarmup ? { INSTANCE_WARMUP_SECONDS: String(props.refresh.instanceWarmup.toSeconds()) } : {}),
          } : {}),
        },
        vpc: props.vpc,
        logEncryptionKey: props.logEncryptionKey,
      });
      this.function = handler.function;
      this.deadLetterQueue = handler.deadLetterQueue;
      if (props.topic) this.grantRelay(handler.role, props.topic);
      if (props.refresh) this.grantRefresh(handler.role, capacities);
      if (props.vpc) acknowledgeNagRule(handler.role, 'FUNCTION_VPC_NETWORK_INTERFACES', '[Resource::*]');

      const permission = new lambda.CfnPermission(this, 'InvokePermission', {
        action: 'lambda:InvokeFunction',
        functionName: handler.function.functionArn,
        principal: 'sns.amazonaws.com',
        sourceArn: this.topicArn,
      });
      const subscription = this.subscribe('FunctionSubscription', 'lambda', handler.function.functionArn);
      // deliveries start once the topic may invoke the function
      subscription.node.addDependency(permission);
      this.subscriptions.push(subscription);
    }
  }

  /**
   * The region of the topic copy: the override, else the stack's region if it has a copy, else us-west-2. For an
   * environment-agnostic stack, a condition on `AWS::Region` makes the same choice at deploy time (a mapping
   * would fail in a region it does not list).
   */
  private chooseTopicRegion(override: string | undefined): string {
    if (override !== undefined) return override;
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region)) {
      if (!TOPIC_REGIONS.includes(stack.region)) {
        const partition = RegionInfo.get(stack.region).partition;
        if (partition !== undefined && partition !== 'aws') {
          Annotations.of(this).addWarningV2('cdk-ecs-platform:AmiUpdateAlerts.noTopicInPartition',
            `no copy of the ${AMI_TOPIC_NAME} topic is known in the ${partition} partition of ${stack.region}; `
            + 'set `topicRegion` to a region of that partition that has one');
        }
        return CANONICAL_TOPIC_REGION;
      }
      return stack.region;
    }
    // Fn.conditionOr nests groups of at most 10 conditions, the limit of Fn::Or
    const hasCopy = new CfnCondition(this, 'RegionHasTopicCopy', {
      expression: Fn.conditionOr(...TOPIC_REGIONS.map((region) => Fn.conditionEquals(Aws.REGION, region))),
    });
    return Token.asString(Fn.conditionIf(hasCopy.logicalId, Aws.REGION, CANONICAL_TOPIC_REGION));
  }

  /** Subscribes an endpoint to AWS's topic, from the topic's region. */
  private subscribe(id: string, protocol: string, endpoint: string): sns.CfnSubscription {
    return new sns.CfnSubscription(this, id, {
      topicArn: this.topicArn,
      protocol,
      endpoint,
      region: this.topicRegion,
    });
  }

  /**
   * `sns:Publish` on the topic, and the two KMS actions SNS uses to encrypt the message with the topic's key
   * (`kms:GenerateDataKey` rather than `kms:GenerateDataKey*`, which `grantPublish` grants: the variants are
   * never used by SNS).
   */
  private grantRelay(role: iam.Role, topic: sns.ITopic): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RelayToTopic',
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
    }));
    if (topic.masterKey) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'EncryptForTopic',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [topic.masterKey.keyArn],
      }));
    }
  }

  /**
   * `autoscaling:StartInstanceRefresh` on each group. A group's ARN holds an id that CloudFormation does not
   * return, so each is matched by name: `autoScalingGroup:*:autoScalingGroupName/<name>`.
   */
  private grantRefresh(role: iam.Role, capacities: Ec2Capacity[]): void {
    const arns = capacities.map((capacity) => Stack.of(capacity.autoScalingGroup).formatArn({
      service: 'autoscaling',
      resource: 'autoScalingGroup',
      resourceName: `*:autoScalingGroupName/${capacity.autoScalingGroup.autoScalingGroupName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RefreshCapacities',
      actions: ['autoscaling:StartInstanceRefresh'],
      resources: arns,
    }));
    for (const arn of arns) {
      acknowledgeNagRule(role, 'REFRESH_GROUP_ID_WILDCARD', resourceFindingSuffix(role, arn));
    }
  }
}

/** Asserts that a list prop names each value once: a repeated endpoint would share one SNS subscription. */
function assertUnique(scope: Construct, prop: string, values: string[]): void {
  const repeated = values.find((value, index) => !Token.isUnresolved(value) && values.indexOf(value) !== index);
  if (repeated !== undefined) validationError(scope, prop, 'free of repeats', repeated);
}
