import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { lazyModule } from '../shared/lazy-module';
import { checkedRemovalPolicy, KEEP_STATEFUL } from '../shared/removal';
import { assertPattern } from '../shared/validate';

/** SNS subscriptions, loaded on first use: only a topic with email addresses needs them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (lazyModule)
const subscriptions = lazyModule(() => require('aws-cdk-lib/aws-sns-subscriptions') as typeof import('aws-cdk-lib/aws-sns-subscriptions'));

/** Properties for an `OpsTopic`. */
export interface OpsTopicProps {
  /**
   * Email addresses to subscribe. Each must confirm the subscription from the email AWS sends.
   *
   * @default - none
   */
  readonly emailAddresses?: string[];

  /**
   * What happens to the topic's KMS key when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept when the stack deletes or replaces it; deleted when the create
   *   that made it fails and rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's operations topic: where Auto Scaling notifications (and alarms) go. Encrypted with its own
 * customer-managed KMS key (rotated yearly) and TLS-only.
 *
 * The key policy lets CloudWatch alarms and the Auto Scaling service-linked role
 * (`AWSServiceRoleForAutoScaling`) publish. It names that role in an `aws:PrincipalArn` condition, not as the
 * principal, so the key can be created in an account where the role does not exist yet (Auto Scaling creates it
 * with the account's first group): KMS refuses a key policy whose principal does not exist.
 *
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-sns-notifications.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { OpsTopic } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * const ops = new OpsTopic(stack, 'Ops', { emailAddresses: ['oncall@example.com'] });
 */
export class OpsTopic extends Construct {
  /** The SNS topic. */
  public readonly topic: sns.Topic;
  /** The KMS key that encrypts the topic. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: OpsTopicProps = {}) {
    super(scope, id);
    const emailAddresses = props.emailAddresses ?? [];
    const removalPolicy = checkedRemovalPolicy(this, 'removalPolicy', props.removalPolicy, KEEP_STATEFUL);
    for (const address of emailAddresses) {
      assertPattern(this, 'emailAddresses', address, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'email addresses');
    }

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the platform operations topic',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy,
    });
    const publish = ['kms:Decrypt', 'kms:GenerateDataKey*'];
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      actions: publish,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: ['*'],
    }));
    // The Auto Scaling service-linked role is named in a condition, not as the principal: KMS refuses a key policy
    // whose principal does not exist ("invalid principals"), and the role is created with the account's first Auto
    // Scaling group, which in a new account is created after this key.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAutoScalingNotifications',
      actions: publish,
      principals: [new iam.AnyPrincipal()],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': autoScalingServiceLinkedRoleArn(this) } },
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
      const { EmailSubscription } = subscriptions();
      this.topic.addSubscription(new EmailSubscription(address));
    }
  }
}

/**
 * The ARN of the account's Auto Scaling service-linked role, which may not exist yet when this stack is created.
 *
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
 */
function autoScalingServiceLinkedRoleArn(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: 'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
  });
}
