import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding this library acknowledges, with the rule and the reason. The only place in `src/`
 * that names a cdk-nag rule id; the README's acknowledgement table is kept equal to it by a test.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  PUBLIC_ALB_INGRESS: {
    ruleId: 'AwsSolutions-EC23',
    construct: 'PublicLoadBalancer security group',
    reason: 'An internet-facing load balancer must accept its listener ports (80, 443) from any IPv4 address; nothing else is open.',
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
    reason: 'Only non-secret settings are plain environment variables: names that look like secrets are refused at synth and must come from SSM Parameter Store.',
  },
} as const;

/** The name of one acknowledgement in `NAG_ACKNOWLEDGEMENTS`. */
export type NagAcknowledgementName = keyof typeof NAG_ACKNOWLEDGEMENTS;

/** Acknowledges one known cdk-nag finding on `scope` and below, with its registered reason. */
export function acknowledgeNagRule(scope: IConstruct, name: NagAcknowledgementName, findingSuffix = ''): void {
  const { ruleId, reason } = NAG_ACKNOWLEDGEMENTS[name];
  Validations.of(scope).acknowledge({ id: `${ruleId}${findingSuffix}`, reason });
}
