/**
 * Service Connect: two services that call each other by name, with no load balancer in between.
 *
 * What it shows:
 * - a platform whose capacity runs the ECS-optimized Amazon Linux 2023 AMI (the default), with the container agent's
 *   task and image cleanup set (`agentSettings`): stopped tasks' containers removed after 30 minutes instead of 3
 *   hours, unused images looked for every 15 minutes and removed once 30 minutes old, up to 10 a cycle, so instances
 *   that deploy often do not fill their volume. Service Connect needs the Amazon Linux AMIs: the Bottlerocket AMIs do
 *   not support it, and a service with `serviceConnect` on Bottlerocket (or Windows) capacity fails at synth;
 * - ECS Service Connect (`serviceConnectNamespace: 'internal'`): `Orders` is published as `orders.internal`, and `Shop`
 *   calls it at `http://orders.internal` through the Service Connect proxy, no load balancer in between;
 * - request-count autoscaling: `Shop` tracks 1,000 requests a minute per task from the load balancer, besides CPU;
 * - containers that run as a non-root user (`user: '1000:1000'`), as AWS Config's `ecs-task-definition-nonroot-user`
 *   rule (and AWS Control Tower's control built on it) asks.
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `orders.ts`: `addOrdersService()`, the `Orders` service, published in Service Connect;
 * - `shop.ts`: `addShopService()`, the `Shop` service, given the service it calls.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 * - step 4: `npx cdk deploy ServiceConnect-Images`; step 5: push OrdersImages:1.0.0 and ShopImages:1.0.0, images whose files the user 1000:1000 may read;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/service-connect/platform.ts"
 */
import { App, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addOrdersService } from './orders';
import { addShopService } from './shop';
import { EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** The certificate of the platform's domain, for HTTPS on the shared load balancer: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export class ServiceConnectStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform: two services that call each other through Service Connect',
      certificateArn: CERTIFICATE_ARN,
      serviceConnectNamespace: 'internal',
      capacity: {
        // m6i.xlarge: 3 awsvpc tasks per instance (4 ENIs, one for the instance): 6 instances hold the 18 tasks
        // that Orders and Shop may scale out to, as the synth-time capacity check confirms
        instanceType: new ec2.InstanceType('m6i.xlarge'),
        minCapacity: 2,
        maxCapacity: 6,
        agentSettings: {
          taskCleanupWait: Duration.minutes(30),
          imageCleanupInterval: Duration.minutes(15),
          imageMinimumCleanupAge: Duration.minutes(30),
          imagesDeletedPerCycle: 10,
        },
      },
      ...props,
    });

    const orders = addOrdersService(this.platform);
    addShopService(this.platform, orders);
  }
}

if (require.main === module) {
  const app = new App();
  new ServiceConnectStack(app, 'ServiceConnect');
  app.synth();
}
