/**
 * A large fleet: 100 web services, 4 queue workers and 3 scheduled tasks on one platform.
 *
 * What it shows: `stackPerWorkload: true`, the one prop a platform of more than about 20 workloads needs. One
 * CloudFormation stack holds at most 500 resources, and a web service with its alarms is about 19. With the prop,
 * the platform's stack (`LargeFleet`: VPC, cluster, load balancer, dashboard, the 107 image repositories) stays
 * small and fixed, and each workload gets a stack of its own (`LargeFleet-<id>`: the service, its task definition
 * and roles, target group, listener rule, scaling and alarms). Each stack stays within CloudFormation's quotas (500
 * resources, 200 outputs, 1 MB of template) and the load balancer within its 100 listener rules, and synthesis
 * fails, naming the quota and the fix, before any of them would be broken. The dashboard shows every service,
 * target group and queue by search expressions, so it never changes as services come and go.
 *
 * Changing one service touches one stack: `cdk deploy LargeFleet-BillingApi` (its only dependency, `LargeFleet`,
 * is unchanged). Workload stacks import a fixed set of the platform's exports, export nothing, and find their image
 * repositories by name, so adding or removing a service never changes another stack's exports, logical ids or
 * listener-rule priorities. `cdk deploy --all` deploys everything, the platform first; a service taken out of the
 * code keeps its stack until `cdk destroy LargeFleet-<id>`.
 *
 * Capacity: 12 m6i.4xlarge (16 vCPU, 64 GiB, 60 awsvpc tasks each with ENI trunking) hold the 423 tasks the
 * workloads may scale out to; the synth-time capacity check proves it.
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `domain-service.ts`: `addDomainService()`, one web service of a domain, called for each of the table's 100;
 * - `worker.ts`: `addFleetWorker()`, one queue worker;
 * - `job.ts`: `addFleetJob()`, one scheduled task.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 *   - ENI trunking on in the account and region:
 *     `aws ecs put-account-setting-default --name awsvpcTrunking --value enabled`
 *   - the SecureString parameters `/prod/<domain>/<service>/database-password`, each:
 *     `aws ssm put-parameter --type SecureString --name <name> --value <secret>`
 * - step 4: `npx cdk deploy LargeFleet-Images`; step 5: push each repository's image, tagged 1.0.0;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/large-fleet/platform.ts"
 */
import { App, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addDomainService } from './domain-service';
import { addFleetJob } from './job';
import { addFleetWorker } from './worker';
import { EcsPlatformStack, EcsPlatformStackProps, TaskTrigger } from '../../src';

/** The certificate of the platform's domain: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/** The product's domains, and the web services each one runs: 10 × 10. */
const DOMAINS = ['Accounts', 'Billing', 'Catalog', 'Checkout', 'Identity', 'Inventory', 'Messaging', 'Orders', 'Search', 'Shipping'];
const SERVICES = ['Api', 'Admin', 'Events', 'Exports', 'Feeds', 'Imports', 'Reports', 'Settings', 'Status', 'Webhooks'];

/**
 * Listener-rule priorities are derived from each route's id, and never change when other routes come and go; when
 * two ids hash to the same priority, synth fails, naming both and the priority to pin one of them at. Here
 * SearchWebhooks hashes to OrdersAdmin's priority and is pinned at the next one.
 */
const PINNED_ROUTE_PRIORITIES: Record<string, number> = { SearchWebhooks: 38357 };

/** The queue workers. */
const WORKERS = ['Invoices', 'Notifications', 'SearchIndexer', 'Thumbnails'];

/** The scheduled tasks, and what starts each. */
const JOBS: Array<[string, TaskTrigger]> = [
  ['NightlyReports', TaskTrigger.cron({ minute: '30', hour: '2' })],
  ['HourlyReconciliation', TaskTrigger.rate(Duration.hours(1))],
  ['WeeklyCleanup', TaskTrigger.cron({ minute: '0', hour: '4', weekDay: 'SUN' })],
];

export class LargeFleetStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform of 100 web services, 4 queue workers and 3 scheduled tasks, a stack per workload',
      certificateArn: CERTIFICATE_ARN,
      stackPerWorkload: true,
      awsvpcTrunking: true,
      capacity: { instanceType: new ec2.InstanceType('m6i.4xlarge'), minCapacity: 3, maxCapacity: 12 },
      ...props,
    });

    for (const domain of DOMAINS) {
      for (const service of SERVICES) {
        addDomainService(this.platform, domain, service, PINNED_ROUTE_PRIORITIES[`${domain}${service}`]);
      }
    }
    for (const name of WORKERS) addFleetWorker(this.platform, name);
    for (const [name, trigger] of JOBS) addFleetJob(this.platform, name, trigger);
  }
}

if (require.main === module) {
  const app = new App();
  new LargeFleetStack(app, 'LargeFleet');
  app.synth();
}
