/**
 * The `Uploads` web service: `/uploads/*` on the shared HTTPS load balancer, from 2 to 10 tasks, the producer of the
 * thumbnail jobs. It takes the queue worker it sends to as a parameter (the worker owns its queue): its task role
 * may send to that queue, and it gets the queue's URL as the environment variable `THUMBNAIL_QUEUE_URL`.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Uploads`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/uploads/*`
 * - the queue worker it sends its jobs to (thumbnailer.ts)
 *
 * Deploy: push UploadsImages:1.3.0 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addUploadsService(stack.platform, thumbnailer)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, QueueWorker, RouteMatch, WebService } from '../../src';

/** Adds the `Uploads` service and its image repository `UploadsImages` to `platform`, allowed to send to `thumbnailer`'s queue. */
export function addUploadsService(platform: EcsPlatform, thumbnailer: QueueWorker): WebService {
  const images = platform.addImageRepository('UploadsImages');
  const uploads = platform.addWebService('Uploads', {
    image: images.image('1.3.0'),
    user: '1000:1000',
    route: RouteMatch.pathPatterns('/uploads/*'),
    containerPort: 8080,
    healthCheckPath: '/uploads/health',
    environment: { THUMBNAIL_QUEUE_URL: thumbnailer.queue.queueUrl },
  });
  thumbnailer.grantSendMessages(uploads.taskRole);
  return uploads;
}
