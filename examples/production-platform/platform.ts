/**
 * Production platform: the flagship example.
 *
 * What it shows: a complete ECS-on-EC2 platform in one stack. A new VPC over two Availability Zones, a cluster
 * on Amazon Linux 2023 instances (sized so the services' maximum task counts fit), a shared HTTPS load balancer (HTTP redirects to HTTPS), and two services routed
 * by path, `/api/*` and `/admin/*`. Each service runs an image from its own ECR repository (in the stack `EcsPlatform-Images`, deployed first so that
 * the images can be pushed before the services start) and reads a secret
 * from SSM Parameter Store. The platform team is subscribed to the operations topic, which receives the Auto
 * Scaling notifications and AWS's announcements of new ECS-optimized AMIs (relayed from AWS's public
 * `ecs-optimized-amazon-ami-update` topic): a new AMI reaches the instances with the next deployment, which
 * replaces them in a rolling update.
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `api.ts`: `addApiService()`, the `Api` service and its image repository;
 * - `admin.ts`: `addAdminService()`, the `Admin` service and its image repository.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 *   - the SecureString parameter `/prod/api/database-password`:
 *     `aws ssm put-parameter --type SecureString --name /prod/api/database-password --value <secret>`
 *   - the SecureString parameter `/prod/admin/session-signing-key`:
 *     `aws ssm put-parameter --type SecureString --name /prod/admin/session-signing-key --value <secret>`
 *   - someone at PLATFORM_TEAM_EMAIL to confirm the SNS subscription
 * - step 4: `npx cdk deploy EcsPlatform-Images`; step 5: push ApiImages:1.0.0 and AdminImages:1.0.0;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/production-platform/platform.ts"
 */
import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addAdminService } from './admin';
import { addApiService } from './api';
import { EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** The certificate of the platform's domain: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/** Where operations notifications and AMI update alerts go: replace it with your team's address. */
const PLATFORM_TEAM_EMAIL = 'platform-team@example.com';

export class ProductionPlatformStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'Production ECS platform: cluster, shared HTTPS load balancer, api and admin services',
      certificateArn: CERTIFICATE_ARN,
      opsEmailAddresses: [PLATFORM_TEAM_EMAIL],
      amiUpdateAlerts: true,
      capacity: {
        // m6i.xlarge: 4 vCPU, 16 GiB and 3 awsvpc tasks per instance (4 ENIs, one for the instance). The synth-time
        // capacity check counts them: 12 instances hold the 30 tasks that Api and Admin may scale out to.
        instanceType: new ec2.InstanceType('m6i.xlarge'),
        minCapacity: 2,
        maxCapacity: 12,
      },
      ...props,
    });

    addApiService(this.platform);
    addAdminService(this.platform);
  }
}

if (require.main === module) {
  const app = new App();
  new ProductionPlatformStack(app, 'EcsPlatform');
  app.synth();
}
