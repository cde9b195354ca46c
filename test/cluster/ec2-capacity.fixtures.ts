import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { testStack, testVpc } from '../util';

/** Shared by the `Ec2Capacity` test files: a stack with a VPC and an `ecs.Cluster` for the capacity to join. */
export interface CapacityFixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
}

export function capacityFixture(): CapacityFixture {
  const stack = testStack();
  const vpc = testVpc(stack);
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return { stack, vpc, cluster };
}

/** A token as it appears in `userDataScript()`: the JSON of its resolved value (`{"Ref":"ClusterEB0386A7"}`). */
export function tokenText(stack: Stack, token: string): string {
  return JSON.stringify(stack.resolve(token));
}

/** The launch template's user data, with every token part written as its JSON (`{"Ref":"..."}`). */
export function userDataScript(template: Template): string {
  const launchTemplates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  expect(launchTemplates).toHaveLength(1);
  const userData = launchTemplates[0].Properties.LaunchTemplateData.UserData;
  const joined = userData['Fn::Base64'];
  if (typeof joined === 'string') return joined;
  const [separator, parts] = joined['Fn::Join'];
  expect(separator).toEqual('');
  return (parts as unknown[]).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
}

/** The logical id of the one resource of `type` in the template. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The `ecs.config` lines of the heredoc in Amazon Linux user data, without the `cat` and `EOF` lines. */
export function ecsConfigLines(script: string): string[] {
  const heredoc = /cat <<'EOF' >> \/etc\/ecs\/ecs\.config\n([\s\S]*?)\nEOF/.exec(script);
  expect(heredoc).not.toBeNull();
  return heredoc![1].split('\n');
}
