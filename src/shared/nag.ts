import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The three compliance packs' ids of one rule that they share (`NIST.800.53.R5-X`, `HIPAA.Security-X`, `PCI.DSS.321-X`). */
function compliancePacks<R extends string>(rule: R) {
  return [`NIST.800.53.R5-${rule}`, `HIPAA.Security-${rule}`, `PCI.DSS.321-${rule}`] as const;
}

/**
 * Every cdk-nag finding this library acknowledges, with the rules and the reason. The only place in `src/`
 * that names a cdk-nag rule id; the acknowledgement table of docs/cdk-nag.md is kept equal to it by a test.
 *
 * One entry is one reason on one kind of construct; it names the rule id of each pack (AwsSolutions, NIST 800-53
 * R5, HIPAA Security, PCI DSS 3.2.1) that reports the same finding there, and `acknowledgeNagRule()` acknowledges
 * all of them.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  PUBLIC_ALB_INGRESS: {
    ruleIds: ['AwsSolutions-EC23'],
    construct: 'PublicLoadBalancer security group (internet-facing and open to everyone)',
    reason: 'An internet-facing load balancer open to everyone (the default, or `ingressCidrs` with 0.0.0.0/0 or ::/0) must accept its listener ports (80, 443) from any address; nothing else is open. Not made when ingress is restricted to given ranges or prefix lists, or the load balancer is internal.',
  },
  ACCESS_LOGS_BUCKET_NO_SERVER_ACCESS_LOGS: {
    ruleIds: ['AwsSolutions-S1', ...compliancePacks('S3BucketLoggingEnabled')],
    construct: 'PublicLoadBalancer access logs bucket',
    reason: 'The bucket holds the ALB access logs itself; logging access to it into another bucket would repeat without end.',
  },
  ACCESS_LOGS_BUCKET_SSE_S3: {
    ruleIds: compliancePacks('S3DefaultEncryptionKMS'),
    construct: 'PublicLoadBalancer access logs bucket',
    reason: 'Elastic Load Balancing writes access logs only to buckets encrypted with Amazon S3 managed keys (SSE-S3); with SSE-KMS as default encryption the delivery fails. The bucket is SSE-S3 encrypted, TLS only, with all public access blocked.',
  },
  ACCESS_LOGS_BUCKET_NO_REPLICATION: {
    ruleIds: compliancePacks('S3BucketReplicationEnabled'),
    construct: 'PublicLoadBalancer access logs bucket',
    reason: 'The access logs are operational records that expire after `accessLogsRetention`; replication needs a destination bucket in another Region or account, which one stack cannot create. Versioning keeps overwritten and deleted logs for 30 days; where a copy elsewhere is required, give a replicated bucket of your own as `accessLogsBucket`.',
  },
  LOAD_BALANCER_DELETION_PROTECTION: {
    ruleIds: ['NIST.800.53.R5-ELBDeletionProtectionEnabled', 'HIPAA.Security-ELBDeletionProtectionEnabled'],
    construct: 'PublicLoadBalancer load balancer (without `deletionProtection`)',
    reason: 'Elastic Load Balancing refuses every delete of a protected load balancer, CloudFormation\'s included: a failed first create could not roll back (ROLLBACK_FAILED) and the stack could not be destroyed. The stack is protected from deletion with CloudFormation termination protection instead, which does not block rollbacks.',
  },
  HTTP_REDIRECT_LISTENER: {
    ruleIds: compliancePacks('ELBv2ACMCertificateRequired'),
    construct: 'PublicLoadBalancer HTTP listener (with a certificate)',
    reason: 'With a certificate, the HTTP listener on port 80 serves nothing: its only action is a permanent redirect to HTTPS on 443 (which ALBHttpToHttpsRedirection checks), and a plain-HTTP listener cannot hold a certificate. The HTTPS listener serves the ACM certificates.',
  },
  ECS_AGENT_UNSCOPED_ACTIONS: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'Ec2Capacity instance role',
    reason: 'ecs:DiscoverPollEndpoint supports no resource-level permissions; ecs:Poll and ecs:StartTelemetrySession act on container instances that do not exist yet and are limited to this cluster by an ecs:cluster condition. With the agent settings that need them: ecs:UpdateContainerInstancesState (Spot draining) is limited to this cluster\'s container instances the same way, ecs:TagResource (instance tags) to tagging as part of RegisterContainerInstance by an ecs:CreateAction condition, and ec2:DescribeTags (tags propagated from the instance) supports no resource-level permissions.',
  },
  ECR_AUTH_TOKEN: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'TaskRoles execution role',
    reason: 'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls themselves are limited to the task\'s repository.',
  },
  CHECKED_PLAIN_ENVIRONMENT: {
    ruleIds: ['AwsSolutions-ECS2'],
    construct: 'WebService task definition',
    reason: 'Only non-secret settings are plain environment variables: names that look like secrets, and values that look like AWS access keys, private keys or URLs with a password, are refused at synth and must come from SSM Parameter Store.',
  },
  MIXED_INSTANCES_EBS_CHECK: {
    ruleIds: ['AwsSolutions-EC26', 'NIST.800.53.R5-EC2IMDSv2Enabled', 'HIPAA.Security-EC2IMDSv2Enabled'],
    construct: 'Ec2Capacity Auto Scaling group with a mixed-instances policy',
    reason: 'cdk-nag reads the launch template of an Auto Scaling group only from its LaunchTemplate property, not from a MixedInstancesPolicy, so it sees neither the volumes nor the metadata options; the launch template encrypts every volume and requires IMDSv2 (checked by AwsSolutions-EC26 on the launch template and by this library\'s tests).',
  },
  FUNCTION_VPC_NETWORK_INTERFACES: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'AmiUpdateAlerts function role (with a VPC)',
    reason: 'A Lambda function in a VPC needs the network interface actions of AWSLambdaVPCAccessExecutionRole on all resources: Lambda creates and deletes the interfaces in subnets it picks at run time, and the Describe action supports no resource-level permissions.',
  },
  REFRESH_GROUP_ID_WILDCARD: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'AmiUpdateAlerts function role (with refresh)',
    reason: 'An Auto Scaling group ARN holds a generated ID that CloudFormation does not return, so autoscaling:StartInstanceRefresh is limited to each refreshed group by name with a wildcard for that ID (`autoScalingGroup:*:autoScalingGroupName/NAME`).',
  },
  QUEUE_WORKER_ENVIRONMENT: {
    ruleIds: ['AwsSolutions-ECS2'],
    construct: 'QueueWorker task definition',
    reason: 'The worker\'s container gets its queue\'s URL (QUEUE_URL) and its job timeout (JOB_TIMEOUT_SECONDS) as plain environment variables: neither is a secret, and the queue admits only callers with IAM permissions over TLS; other variables are refused at synth when their names look like secrets, as for WebService.',
  },
  SCHEDULED_TASK_FAMILY_REVISIONS: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'ScheduledTask trigger role',
    reason: 'ecs:RunTask is allowed on the revisions of the task\'s own task definition family (`task-definition/FAMILY:*`) in its own cluster only (ecs:cluster condition): the schedule or rule and the role\'s policy are updated by separate CloudFormation resources, so a policy pinned to one revision would refuse the runs in between.',
  },
  SCHEDULED_TASK_TAGGING: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'ScheduledTask trigger role',
    reason: 'ecs:TagResource tags the tasks that RunTask starts (ECS managed and propagated tags); their ARNs (`task/CLUSTER/*`) hold task IDs that exist only at run time, and an ecs:CreateAction condition allows tagging only as part of RunTask.',
  },
  SCHEDULED_TASK_DEAD_LETTER_QUEUE: {
    ruleIds: ['AwsSolutions-SQS3'],
    construct: 'ScheduledTask dead-letter queue',
    reason: 'The queue is itself the dead-letter queue of the schedule or rule (cdk-nag recognises only queues and Lambda functions as users of a dead-letter queue); a dead-letter queue of its own would receive nothing.',
  },
  EXECUTE_COMMAND_UNSCOPED_ACTIONS: {
    ruleIds: ['AwsSolutions-IAM5'],
    construct: 'WebService ECS Exec policy of the task role (with enableExecuteCommand)',
    reason: 'ECS Exec: the SSM agent\'s Session Manager channel actions (ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel) support no resource-level permissions, and logs:DescribeLogGroups, with which the agent checks that the audit log group is encrypted, is granted on * as the ECS Exec documentation prescribes; writing is limited to the cluster\'s exec audit log group and decrypting to its key. Made on the exec policy only, so grants added to the task role are still checked.',
  },
  FUNCTION_UNRESERVED_CONCURRENCY: {
    ruleIds: ['NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency'],
    construct: 'AmiUpdateAlerts function',
    reason: 'A reservation is taken from the account\'s concurrency quota, which is 10 in a new account, and Lambda refuses any reservation that leaves fewer than 10 unreserved: a stack with a reserved function cannot be created there. The function runs once per AMI announcement, asynchronously, with a dead-letter queue for what still fails after retries.',
  },
  INLINE_GRANT_POLICY: {
    ruleIds: compliancePacks('IAMNoInlinePolicy'),
    construct: 'IAM roles the library creates (their DefaultPolicy): function roles, the VPC flow log role, and in an EcsPlatform the capacities\' instance roles and the workloads\' task, execution and trigger roles; the ECS Exec policy of a task role',
    reason: 'aws-cdk-lib writes the grants to a role into that role\'s own inline policy (DefaultPolicy), created, changed and rolled back with the role by CloudFormation and attached to nothing else; a customer managed policy would allow only 6,144 characters instead of the 10,240 of a role\'s inline policies and add a second lifecycle. Made on each role, so roles you create are still checked.',
  },
  PUBLIC_SUBNET_INTERNET_ROUTE: {
    ruleIds: compliancePacks('VPCNoUnrestrictedRouteToIGW'),
    construct: 'EcsPlatform VPC public subnets\' default route',
    reason: 'A public subnet is a subnet whose default route (0.0.0.0/0) is the internet gateway: the platform\'s public subnets hold the internet-facing load balancer and the NAT gateways that give the private subnets egress. No instance or task runs in them, and they assign no public IP addresses.',
  },
} as const;

/** The name of one acknowledgement in `NAG_ACKNOWLEDGEMENTS`. */
export type NagAcknowledgementName = keyof typeof NAG_ACKNOWLEDGEMENTS;

