import { ISynthesisSession, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { AmiFamily } from './cluster/ami-family';
import type { AmiUpdateAlerts } from './cluster/ami-update-alerts';
import { Ec2Capacity, Ec2CapacityOptions } from './cluster/ec2-capacity';
import { CapacityPlanning, EcsCluster } from './cluster/ecs-cluster';
import { OpsTopic } from './cluster/ops-topic';
import { amiFamilyFacts } from './cluster/private/ami-families';
import { instanceLogShipping } from './cluster/private/instance-logs';
import { QueueWorkerAlarmOptions, ScheduledTaskAlarmOptions, ServiceAlarmOptions, WebServiceAlarmOptions } from './monitoring/alarm-options';
import type { PlatformAlarms } from './monitoring/platform-alarms';
import type { PlatformDashboard } from './monitoring/platform-dashboard';
import { assertTemplateSize, checkStackQuotas } from './private/stack-limits';
import { ImageRepository, ImageRepositoryProps } from './security/image-repository';
import { PublicLoadBalancer, PublicLoadBalancerOptions } from './service/public-load-balancer';
import type { QueueWorker, QueueWorkerOptions } from './service/queue-worker';
import type { ScheduledTask, ScheduledTaskOptions } from './service/scheduled-task';
import { WebService, WebServiceOptions } from './service/web-service';
import { lazyModule } from './shared/lazy-module';
import { allowCloudWatchLogsToUseKey } from './shared/log-encryption';
import { checkedLogRetention } from './shared/log-retention';
import { acknowledgeNagRule } from './shared/nag';
import { KEEP_STATEFUL } from './shared/removal';
import { assertInRange, assertPattern, validationError } from './shared/validate';

/* eslint-disable @typescript-eslint/no-require-imports -- the optional parts load on first use (lazyModule) */
/** The optional parts, loaded on first use: a platform without them never loads them, nor the aws-cdk-lib modules they use. */
const optionalParts = {
  amiUpdateAlerts: lazyModule(() => require('./cluster/ami-update-alerts') as typeof import('./cluster/ami-update-alerts')),
  platformAlarms: lazyModule(() => require('./monitoring/platform-alarms') as typeof import('./monitoring/platform-alarms')),
  platformDashboard: lazyModule(() => require('./monitoring/platform-dashboard') as typeof import('./monitoring/platform-dashboard')),
  platformWebAcl: lazyModule(() => require('./private/platform-web-acl') as typeof import('./private/platform-web-acl')),
  queueWorker: lazyModule(() => require('./service/queue-worker') as typeof import('./service/queue-worker')),
  scheduledTask: lazyModule(() => require('./service/scheduled-task') as typeof import('./service/scheduled-task')),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The images stack is `<platform stack name>-Images`. */
const IMAGES_STACK_SUFFIX = 'Images';

/** aws-cdk-lib's context key for how a stack refers to another's values (`cxapi.DEFAULT_CROSS_STACK_REFERENCES`). */
const REFERENCE_STRENGTH_CONTEXT = '@aws-cdk/core:defaultCrossStackReferences';

/** Properties for an `EcsPlatform`. */
export interface EcsPlatformProps {
  /**
   * The VPC to run in. It needs public subnets (for the load balancer) and private subnets with egress (for
   * the container instances and tasks) in at least two Availability Zones.
   *
   * @default - a new VPC: `maxAzs` Availability Zones, public /24 subnets (which assign no public IP addresses)
   *   and private /20 subnets, a NAT gateway per zone, and flow logs of all traffic to CloudWatch Logs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Availability Zones of the new VPC (2 to 6). Ignored when `vpc` is given.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * NAT gateways of the new VPC (1 to `maxAzs`): one per zone keeps a zone's outage from cutting off the
   * others' egress. Ignored when `vpc` is given.
   *
   * @default - one per Availability Zone
   */
  readonly natGateways?: number;

  /**
   * How long the new VPC's flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * The KMS key that encrypts the platform's log groups: VPC flow logs, web ACL logs, the AMI update alerts
   * function's logs and the container logs of every workload added to the platform (unless the workload names its
   * own key). A key of this app gets the key policy statement that lets CloudWatch Logs of this account and region
   * use it; the policy of an imported key must allow that already.
   *
   * @default - a new key (`logsKey`), rotated yearly and retained when it leaves the stack
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * CloudWatch Container Insights for the cluster.
   *
   * @default ecs.ContainerInsights.ENABLED
   */
  readonly containerInsights?: ecs.ContainerInsights;

  /**
   * The cluster's default EC2 capacity.
   *
   * @default - 2 to 10 m6i.large instances on Amazon Linux 2023 (see `Ec2CapacityOptions`)
   */
  readonly capacity?: Ec2CapacityOptions;

  /**
   * Whether the account has ECS ENI trunking on, as read by the capacity check (see `EcsClusterProps.awsvpcTrunking`).
   *
   * @default false
   */
  readonly awsvpcTrunking?: boolean;

  /**
   * The name of an AWS Cloud Map HTTP namespace for ECS Service Connect, created with the cluster (see
   * `EcsClusterProps.serviceConnectNamespace`). Web services with `serviceConnect` publish their port in it and reach
   * each other by `<discoveryName>.<namespace>`.
   *
   * @default - no namespace: the platform's services cannot use Service Connect
   */
  readonly serviceConnectNamespace?: string;

  /**
   * What the synth-time capacity check does when services cannot all be placed.
   *
   * @default CapacityPlanning.WARN
   */
  readonly capacityPlanning?: CapacityPlanning;

  /**
   * The shared load balancer: certificates, TLS policy, internet-facing or internal, allowed sources, WAF web ACL,
   * route quota, access logs.
   *
   * @default - HTTP only, with access logs (see `PublicLoadBalancerOptions`)
   */
  readonly loadBalancer?: PublicLoadBalancerOptions;

  /**
   * Protect the load balancer with a regional AWS WAF web ACL of the platform's own (`webAcl`): requests are allowed
   * unless the AWS managed rule groups block them (Amazon IP reputation list, known bad inputs, and the core rule
   * set, whose 8 KB body size rule only counts), with CloudWatch metrics, sampled requests, and logs of every request
   * in a log group named `aws-waf-logs-...` encrypted with the logs key. Not with `loadBalancer.webAclArn`, which
   * attaches a web ACL of your own.
   *
   * @default - true when the load balancer is internet-facing and `loadBalancer.webAclArn` is not given
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
   */
  readonly webAcl?: boolean;

  /**
   * How long the web ACL's request logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly webAclLogRetention?: logs.RetentionDays;

  /**
   * Relay AWS's announcements of new ECS-optimized AMIs to the operations topic (`AmiUpdateAlerts`, its function
   * in the platform's VPC). For an instance refresh on each announcement, build your own `AmiUpdateAlerts`.
   *
   * @default true
   */
  readonly amiUpdateAlerts?: boolean;

  /**
   * Alarms (`PlatformAlarms`) on the cluster, its capacities, the load balancer and every workload added to the
   * platform, sent to the operations topic, and a dashboard (`PlatformDashboard`) built from the same metrics: rows
   * for the cluster, each capacity and the load balancer, and the workloads by search expressions (every service,
   * target group and, once there is a queue worker, queue of the platform, a line each), so that the dashboard
   * keeps its size and refers to no workload however many there are.
   *
   * @default true
   */
  readonly monitoring?: boolean;

  /**
   * Alarm settings for every service, queue worker and their tasks (`PlatformAlarms` `serviceDefaults`).
   *
   * @default - each alarm's own defaults
   */
  readonly serviceAlarmDefaults?: ServiceAlarmOptions;

  /**
   * Email addresses subscribed to the platform's operations topic (Auto Scaling notifications, AMI update alerts, alarms).
   *
   * @default - none: subscribe to `opsTopic` yourself
   */
  readonly opsEmailAddresses?: string[];

  /**
   * Put each workload added with `addWebService()`, `addQueueWorker()` or `addScheduledTask()` in a stack of its
   * own: a sibling of the platform's stack named `<platform stack name>-<workload id>`, with the workload (path
   * `<stack>/<id>`), its listener rule and its alarms.
   *
   * One stack holds at most 500 resources, and a web service with its alarms is about 19, so a platform of more
   * than about 20 workloads needs this. It also lets one workload be deployed (`cdk deploy <stack>`) without
   * touching the others. Workload stacks refer to the platform's stack (and to the images stack for their images)
   * only, through a fixed set of its exports (the cluster, the listeners, the load balancer's security group, the
   * subnets, the logs key and the topic) that the platform makes whether or not a workload imports them, so adding
   * or removing a workload never changes another's, nor the platform's stack. Decide early: turning this on later
   * moves every workload to a new stack, which replaces it.
   *
   * @default false
   */
  readonly stackPerWorkload?: boolean;
}

/**
 * A whole ECS platform on EC2 in one construct: VPC, cluster with an Auto Scaling group capacity provider, and
 * a shared load balancer. Add services with `addWebService()`, queue workers with `addQueueWorker()`, scheduled
 * tasks with `addScheduledTask()` and their image repositories with `addImageRepository()`.
 *
 * Build order: logs key → VPC → `OpsTopic` → `EcsCluster` (with its default `Ec2Capacity`) → web ACL →
 * `PublicLoadBalancer` → `AmiUpdateAlerts` → `PlatformAlarms` and `PlatformDashboard`; each workload added is monitored as it is added. `EcsPlatformStack`
 * is the same platform as a stack of its own, with outputs.
 *
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as acm from 'aws-cdk-lib/aws-certificatemanager';
 * import { EcsPlatform, RouteMatch } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const certificate: acm.ICertificate;
 * const platform = new EcsPlatform(stack, 'Platform', { loadBalancer: { certificate } });
 * const images = platform.addImageRepository('ApiImages');
 * platform.addWebService('Api', {
 *   image: images.image('1.4.2'),
 *   route: RouteMatch.pathPatterns('/api/*'),
 * });
 */
export class EcsPlatform extends Construct {
  /** The VPC of the platform. */
  public readonly vpc: ec2.IVpc;
  /** The cluster and its capacity. */
  public readonly cluster: EcsCluster;
  /** The shared load balancer. */
  public readonly loadBalancer: PublicLoadBalancer;
  /** The KMS key of the platform's log groups: `logEncryptionKey`, or the key the platform created. */
  public readonly logsKey: kms.IKey;
  /** The web ACL of the load balancer, when the platform created one (see `webAcl`). */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The log group of the web ACL's request logs, when the platform created the web ACL. */
  public readonly webAclLogGroup?: logs.LogGroup;
  /** The operations topic: Auto Scaling notifications, AMI update alerts and alarms. */
  public readonly opsTopic: OpsTopic;
  /** The relay of AWS's new-AMI announcements to the operations topic, unless `amiUpdateAlerts` is false. */
  public readonly amiUpdateAlerts?: AmiUpdateAlerts;
  /** The platform's alarms, unless `monitoring` is false. */
  public readonly alarms?: PlatformAlarms;
  /** The platform's dashboard, unless `monitoring` is false. */
  public readonly dashboard?: PlatformDashboard;

  private readonly _webServices: WebService[] = [];
  private readonly _queueWorkers: QueueWorker[] = [];
  private readonly _scheduledTasks: ScheduledTask[] = [];
  private readonly _imageRepositories: ImageRepository[] = [];
  private _imagesStack?: Stack;
  private readonly stackPerWorkload: boolean;

  constructor(scope: Construct, id: string, props: EcsPlatformProps = {}) {
    super(scope, id);

    // Resolve
    const maxAzs = props.maxAzs ?? 2;
    const natGateways = props.natGateways ?? maxAzs;
    const flowLogRetention = checkedLogRetention(this, 'flowLogRetention', props.flowLogRetention, logs.RetentionDays.ONE_YEAR);
    const internetFacing = props.loadBalancer?.internetFacing ?? true;
    const ownWebAclArn = props.loadBalancer?.webAclArn;
    const webAcl = props.webAcl ?? (internetFacing && ownWebAclArn === undefined);
    const webAclLogRetention = checkedLogRetention(this, 'webAclLogRetention', props.webAclLogRetention, logs.RetentionDays.ONE_YEAR);
    this.stackPerWorkload = props.stackPerWorkload ?? false;

    // Validate
    if (this.stackPerWorkload && Stack.of(this).nested) {
      validationError(this, 'stackPerWorkload', 'false in a nested stack (workload stacks are siblings of the platform\'s stack)', true);
    }
    if (!props.vpc) {
      assertInRange(this, 'maxAzs', maxAzs, 2, 6);
      assertInRange(this, 'natGateways', natGateways, 1, maxAzs);
    }
    if (webAcl && ownWebAclArn !== undefined) {
      validationError(this, 'webAcl', 'false or left out when `loadBalancer.webAclArn` is given (a load balancer has one web ACL)', webAcl);
    }

    // Build
    checkStackQuotas(Stack.of(this), this.stackPerWorkload
      ? 'Move what else the stack holds to a stack of its own'
      : `Set \`stackPerWorkload: true\` on the platform ${this.node.path}, so that each workload gets a stack of its own (a web service with its alarms is about 19 resources)`);
    this.logsKey = props.logEncryptionKey ?? new kms.Key(this, 'LogsKey', {
      description: `Encrypts the log groups of the ECS platform ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: KEEP_STATEFUL,
    });
    allowCloudWatchLogsToUseKey(this, this.logsKey);
    this.vpc = props.vpc ?? this.newVpc(maxAzs, natGateways, flowLogRetention);
    this.opsTopic = new OpsTopic(this, 'OpsTopic', { emailAddresses: props.opsEmailAddresses });
    this.cluster = new EcsCluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsights: props.containerInsights,
      awsvpcTrunking: props.awsvpcTrunking,
      serviceConnectNamespace: props.serviceConnectNamespace,
      capacityPlanning: props.capacityPlanning,
      capacity: this.capacityOptions(props.capacity),
    });
    this.acknowledgeInlineGrantPolicies(this.cluster.defaultCapacity.instanceRole);
    if (webAcl) {
      const { PlatformWebAcl } = optionalParts.platformWebAcl();
      const platformWebAcl = new PlatformWebAcl(this, 'WebAcl', { logEncryptionKey: this.logsKey, logRetention: webAclLogRetention });
      this.webAcl = platformWebAcl.webAcl;
      this.webAclLogGroup = platformWebAcl.logGroup;
    }
    this.loadBalancer = new PublicLoadBalancer(this, 'LoadBalancer', {
      ...props.loadBalancer,
      webAclArn: this.webAcl?.attrArn ?? ownWebAclArn,
      vpc: this.vpc,
    });
    if (props.amiUpdateAlerts ?? true) {
      const { AmiUpdateAlerts } = optionalParts.amiUpdateAlerts();
      this.amiUpdateAlerts = new AmiUpdateAlerts(this, 'AmiUpdateAlerts', {
        topic: this.opsTopic.topic,
        vpc: this.vpc,
        logEncryptionKey: this.logsKey,
      });
    }
    if (props.monitoring ?? true) {
      const { PlatformAlarms } = optionalParts.platformAlarms();
      const { PlatformDashboard } = optionalParts.platformDashboard();
      this.alarms = new PlatformAlarms(this, 'Alarms', { topic: this.opsTopic.topic, serviceDefaults: props.serviceAlarmDefaults });
      this.alarms.monitorCluster(this.cluster);
      this.alarms.monitorLoadBalancer(this.loadBalancer);
      this.dashboard = new PlatformDashboard(this, 'Dashboard');
      this.dashboard.addCluster(this.cluster);
      this.dashboard.addLoadBalancer(this.loadBalancer);
      // the workloads by search expressions: the dashboard never refers to a workload, so it keeps its size and
      // stays in this stack however many there are, in whichever stacks
      this.dashboard.addServicesOverview(this.cluster);
      this.dashboard.addTargetGroupsOverview(this.loadBalancer);
    }
    if (this.stackPerWorkload) {
      this.exportForWorkloadStacks(
        this.vpc.vpcId,
        ...this.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
        this.cluster.clusterName,
        this.cluster.cluster.clusterArn,
        this.cluster.defaultCapacity.capacityProviderName,
        this.loadBalancer.securityGroup.securityGroupId,
        // both listeners: adding a certificate moves the routes to HTTPS, and the HTTP listener's export must stay
        // until the workload stacks have moved their rules
        this.loadBalancer.httpListener.listenerArn,
        ...this.loadBalancer.httpsListener ? [this.loadBalancer.httpsListener.listenerArn] : [],
        this.logsKey.keyArn,
        this.opsTopic.topic.topicArn,
      );
    }
  }

  /** The web services added with `addWebService()`, in the order they were added. */
  public get webServices(): WebService[] {
    return [...this._webServices];
  }

  /** The queue workers added with `addQueueWorker()`, in the order they were added. */
  public get queueWorkers(): QueueWorker[] {
    return [...this._queueWorkers];
  }

  /** The scheduled tasks added with `addScheduledTask()`, in the order they were added. */
  public get scheduledTasks(): ScheduledTask[] {
    return [...this._scheduledTasks];
  }

  /** The image repositories added with `addImageRepository()`, in the order they were added. */
  public get imageRepositories(): ImageRepository[] {
    return [...this._imageRepositories];
  }

  /**
   * Adds a capacity (another capacity provider) to the cluster, reporting to the platform's operations topic, its
   * instance logs (when it ships them) encrypted with the platform's logs key unless the options name another.
   * Name it in a service's `capacityStrategy`, or in `cluster.configureDefaultCapacityStrategy()`.
   *
   * @param id construct id of the capacity, unique in the cluster
   * @param options the AMI family, instance types, Spot and sizes
   */
  public addCapacity(id: string, options: Ec2CapacityOptions = {}): Ec2Capacity {
    this.assertNewId(id, this.cluster, 'in the cluster');
    const capacity = this.cluster.addCapacity(id, this.capacityOptions(options));
    if (this.stackPerWorkload) this.exportForWorkloadStacks(capacity.capacityProviderName);
    this.acknowledgeInlineGrantPolicies(capacity.instanceRole);
    this.alarms?.monitorCapacity(this.cluster, capacity);
    this.dashboard?.addCapacity(this.cluster, capacity);
    return capacity;
  }

  /**
   * Adds a long-running HTTP service on the cluster's capacity, behind the shared load balancer. Its container
   * logs are encrypted with the platform's logs key unless `options.logEncryptionKey` names another.
   *
   * @param id construct id of the service, unique in the platform, and also the id of its route
   * @param options the image, the route and the task's settings
   * @param alarmOptions how the service's alarms are tuned or turned off (with `monitoring` on)
   */
  public addWebService(id: string, options: WebServiceOptions, alarmOptions?: WebServiceAlarmOptions): WebService {
    this.assertWorkloadId(id);
    const service = new WebService(this.workloadScope(id), id, {
      ...options,
      logEncryptionKey: options.logEncryptionKey ?? this.logsKey,
      cluster: this.cluster,
      loadBalancer: this.loadBalancer,
    });
    this.acknowledgeInlineGrantPolicies(service.taskRole, service.executionRole);
    this.alarms?.monitorWebService(service, alarmOptions);
    this._webServices.push(service);
    return service;
  }

  /**
   * Adds workers that take jobs from their own SQS queue, on the cluster's capacity, scaled on the backlog per task.
   * Their container logs are encrypted with the platform's logs key unless `options.logEncryptionKey` names another.
   *
   * @param id construct id of the worker, unique in the platform
   * @param options the image, the job timeout, the scaling and the task's settings
   * @param alarmOptions how the worker's alarms are tuned or turned off (with `monitoring` on)
   */
  public addQueueWorker(id: string, options: QueueWorkerOptions, alarmOptions?: QueueWorkerAlarmOptions): QueueWorker {
    this.assertWorkloadId(id);
    const { QueueWorker } = optionalParts.queueWorker();
    const worker = new QueueWorker(this.workloadScope(id), id, {
      ...options,
      logEncryptionKey: options.logEncryptionKey ?? this.logsKey,
      cluster: this.cluster,
    });
    this.acknowledgeInlineGrantPolicies(worker.taskRole, worker.executionRole);
    this.alarms?.monitorQueueWorker(worker, alarmOptions);
    // with the first worker, a row for the queues of this stack and of the workload stacks named after it
    if (this._queueWorkers.length === 0) this.dashboard?.addQueuesOverview(Stack.of(this).stackName);
    this._queueWorkers.push(worker);
    return worker;
  }

  /**
   * Adds a task that runs to completion on the cluster's capacity, started by a schedule (EventBridge Scheduler)
   * or by matching events (an EventBridge rule). Its container logs are encrypted with the platform's logs key unless
   * `options.logEncryptionKey` names another.
   *
   * @param id construct id of the task, unique in the platform
   * @param options the image, the trigger and the task's settings
   * @param alarmOptions how the task's alarms are tuned or turned off (with `monitoring` on)
   */
  public addScheduledTask(id: string, options: ScheduledTaskOptions, alarmOptions?: ScheduledTaskAlarmOptions): ScheduledTask {
    this.assertWorkloadId(id);
    const { ScheduledTask } = optionalParts.scheduledTask();
    const task = new ScheduledTask(this.workloadScope(id), id, {
      ...options,
      logEncryptionKey: options.logEncryptionKey ?? this.logsKey,
      cluster: this.cluster,
    });
    this.acknowledgeInlineGrantPolicies(task.taskRole, task.executionRole, task.triggerRole);
    this.alarms?.monitorScheduledTask(task, alarmOptions);
    this._scheduledTasks.push(task);
    return task;
  }

  /**
   * Adds an ECR repository with lifecycle rules, for the images of the platform's workloads. It goes in the platform's
   * images stack (`imagesStack`), a sibling of the platform's stack named `<platform stack name>-Images` that the
   * platform's and the workloads' stacks deploy after: deploy it first, push the images, then deploy the rest. A
   * workload's stack cannot pull from a repository that it creates itself, since that repository is empty on the
   * stack's first deploy. In a nested stack the repository stays in the platform's stack (with a synth warning
   * for each workload that runs its images).
   *
   * The images stack exports each repository's ARN (`<images stack name>:<logical id>:RepositoryArn`), imported by the stacks
   * whose workloads run its images.
   *
   * @param id construct id of the repository, unique in the images stack
   * @param props the repository's settings
   */
  public addImageRepository(id: string, props: ImageRepositoryProps = {}): ImageRepository {
    this.assertNewId(id, this.imagesStack ?? (Stack.of(this).nested ? this : undefined), 'in the images stack');
    const imagesStack = this.imagesStack ?? this.newImagesStack();
    const repository = new ImageRepository(imagesStack ?? this, id, props);
    // exported whether or not a stack imports it, so that the last workload to use it can leave first
    if (imagesStack) repository._exportArn();
    this._imageRepositories.push(repository);
    return repository;
  }

  /**
   * The stack of the platform's image repositories (`addImageRepository()`), `<platform stack name>-Images`, once the
   * platform has a repository.
   */
  public get imagesStack(): Stack | undefined {
    return this._imagesStack;
  }

  /** The images stack: next to the platform's, with its account, region and termination protection. */
  private newImagesStack(): Stack | undefined {
    const platformStack = Stack.of(this);
    if (platformStack.nested) return undefined;
    this._imagesStack = this.siblingStack(IMAGES_STACK_SUFFIX,
      `Image repositories of the ECS platform ${platformStack.stackName}: deploy first, then push the images`);
    checkStackQuotas(this._imagesStack, 'Each image repository of the platform exports its ARN: give the workloads beyond 200 ' +
      'repositories of their own, in a stack that deploys before theirs');
    return this._imagesStack;
  }

  /**
   * Exports each of `values` that is an attribute of a resource of the platform's stack, whether or not a workload
   * stack imports it yet. CloudFormation refuses to delete or change an export that a stack imports ("export … in
   * use"), and aws-cdk-lib exports a value only while some stack refers to it: a change that moves every workload from
   * one value to another (a certificate moves the routes from the HTTP to the HTTPS listener) would otherwise remove
   * the old export in the platform's deploy, before the workload stacks stopped importing it.
   */
  private exportForWorkloadStacks(...values: string[]): void {
    const stack = Stack.of(this);
    for (const value of values) {
      const resolved = stack.resolve(value) as { 'Ref'?: string; 'Fn::GetAtt'?: unknown } | string;
      const ownAttribute = typeof resolved === 'object' && (typeof resolved.Ref === 'string' ? !resolved.Ref.startsWith('AWS::') : resolved['Fn::GetAtt'] !== undefined);
      if (ownAttribute) stack.exportValue(value);
    }
  }

  /**
   * Asserts that a workload's id is not blank and not yet used by another workload (or by a part of the platform), before
   * anything is built: the construct library's own errors ("Only root constructs may have an empty ID", "There is
   * already a Construct with name …") name neither the prop nor the workload.
   */
  private assertWorkloadId(id: string): void {
    const workloads: Construct[] = [...this._webServices, ...this._queueWorkers, ...this._scheduledTasks];
    if (workloads.some((workload) => workload.node.id === id)) {
      validationError(this, 'id', 'unique among the platform\'s workloads (web services, queue workers and scheduled tasks)', id);
    }
    if (this.stackPerWorkload) {
      const platformStack = Stack.of(this);
      this.assertNewId(id, platformStack.node.scope, `next to the platform's stack (the workload's stack is \`${platformStack.node.id}-<id>\`)`,
        `${platformStack.node.id}-${id}`);
    } else {
      this.assertNewId(id, this, 'in the platform');
    }
  }

  /**
   * Asserts that `id` is not blank, and that `scope` (when there is one yet) has no child `childId` (the construct id
   * derived from `id`).
   */
  private assertNewId(id: string, scope: IConstruct | undefined, where: string, childId: string = id): void {
    if (Token.isUnresolved(id)) return;
    if (id.trim() === '') validationError(this, 'id', 'a construct id with at least one character other than whitespace', id);
    if (scope?.node.tryFindChild(childId) !== undefined) {
      validationError(this, 'id', `an id not used yet ${where}, where "${childId}" already exists`, id);
    }
  }

  /** Where a workload goes: this platform, or with `stackPerWorkload` a stack of its own. */
  private workloadScope(id: string): Construct {
    return this.stackPerWorkload ? this.workloadStack(id) : this;
  }

  /** A workload's stack: a sibling of the platform's, `<platform stack>-<id>`. */
  private workloadStack(id: string): Stack {
    if (id === IMAGES_STACK_SUFFIX) {
      validationError(this, 'id', `a workload id other than \`${IMAGES_STACK_SUFFIX}\` with \`stackPerWorkload\` (\`<platform stack name>-${IMAGES_STACK_SUFFIX}\` is the images stack)`, id);
    }
    const stack = this.siblingStack(id, `Workload ${id} of the ECS platform ${Stack.of(this).stackName}`);
    checkStackQuotas(stack, `Split ${id} into several workloads`);
    return stack;
  }

  /**
   * A new stack next to the platform's, `<platform stack>-<suffix>`: same account, region and termination protection,
   * and reading the platform's values through CloudFormation exports unless the app chose otherwise.
   */
  private siblingStack(suffix: string, description: string): Stack {
    const platformStack = Stack.of(this);
    const stackName = `${platformStack.stackName}-${suffix}`;
    assertPattern(this, 'id', stackName, /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
      `an id that makes \`<platform stack name>-<id>\` a stack name (letters, digits and hyphens, at most 128 characters; "${stackName}")`);
    const stack = new PlatformSiblingStack(platformStack.node.scope!, `${platformStack.node.id}-${suffix}`, {
      stackName,
      env: {
        account: Token.isUnresolved(platformStack.account) ? undefined : platformStack.account,
        region: Token.isUnresolved(platformStack.region) ? undefined : platformStack.region,
      },
      terminationProtection: platformStack.terminationProtection,
      description,
    });
    if (platformStack.node.tryGetContext(REFERENCE_STRENGTH_CONTEXT) === undefined) {
      stack.node.setContext(REFERENCE_STRENGTH_CONTEXT, 'strong');
    }
    return stack;
  }

  /**
   * A capacity's options with the platform's defaults: notifications to the operations topic and, when the
   * capacity ships its instances' logs, the logs key for their log group.
   */
  private capacityOptions(options: Ec2CapacityOptions = {}): Ec2CapacityOptions {
    const family = amiFamilyFacts(options.amiFamily ?? AmiFamily.AMAZON_LINUX_2023);
    const instanceLogs = options.instanceLogs ?? instanceLogShipping(family.userDataFormat) !== undefined;
    return {
      notificationsTopic: this.opsTopic.topic,
      ...instanceLogs ? { instanceLogEncryptionKey: this.logsKey } : {},
      ...options,
    };
  }

  /** Acknowledges, on each role only, that aws-cdk-lib writes its grants to an inline policy (DefaultPolicy). */
  private acknowledgeInlineGrantPolicies(...roles: iam.IRole[]): void {
    for (const role of roles) acknowledgeNagRule(role, 'INLINE_GRANT_POLICY');
  }

  private newVpc(maxAzs: number, natGateways: number, flowLogRetention: logs.RetentionDays): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs,
      natGateways,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        // the load balancer and the NAT gateways have addresses of their own: nothing here needs a public IP
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    // the default route of a public subnet is the internet gateway: that is what makes it public
    for (const subnet of vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) acknowledgeNagRule(route, 'PUBLIC_SUBNET_INTERNET_ROUTE');
    }
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: flowLogRetention,
      encryptionKey: this.logsKey,
      removalPolicy: KEEP_STATEFUL,
    });
    const flowLog = vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    if (flowLog.iamRole) this.acknowledgeInlineGrantPolicies(flowLog.iamRole);
    return vpc;
  }
}

/** A stack next to the platform's (images, or a workload's): it fails synthesis on a template over CloudFormation's quota. */
class PlatformSiblingStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  /** @internal */
  public _synthesizeTemplate(session: ISynthesisSession, lookupRoleArn?: string, lookupRoleExternalId?: string,
    lookupRoleAdditionalOptions?: { [key: string]: any }): void {
    super._synthesizeTemplate(session, lookupRoleArn, lookupRoleExternalId, lookupRoleAdditionalOptions);
    assertTemplateSize(this, session);
  }
}
