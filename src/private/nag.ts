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
} as const;

/** The name of one acknowledgement in `NAG_ACKNOWLEDGEMENTS`. */
export type NagAcknowledgementName = keyof typeof NAG_ACKNOWLEDGEMENTS;

/** Acknowledges one known cdk-nag finding on `scope` and below, with its registered reason. */
export function acknowledgeNagRule(scope: IConstruct, name: NagAcknowledgementName, findingSuffix = ''): void {
  const { ruleId, reason } = NAG_ACKNOWLEDGEMENTS[name];
  Validations.of(scope).acknowledge({ id: `${ruleId}${findingSuffix}`, reason });
}
