import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from '../../shared/validate';

/**
 * The region of an ACM certificate ARN, when the ARN names it literally (`arn:<partition>:acm:<region>:…`): its
 * partition may be a token such as `Aws.PARTITION`, its region may not.
 */
export function certificateArnRegion(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'acm') return undefined;
  const region = parts[3];
  return region === '' || Token.isUnresolved(region) ? undefined : region;
}

/**
 * Asserts that a certificate for the load balancer is in the stack's region, when both regions are known: an
 * Application Load Balancer can only use an ACM certificate of its own region.
 */
export function assertCertificateRegion(scope: IConstruct, prop: string, arn: string): void {
  const certificateRegion = certificateArnRegion(arn);
  const stackRegion = Stack.of(scope).region;
  if (certificateRegion === undefined || Token.isUnresolved(stackRegion) || certificateRegion === stackRegion) return;
  validationError(scope, prop, `an ACM certificate in the stack's region ${stackRegion} (a load balancer can only use a ` +
    `certificate of its own region: request or import one in ${stackRegion})`, arn);
}
