/**
 * One queue worker of the large fleet: `<name>` with its own SQS queue and dead-letter queue, from 0 to 5 tasks
 * scaled on the backlog, running an image from its own ECR repository.
 *
 * Its container runs as the non-root user `1000:1000`: build its image so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `<name>`: up to 5 tasks of 512 CPU units and 1024 MiB (awsvpc: a network interface each)
 *
 * Deploy: push `<name>Images:1.0.0` once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addFleetWorker(stack.platform, 'Invoices')`, and add the capacity above if your platform has none to spare.
 */
import { Duration } from 'aws-cdk-lib';
import { EcsPlatform, QueueWorker } from '../../src';

/** Adds the queue worker `name`, its queues and its image repository `<name>Images` to `platform`. */
export function addFleetWorker(platform: EcsPlatform, name: string): QueueWorker {
  const images = platform.addImageRepository(`${name}Images`);
  return platform.addQueueWorker(name, {
    image: images.image('1.0.0'),
    user: '1000:1000',
    cpu: 512,
    memoryLimitMiB: 1024,
    jobTimeout: Duration.minutes(5),
    minCapacity: 0,
    maxCapacity: 5,
  });
}