/**
 * Acknowledges one known cdk-nag finding on `scope` and below, with its registered reason, under the rule id of
 * each pack that reports it (`findingSuffix`, such as `[Resource::*]`, appended to each).
 */
export function acknowledgeNagRule(scope: IConstruct, name: NagAcknowledgementName, findingSuffix = ''): void {
  const { ruleIds, reason } = NAG_ACKNOWLEDGEMENTS[name];
  for (const ruleId of ruleIds) acknowledge(scope, `${ruleId}${findingSuffix}`, reason);
}

/**
 * Records what `Validations.of(scope).acknowledge({ id, reason })` records for a rule id without a namespace: the
 * `aws:cdk:acknowledged-rules` metadata under the id in the `Annotation::` namespace, and the acknowledgement of
 * warnings with either id. Unlike `Validations`, it captures no stack trace for the metadata, which was most of the
 * cost (7 acknowledgements per service). Kept equal to `Validations` by a test.
 */
function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  const qualifiedId = `${ANNOTATION_NAMESPACE}::${ruleId}`;
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [qualifiedId]: reason });
  Annotations.of(scope).acknowledgeWarning(qualifiedId);
  Annotations.of(scope).acknowledgeWarning(ruleId);
}

/** The namespace that `Validations` gives a rule id without one. */
const ANNOTATION_NAMESPACE = 'Annotation';

/**
 * The finding suffix cdk-nag writes for a wildcard-bearing resource in a policy, `[Resource::<value>]`, with the
 * resolved value written its way: `Fn::Join` concatenated, `{ Ref: X }` as `<X>`, `{ 'Fn::GetAtt': [X, Y] }` as
 * `<X.Y>`, `{ 'Fn::ImportValue': X }` as `X`. Computed when the acknowledgement is made, so a logical id overridden later brings the finding back.
 */
export function resourceFindingSuffix(scope: IConstruct, resource: string): string {
  return `[Resource::${nagReference(Stack.of(scope).resolve(resource))}]`;
}

function nagReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as { 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [unknown, unknown]; 'Ref'?: unknown; 'Fn::ImportValue'?: unknown };
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return items.map(nagReference).join(delimiter);
  }
  if (node['Fn::GetAtt']) return `<${nagReference(node['Fn::GetAtt'][0])}.${nagReference(node['Fn::GetAtt'][1])}>`;
  if (node.Ref) return `<${nagReference(node.Ref)}>`;
  if (node['Fn::ImportValue']) return nagReference(node['Fn::ImportValue']);
  return JSON.stringify(value);
}
