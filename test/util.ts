import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** A stack with a fixed environment, as every construct test uses. */
export function testStack(id = 'TestStack'): Stack {
  const app = new App();
  return new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** A VPC fixture with public and private-with-egress subnets in two AZs. */
export function testVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false });
}

/** One finding of a nag pack: the rule (with its finding id) and the construct path it was found on. */
export interface Finding {
  readonly rule: string;
  readonly path: string;
}

/**
 * AwsSolutions findings (errors and warnings) on `scope`'s subtree only, minus acknowledged ones, so that
 * fixtures such as the test VPC need no acknowledgements.
 */
export function nagFindings(scope: IConstruct): Finding[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({ rule: violation.ruleName, path: resource.constructPath ?? '' })),
  );
}

/** How many CloudFormation resources `scope` and its children declare: the same before and after a refused input. */
export function cfnResourceCount(scope: IConstruct): number {
  return scope.node.findAll().filter((construct) => CfnResource.isCfnResource(construct)).length;
}
