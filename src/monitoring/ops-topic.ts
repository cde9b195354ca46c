import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { assertPattern } from '../private/validate';

/** Properties for an `OpsTopic`. */
export interface OpsTopicProps {
  /**
   * Email addresses to subscribe; each must confirm the subscription from the email AWS sends.
   *
   * @default - none
   */
  readonly emailAddresses?: string[];

  /**
   * What happens to the topic's KMS key when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's operations topic: where Auto Scaling notifications (and alarms) go. Encrypted with its own
 * customer-managed KMS key (rotated yearly) and TLS-only.
 *
 * The key policy lets CloudWatch alarms and the Auto Scaling service-linked role
 * (`AWSServiceRoleForAutoScaling`) publish; that role must exist in the account before deployment (it does once
 * any Auto Scaling group was created there, or after
 * `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`).
 *
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-sns-notifications.html
 * @example
 * const ops = new OpsTopic(this, 'Ops', { emailAddresses: ['oncall@example.com'] });
 */
export class OpsTopic extends Construct {
  /** The SNS topic. */
  public readonly topic: sns.Topic;
  /** The KMS key that encrypts the topic. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: OpsTopicProps = {}) {
    super(scope, id);
    const emailAddresses = props.emailAddresses ?? [];
    for (const address of emailAddresses) {
      assertPattern(this, 'emailAddresses', address, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'email addresses');
    }

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the platform operations topic',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const publish = ['kms:Decrypt', 'kms:GenerateDataKey*'];
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      actions: publish,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: ['*'],
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAutoScalingNotifications',
      actions: publish,
      principals: [new iam.ArnPrincipal(Stack.of(this).formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      }))],
      resources: ['*'],
    }));

    this.topic = new sns.Topic(this, 'Resource', {
      masterKey: this.key,
      enforceSSL: true,
    });
    // enforceSSL replaces the topic's default access policy: CloudWatch alarms of this account need an explicit allow.
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      actions: ['sns:Publish'],
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: [this.topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    for (const address of emailAddresses) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    }
  }
}
