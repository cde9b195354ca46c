/**
 * Two jobs of one application, run from one image: `NightlyReport` at 02:30 Berlin time (following daylight saving
 * time) through EventBridge Scheduler, within a 15-minute flexible window, retrying a failed start twice and sending
 * invocations that still fail to its encrypted dead-letter queue; and `ExportOrders`, one task whenever the orders
 * application puts an "Order Batch Closed" event on the default event bus (an EventBridge rule: RunTask when work
 * arrives). The two are one file because they share their image repository, `JobImages`.
 *
 * `NightlyReport` reads a database password from SSM Parameter Store. Each task role starts with no permissions:
 * grant what the job calls to the returned task's `taskRole`.
 *
 * Their containers run as the non-root user `1000:1000`: build the image so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `NightlyReport`: 1 task of 1024 CPU units and 2048 MiB per run (awsvpc: a network interface)
 * - capacity for `ExportOrders`: 1 task of 256 CPU units and 512 MiB per event (awsvpc: a network interface)
 *
 * Deploy: the SecureString parameter `/prod/report/database-password`
 * (`aws ssm put-parameter --type SecureString --name /prod/report/database-password --value <secret>`); push
 * JobImages:2.0.1 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addJobs(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import { EcsPlatform, ScheduledTask, TaskTrigger } from '../../src';

/** The two jobs. */
export interface Jobs {
  /** The report at 02:30 Berlin time. */
  readonly nightlyReport: ScheduledTask;
  /** The export started by each "Order Batch Closed" event. */
  readonly exportOrders: ScheduledTask;
}

/** Adds the `NightlyReport` and `ExportOrders` jobs and their image repository `JobImages` to `platform`. */
export function addJobs(platform: EcsPlatform): Jobs {
  const images = platform.addImageRepository('JobImages');
  const nightlyReport = platform.addScheduledTask('NightlyReport', {
    image: images.image('2.0.1'),
    user: '1000:1000',
    trigger: TaskTrigger.cron({ minute: '30', hour: '2' }),
    timeZone: TimeZone.EUROPE_BERLIN,
    flexibleTimeWindow: Duration.minutes(15),
    maxRetries: 2,
    cpu: 1024,
    memoryLimitMiB: 2048,
    secrets: { DATABASE_PASSWORD: '/prod/report/database-password' },
  });
  const exportOrders = platform.addScheduledTask('ExportOrders', {
    image: images.image('2.0.1'),
    user: '1000:1000',
    trigger: TaskTrigger.onEvent({
      source: ['com.example.orders'],
      detailType: ['Order Batch Closed'],
    }),
    environment: { EXPORT_FORMAT: 'parquet' },
  });
  return { nightlyReport, exportOrders };
}
