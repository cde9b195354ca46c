import { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Ec2CapacityOptions, EcsCluster, EcsClusterProps, PublicLoadBalancer, RouteMatch, WebService, WebServiceOptions } from '../../src';
import { testStack, testVpc } from '../util';

export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

/** A stack with a VPC, a cluster and a load balancer: what every `WebService` needs. */
export class WebServiceFixture {
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: EcsCluster;
  public readonly loadBalancer: PublicLoadBalancer;

  constructor(capacity?: Ec2CapacityOptions, clusterProps: Partial<EcsClusterProps> = {}) {
    this.stack = testStack();
    this.vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc: this.vpc, capacity, ...clusterProps });
    this.loadBalancer = new PublicLoadBalancer(this.stack, 'Lb', { vpc: this.vpc });
  }

  /** Adds a service with the given options on top of a public image and the route `/<id in lower case>/*`. */
  public addService(options: Partial<WebServiceOptions> = {}, id = 'Api'): WebService {
    return new WebService(this.stack, id, {
      cluster: this.cluster,
      loadBalancer: this.loadBalancer,
      image: IMAGE,
      route: RouteMatch.pathPatterns(`/${id.toLowerCase()}/*`),
      ...options,
    });
  }

  public template(): Template {
    return Template.fromStack(this.stack);
  }

  /** Every warning of the stack as `<path>: <message>`, without the acknowledgement id. */
  public warnings(): string[] {
    return Annotations.fromStack(this.stack).findWarning('*', Match.anyValue())
      .map((warning) => `${warning.id}: ${String(warning.entry.data).replace(/ \[ack: \S+\]$/s, '')}`)
      .sort();
  }
}

export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

export function getAttArn(construct: IConstruct): { 'Fn::GetAtt': string[] } {
  return { 'Fn::GetAtt': [logicalId(construct), 'Arn'] };
}

export function groupId(construct: IConstruct): { 'Fn::GetAtt': string[] } {
  return { 'Fn::GetAtt': [logicalId(construct), 'GroupId'] };
}

/** Every statement of every identity policy attached to `role`. */
export function statementsOf(template: Template, role: iam.Role): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(role) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The properties of the only resource of `type`. */
export function onlyProperties(template: Template, type: string): any {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0].Properties;
}

/** An anchored regex for exactly this validation message. */
export function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
