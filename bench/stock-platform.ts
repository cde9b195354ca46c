/**
 * The benchmark platform hand-wired with stock aws-cdk-lib only, as close to the library's platform as is
 * reasonable (README "What is compared" lists what the library adds):
 *
 * - a VPC: 2 AZs, public /24 and private /20 subnets, a NAT gateway per AZ;
 * - an ECS cluster (Container Insights) on an Amazon Linux 2023 Auto Scaling group (m6i.large, 2 to 10,
 *   launch template with IMDSv2 and an encrypted gp3 root volume) as a capacity provider with managed scaling;
 * - one internet-facing ALB with an HTTP listener on 80, a fixed 404 default action and one path rule per service;
 * - per service: an ECR repository (immutable tags, scan on push, KMS, two lifecycle rules), a log group,
 *   an SSM SecureString secret, an awsvpc EC2 task definition and service (circuit breaker with rollback),
 *   a target group and CPU target-tracking autoscaling.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { BuiltPlatform, newBenchApp, ProgressHook, secretParameterName, SERVICE, serviceId, servicePath, STACK_NAME } from './common';

const CONTAINER_NAME = 'app';

/** Builds the hand-wired stock platform with `services` web services. */
export function buildStockPlatform(services: number, outdir: string, progress?: ProgressHook): BuiltPlatform {
  const app = newBenchApp(outdir);
  const stack = new Stack(app, STACK_NAME);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 2,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const privateSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const launchTemplate = new ec2.LaunchTemplate(stack, 'LaunchTemplate', {
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    instanceType: new ec2.InstanceType('m6i.large'),
    userData: ec2.UserData.forLinux(),
    role: new iam.Role(stack, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
    securityGroup: new ec2.SecurityGroup(stack, 'InstanceSecurityGroup', { vpc }),
    requireImdsv2: true,
    blockDevices: [{
      deviceName: '/dev/xvda',
      volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
    }],
  });
  const autoScalingGroup = new autoscaling.AutoScalingGroup(stack, 'AutoScalingGroup', {
    vpc,
    vpcSubnets: privateSubnets,
    launchTemplate,
    minCapacity: 2,
    maxCapacity: 10,
  });
  const capacityProvider = new ecs.AsgCapacityProvider(stack, 'CapacityProvider', {
    autoScalingGroup,
    enableManagedScaling: true,
    enableManagedTerminationProtection: false,
    // as the library: ECS drains instances itself, so aws-cdk-lib adds no drain-hook function, topic and lifecycle hook
    enableManagedDraining: true,
    machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
  });
  cluster.addAsgCapacityProvider(capacityProvider);
  cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }]);

  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    dropInvalidHeaderFields: true,
  });
  const listener = loadBalancer.addListener('HttpListener', {
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: 80,
    open: true,
    defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' }),
  });
  new CfnOutput(stack, 'LoadBalancerDnsName', { value: loadBalancer.loadBalancerDnsName });
  new CfnOutput(stack, 'ClusterName', { value: cluster.clusterName });
  progress?.();

  for (let i = 0; i < services; i++) {
    const id = serviceId(i);
    const repository = new ecr.Repository(stack, `${id}Images`, {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { rulePriority: 1, tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(SERVICE.untaggedImageExpiryDays) },
        { rulePriority: 2, tagStatus: ecr.TagStatus.ANY, maxImageCount: SERVICE.maxImageCount },
      ],
    });
    const logGroup = new logs.LogGroup(stack, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const secret = ssm.StringParameter.fromSecureStringParameterAttributes(stack, `${id}Secret`, {
      parameterName: secretParameterName(i),
    });

    const taskDefinition = new ecs.Ec2TaskDefinition(stack, `${id}TaskDefinition`, { networkMode: ecs.NetworkMode.AWS_VPC });
    taskDefinition.addContainer('App', {
      containerName: CONTAINER_NAME,
      image: ecs.ContainerImage.fromEcrRepository(repository, SERVICE.imageTag),
      cpu: SERVICE.cpu,
      memoryLimitMiB: SERVICE.memoryLimitMiB,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: SERVICE.containerPort }],
      secrets: { API_SECRET: ecs.Secret.fromSsmParameter(secret) },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: id, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });

    const service = new ecs.Ec2Service(stack, id, {
      cluster,
      taskDefinition,
      vpcSubnets: privateSubnets,
      capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
    });

    listener.addTargets(id, {
      priority: i + 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([servicePath(i)])],
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: SERVICE.containerPort,
      targets: [service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: SERVICE.containerPort })],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: '/', healthyHttpCodes: '200-399', interval: Duration.seconds(15), timeout: Duration.seconds(5) },
    });

    const scaling = service.autoScaleTaskCount({ minCapacity: SERVICE.minCapacity, maxCapacity: SERVICE.maxCapacity });
    scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: SERVICE.targetCpuUtilizationPercent });
    progress?.();
  }
  return { app, stackName: stack.stackName };
}
