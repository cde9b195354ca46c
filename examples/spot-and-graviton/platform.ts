/**
 * Spot and Graviton: cheaper capacity without losing a floor of on-demand instances.
 *
 * What it shows: a platform whose instances are all Graviton (arm64) on Amazon Linux 2023, in two capacity
 * providers. `OnDemand` is the cluster's default capacity (2 to 6 m7g.large). `Spot` draws on four Graviton
 * instance types with the price-capacity-optimized strategy; the agent drains tasks off an instance as soon as
 * its Spot interruption notice arrives. The default capacity provider strategy places the first 2 tasks of each
 * service on on-demand instances, then 1 in 4 of the rest on-demand and 3 in 4 on Spot. The `Worker` service
 * overrides the strategy to run on Spot only, for work that tolerates interruption.
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `api.ts`: `addApiService()`, the `Api` service, on the default strategy;
 * - `worker.ts`: `addWorkerService()`, the `Worker` service, given the Spot capacity to run on.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 * - step 4: `npx cdk deploy SpotAndGraviton-Images`; step 5: push ApiImages:1.0.0 and WorkerImages:1.0.0, built for arm64 (or multi-architecture);
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/spot-and-graviton/platform.ts"
 */
import { App } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addApiService } from './api';
import { addWorkerService } from './worker';
import { AmiFamily, EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** The certificate of the platform's domain, for HTTPS on the shared load balancer: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export class SpotAndGravitonStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform on Graviton: an on-demand floor plus Spot capacity',
      certificateArn: CERTIFICATE_ARN,
      capacity: {
        amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64,
        instanceType: new ec2.InstanceType('m7g.large'),
        minCapacity: 2,
        maxCapacity: 6,
      },
      ...props,
    });

    const cluster = this.platform.cluster;
    const onDemand = cluster.defaultCapacity;
    const spot = this.addCapacity('Spot', {
      amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64,
      instanceType: new ec2.InstanceType('m7g.large'),
      additionalInstanceTypes: [
        new ec2.InstanceType('m6g.large'),
        new ec2.InstanceType('c7g.xlarge'),
        new ec2.InstanceType('r7g.large'),
      ],
      spot: { allocationStrategy: autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED },
      minCapacity: 0,
      maxCapacity: 20,
    });
    // Set before adding services: each service takes the default strategy when it is created.
    cluster.configureDefaultCapacityStrategy([
      { capacity: onDemand, base: 2, weight: 1 },
      { capacity: spot, weight: 3 },
    ]);

    addApiService(this.platform);
    addWorkerService(this.platform, spot);
  }
}

if (require.main === module) {
  const app = new App();
  new SpotAndGravitonStack(app, 'SpotAndGraviton');
  app.synth();
}
