import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { newDeadLetterQueue } from '../../shared/dead-letter-queue';
import { dependOnRestOfSubtree } from '../../shared/dependencies';
import { allowCloudWatchLogsToUseKey } from '../../shared/log-encryption';
import { acknowledgeNagRule } from '../../shared/nag';
import { KEEP_STATEFUL } from '../../shared/removal';

/**
 * The Node.js runtime of every function this library deploys: the newest one aws-cdk-lib knows, which is what
 * cdk-nag's "latest runtime" rule asks for. Fixed by the aws-cdk-lib version, so templates stay deterministic.
 */
export const INLINE_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Properties of an `InlineFunction`. */
export interface InlineFunctionProps {
  /**
   * The handler module's source: CommonJS JavaScript that sets `exports.handler`. It is written into the template
   * (`ZipFile`), so it has no asset and the same bytes on every machine. At most 4096 characters.
   */
  readonly code: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** Environment variables of the function. */
  readonly environment?: { [key: string]: string };
  /**
   * A VPC to run the function in, with a security group that allows no inbound traffic.
   *
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /** @default - the VPC's private subnets with egress */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A KMS key to encrypt the function's log group with. A key of this app gets the key policy statement that lets
   * CloudWatch Logs use it; the policy of an imported key must allow that already.
   *
   * @default - the log group is encrypted by CloudWatch Logs with its own keys
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * A small Node.js Lambda function whose code lives in the template: its own role (no managed policies), its own
 * log group with a retention (KMS-encrypted when given a key), no reserved concurrency (a new account has none to spare), JSON logs, and a dead-letter
 * queue (SSE-SQS, TLS only, kept 14 days) for the events that still fail after Lambda's two retries: every user
 * invokes it asynchronously (SNS, CloudFormation custom resources). Internal: the building block of the library's
 * custom resources and event handlers.
 */
export class InlineFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** The function's execution role: it may write to its own log group, and whatever its user grants. */
  public readonly role: iam.Role;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Where asynchronous invocations go that failed every attempt. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: InlineFunctionProps) {
    super(scope, id);
    if (props.code.length > 4096) {
      throw new Error(`inline function code must be at most 4096 characters, got: ${props.code.length} (at ${this.node.path})`);
    }

    if (props.logEncryptionKey) allowCloudWatchLogsToUseKey(this, props.logEncryptionKey);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: KEEP_STATEFUL,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    acknowledgeNagRule(this.role, 'INLINE_GRANT_POLICY');
    // the function refers to the role (`Role`): what depends on the role waits for its policies only
    dependOnRestOfSubtree(this.role);
    this.deadLetterQueue = newDeadLetterQueue(this, 'DeadLetterQueue');
    this.logGroup.grantWrite(this.role);
    if (props.vpc) {
      // what AWSLambdaVPCAccessExecutionRole grants; these EC2 actions support no resource-level permissions
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }));
    }

    this.function = new lambda.Function(this, 'Resource', {
      runtime: INLINE_FUNCTION_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromInline(props.code),
      description: props.description,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: 256,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: props.environment,
      deadLetterQueue: this.deadLetterQueue,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }) : undefined,
      allowAllOutbound: props.vpc ? true : undefined,
    });
    // no reserved concurrency: a new account has 10, and Lambda refuses a reservation that leaves fewer unreserved
    acknowledgeNagRule(this.function, 'FUNCTION_UNRESERVED_CONCURRENCY');
    // the role's policy must exist before the function runs (CloudFormation may invoke it at once): aws-cdk-lib's
    // Function depends on its role, which is a dependency on the role's policies (above)
  }
}
