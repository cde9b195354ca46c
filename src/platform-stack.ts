import { CfnOutput, ISynthesisSession, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { Ec2Capacity, Ec2CapacityOptions } from './cluster/ec2-capacity';
import { QueueWorkerAlarmOptions, ScheduledTaskAlarmOptions, WebServiceAlarmOptions } from './monitoring/alarm-options';
import { EcsPlatform, EcsPlatformProps } from './platform';
import { assertTemplateSize } from './private/stack-limits';
import { ImageRepository, ImageRepositoryProps } from './security/image-repository';
import { assertCertificateRegion } from './service/private/certificate-region';
import { QueueWorker, QueueWorkerOptions } from './service/queue-worker';
import { ScheduledTask, ScheduledTaskOptions } from './service/scheduled-task';
import { WebService, WebServiceOptions } from './service/web-service';
import { assertPattern, validationError } from './shared/validate';

/** Properties for an `EcsPlatformStack`. */
export interface EcsPlatformStackProps extends StackProps, EcsPlatformProps {
  /**
   * The ARN of an ACM certificate in the stack's region, for HTTPS on the shared load balancer: the stack
   * imports it as `loadBalancer.certificate`. Give this or `loadBalancer.certificate`, not both.
   *
   * @default - `loadBalancer.certificate`, if any
   */
  readonly certificateArn?: string;
}

/**
 * The deployable ECS platform: an `EcsPlatform` in a stack of its own, with the load balancer's DNS name and
 * the cluster's name as stack outputs.
 *
 * @example
 * import { App } from 'aws-cdk-lib';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { EcsPlatformStack, RouteMatch } from 'cdk-ecs-platform';
 *
 * const app = new App();
 * const stack = new EcsPlatformStack(app, 'EcsPlatform');
 * stack.addWebService('Web', {
 *   image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
 *   route: RouteMatch.pathPatterns('/*'),
 *   containerPort: 80,
 * });
 */
export class EcsPlatformStack extends Stack {
  /** The platform. */
  public readonly platform: EcsPlatform;

  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, props);
    if (props.certificateArn !== undefined && props.loadBalancer?.certificate) {
      validationError(this, 'certificateArn', 'left out when `loadBalancer.certificate` is given', props.certificateArn);
    }
    assertPattern(this, 'certificateArn', props.certificateArn, /^arn:[\w-]+:acm:[\w-]+:\d{12}:certificate\/[\w-]+$/,
      'the ARN of an ACM certificate (arn:<partition>:acm:<region>:<account>:certificate/<id>)');
    if (props.certificateArn !== undefined) assertCertificateRegion(this, 'certificateArn', props.certificateArn);
    const certificate = props.certificateArn !== undefined
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : props.loadBalancer?.certificate;
    this.platform = new EcsPlatform(this, 'Platform', { ...props, loadBalancer: { ...props.loadBalancer, certificate } });
    new CfnOutput(this, 'LoadBalancerDnsName', {
      description: 'DNS name of the shared load balancer: point your domain at it',
      value: this.platform.loadBalancer.loadBalancerDnsName,
    });
    new CfnOutput(this, 'ClusterName', {
      description: 'Name of the ECS cluster',
      value: this.platform.cluster.clusterName,
    });
  }

  /**
   * Writes the template, then fails synthesis when it is larger than CloudFormation accepts (1,000,000 bytes).
   *
   * @internal
   */
  public _synthesizeTemplate(session: ISynthesisSession, lookupRoleArn?: string, lookupRoleExternalId?: string,
    lookupRoleAdditionalOptions?: { [key: string]: any }): void {
    super._synthesizeTemplate(session, lookupRoleArn, lookupRoleExternalId, lookupRoleAdditionalOptions);
    assertTemplateSize(this, session);
  }

  /** Adds a capacity to the platform's cluster, as `EcsPlatform.addCapacity()` does. */
  public addCapacity(id: string, options: Ec2CapacityOptions = {}): Ec2Capacity {
    return this.platform.addCapacity(id, options);
  }

  /** Adds a web service to the platform, as `EcsPlatform.addWebService()` does. */
  public addWebService(id: string, options: WebServiceOptions, alarmOptions?: WebServiceAlarmOptions): WebService {
    return this.platform.addWebService(id, options, alarmOptions);
  }

  /** Adds a queue worker to the platform, as `EcsPlatform.addQueueWorker()` does. */
  public addQueueWorker(id: string, options: QueueWorkerOptions, alarmOptions?: QueueWorkerAlarmOptions): QueueWorker {
    return this.platform.addQueueWorker(id, options, alarmOptions);
  }

  /** Adds a scheduled task to the platform, as `EcsPlatform.addScheduledTask()` does. */
  public addScheduledTask(id: string, options: ScheduledTaskOptions, alarmOptions?: ScheduledTaskAlarmOptions): ScheduledTask {
    return this.platform.addScheduledTask(id, options, alarmOptions);
  }

  /** Adds an image repository to the platform, as `EcsPlatform.addImageRepository()` does. */
  public addImageRepository(id: string, props: ImageRepositoryProps = {}): ImageRepository {
    return this.platform.addImageRepository(id, props);
  }
}
