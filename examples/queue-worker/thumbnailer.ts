/**
 * The `Thumbnailer` queue worker: renders thumbnails from the jobs on its own SQS queue (encrypted, TLS only), which its
 * tasks may consume and nothing else. It scales on the backlog per task (visible messages ÷ running tasks, aiming at
 * 20), from zero tasks when the queue is empty up to 30; a message that fails three times goes to its dead-letter
 * queue. Producers get the right to send with `thumbnailer.grantSendMessages(...)` (see uploads.ts).
 *
 * Its container runs as the non-root user `1000:1000`: build its image so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Thumbnailer`: up to 30 tasks of 1024 CPU units and 2048 MiB (awsvpc: a network interface each)
 *
 * Deploy: push ThumbnailerImages:2.0.1 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addThumbnailer(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { Duration } from 'aws-cdk-lib';
import { EcsPlatform, QueueWorker } from '../../src';

/** Adds the `Thumbnailer` worker, its queues and its image repository `ThumbnailerImages` to `platform`. */
export function addThumbnailer(platform: EcsPlatform): QueueWorker {
  const images = platform.addImageRepository('ThumbnailerImages');
  return platform.addQueueWorker('Thumbnailer', {
    image: images.image('2.0.1'),
    user: '1000:1000',
    cpu: 1024,
    memoryLimitMiB: 2048,
    jobTimeout: Duration.minutes(10),
    maxReceiveCount: 3,
    targetBacklogPerTask: 20,
    minCapacity: 0,
    maxCapacity: 30,
  });
}
