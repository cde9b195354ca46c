/**
 * Production platform: the flagship example.
 *
 * What it shows: a complete ECS-on-EC2 platform in one stack. A new VPC over two Availability Zones, a cluster
 * on Amazon Linux 2023 instances, a shared HTTPS load balancer (HTTP redirects to HTTPS), and two services routed
 * by path, `/api/*` and `/admin/*`. Each service runs an image from its own ECR repository and reads a secret
 * from SSM Parameter Store.
 *
 * Prerequisites before `cdk deploy` (none for `cdk synth`):
 * - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN;
 * - the SecureString parameters `/prod/api/database-password` and `/prod/admin/session-signing-key`;
 * - images pushed to the two repositories with the tags below.
 *
 * Run: npx cdk synth --app "npx ts-node examples/production-platform.ts"
 */
import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EcsPlatformStack, EcsPlatformStackProps, RouteMatch } from '../src';

/** The certificate of the platform's domain: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export class ProductionPlatformStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'Production ECS platform: cluster, shared HTTPS load balancer, api and admin services',
      certificateArn: CERTIFICATE_ARN,
      capacity: {
        instanceType: new ec2.InstanceType('m6i.large'),
        minCapacity: 2,
        maxCapacity: 10,
      },
      ...props,
    });

    const apiImages = this.addImageRepository('ApiImages');
    this.addWebService('Api', {
      image: apiImages.image('1.0.0'),
      route: RouteMatch.pathPatterns('/api/*'),
      containerPort: 8080,
      cpu: 512,
      memoryLimitMiB: 1024,
      minCapacity: 2,
      maxCapacity: 20,
      healthCheckPath: '/api/health',
      environment: { LOG_LEVEL: 'info' },
      secrets: { DATABASE_PASSWORD: '/prod/api/database-password' },
    });

    const adminImages = this.addImageRepository('AdminImages');
    this.addWebService('Admin', {
      image: adminImages.image('1.0.0'),
      route: RouteMatch.pathPatterns('/admin/*'),
      containerPort: 8080,
      healthCheckPath: '/admin/health',
      secrets: { SESSION_SIGNING_KEY: '/prod/admin/session-signing-key' },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ProductionPlatformStack(app, 'EcsPlatform');
  app.synth();
}
