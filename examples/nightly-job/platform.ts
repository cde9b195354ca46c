/**
 * A nightly job, and a job that runs when work arrives.
 *
 * What it shows: two `ScheduledTask`s on the platform's EC2 capacity. `NightlyReport` runs at 02:30 Berlin time
 * (following daylight saving time) through EventBridge Scheduler, within a 15-minute flexible window, retrying a
 * failed start twice and sending invocations that still fail to its encrypted dead-letter queue. It reads a
 * database password from SSM Parameter Store; its task role has no permissions until you grant some.
 * `ExportOrders` starts one task whenever the orders application puts an "Order Batch Closed" event on the
 * default event bus (an EventBridge rule on an event pattern: RunTask when work arrives).
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `jobs.ts`: `addJobs()`, both jobs, which share their image repository.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN (the shared load balancer redirects HTTP to HTTPS):
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 *   - the SecureString parameter `/prod/report/database-password`:
 *     `aws ssm put-parameter --type SecureString --name /prod/report/database-password --value <secret>`
 * - step 4: `npx cdk deploy NightlyJob-Images`; step 5: push JobImages:2.0.1;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/nightly-job/platform.ts"
 */
import { App } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addJobs } from './jobs';
import { EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** The certificate of the platform's domain, for HTTPS on the shared load balancer: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export class NightlyJobStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform: a nightly report job and an import job started by uploads',
      certificateArn: CERTIFICATE_ARN,
      ...props,
    });

    addJobs(this.platform);
  }
}

if (require.main === module) {
  const app = new App();
  new NightlyJobStack(app, 'NightlyJob');
  app.synth();
}
