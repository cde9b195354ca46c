import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding this library acknowledges, with the rule and the reason. The only place in `src/`
 * that names a cdk-nag rule id; the README's acknowledgement table is kept equal to it by a test.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  PUBLIC_ALB_INGRESS: {
    ruleId: 'AwsSolutions-EC23',
    construct: 'PublicLoadBalancer security group (internet-facing and open to everyone)',
    reason: 'An internet-facing load balancer open to everyone (the default, or `ingressCidrs` with 0.0.0.0/0 or ::/0) must accept its listener ports (80, 443) from any address; nothing else is open. Not made when ingress is restricted to given ranges or prefix lists, or the load balancer is internal.',
  },
  ACCESS_LOGS_BUCKET_NO_SERVER_ACCESS_LOGS: {
    ruleId: 'AwsSolutions-S1',
    construct: 'PublicLoadBalancer access logs bucket',
    reason: 'The bucket holds the ALB access logs itself; logging access to it into another bucket would repeat without end.',
  },
  ECS_AGENT_UNSCOPED_ACTIONS: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'Ec2Capacity instance role',
    reason: 'ecs:DiscoverPollEndpoint supports no resource-level permissions; ecs:Poll and ecs:StartTelemetrySession act on container instances that do not exist yet and are limited to this cluster by an ecs:cluster condition.',
  },
  ECR_AUTH_TOKEN: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'TaskRoles execution role',
    reason: 'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls themselves are limited to the task\'s repository.',
  },
  CHECKED_PLAIN_ENVIRONMENT: {
    ruleId: 'AwsSolutions-ECS2',
    construct: 'WebService task definition',
    reason: 'Only non-secret settings are plain environment variables: names that look like secrets, and values that look like AWS access keys, private keys or URLs with a password, are refused at synth and must come from SSM Parameter Store.',
  },
  MIXED_INSTANCES_EBS_CHECK: {
    ruleId: 'AwsSolutions-EC26',
    construct: 'Ec2Capacity Auto Scaling group with a mixed-instances policy',
    reason: 'cdk-nag reads the launch template of an Auto Scaling group only from its LaunchTemplate property, not from a MixedInstancesPolicy, so it cannot see the volumes; the launch template encrypts every volume (checked by the same rule on the launch template and by this library\'s tests).',
  },
  SCALE_IN_PROTECTION_RELEASE_GROUP_ACCESS: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'Ec2Capacity scale-in protection release function role',
    reason: 'autoscaling:DescribeAutoScalingGroups supports no resource-level permissions; an Auto Scaling group ARN holds a generated ID that CloudFormation does not return, so UpdateAutoScalingGroup and SetInstanceProtection are limited to this one group by name with a wildcard for that ID.',
  },
  FUNCTION_VPC_NETWORK_INTERFACES: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'AmiUpdateAlerts function role (with a VPC)',
    reason: 'A Lambda function in a VPC needs the network interface actions of AWSLambdaVPCAccessExecutionRole on all resources: Lambda creates and deletes the interfaces in subnets it picks at run time, and the Describe action supports no resource-level permissions.',
  },
  REFRESH_GROUP_ID_WILDCARD: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'AmiUpdateAlerts function role (with refresh)',
    reason: 'An Auto Scaling group ARN holds a generated ID that CloudFormation does not return, so autoscaling:StartInstanceRefresh is limited to each refreshed group by name with a wildcard for that ID (`autoScalingGroup:*:autoScalingGroupName/NAME`).',
  },
  QUEUE_WORKER_ENVIRONMENT: {
    ruleId: 'AwsSolutions-ECS2',
    construct: 'QueueWorker task definition',
    reason: 'The worker\'s container gets its queue\'s URL (QUEUE_URL) and its job timeout (JOB_TIMEOUT_SECONDS) as plain environment variables: neither is a secret, and the queue admits only callers with IAM permissions over TLS; other variables are refused at synth when their names look like secrets, as for WebService.',
  },
  SCHEDULED_TASK_FAMILY_REVISIONS: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'ScheduledTask trigger role',
    reason: 'ecs:RunTask is allowed on the revisions of the task\'s own task definition family (`task-definition/FAMILY:*`) in its own cluster only (ecs:cluster condition): the schedule or rule and the role\'s policy are updated by separate CloudFormation resources, so a policy pinned to one revision would refuse the runs in between.',
  },
  SCHEDULED_TASK_TAGGING: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'ScheduledTask trigger role',
    reason: 'ecs:TagResource tags the tasks that RunTask starts (ECS managed and propagated tags); their ARNs (`task/CLUSTER/*`) hold task IDs that exist only at run time, and an ecs:CreateAction condition allows tagging only as part of RunTask.',
  },
  SCHEDULED_TASK_DEAD_LETTER_QUEUE: {
    ruleId: 'AwsSolutions-SQS3',
    construct: 'ScheduledTask dead-letter queue',
    reason: 'The queue is itself the dead-letter queue of the schedule or rule (cdk-nag recognises only queues and Lambda functions as users of a dead-letter queue); a dead-letter queue of its own would receive nothing.',
  },
  EXECUTE_COMMAND_UNSCOPED_ACTIONS: {
    ruleId: 'AwsSolutions-IAM5',
    construct: 'WebService ECS Exec policy of the task role (with enableExecuteCommand)',
    reason: 'ECS Exec: the SSM agent\'s Session Manager channel actions (ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel) support no resource-level permissions, and logs:DescribeLogGroups, with which the agent checks that the audit log group is encrypted, is granted on * as the ECS Exec documentation prescribes; writing is limited to the cluster\'s exec audit log group and decrypting to its key. Made on the exec policy only, so grants added to the task role are still checked.',
  },
} as const;

/** The name of one acknowledgement in `NAG_ACKNOWLEDGEMENTS`. */
export type NagAcknowledgementName = keyof typeof NAG_ACKNOWLEDGEMENTS;

/** Acknowledges one known cdk-nag finding on `scope` and below, with its registered reason. */
export function acknowledgeNagRule(scope: IConstruct, name: NagAcknowledgementName, findingSuffix = ''): void {
  const { ruleId, reason } = NAG_ACKNOWLEDGEMENTS[name];
  Validations.of(scope).acknowledge({ id: `${ruleId}${findingSuffix}`, reason });
}

/**
 * The finding suffix cdk-nag writes for a wildcard-bearing resource in a policy, `[Resource::<value>]`, with the
 * resolved value written its way: `Fn::Join` concatenated, `{ Ref: X }` as `<X>`, `{ 'Fn::GetAtt': [X, Y] }` as
 * `<X.Y>`. Computed when the acknowledgement is made, so a logical id overridden later brings the finding back.
 */
export function resourceFindingSuffix(scope: IConstruct, resource: string): string {
  return `[Resource::${nagReference(Stack.of(scope).resolve(resource))}]`;
}

function nagReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as { 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [unknown, unknown]; 'Ref'?: unknown };
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return items.map(nagReference).join(delimiter);
  }
  if (node['Fn::GetAtt']) return `<${nagReference(node['Fn::GetAtt'][0])}.${nagReference(node['Fn::GetAtt'][1])}>`;
  if (node.Ref) return `<${nagReference(node.Ref)}>`;
  return JSON.stringify(value);
}
