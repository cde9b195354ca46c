/**
 * The `Worker` web service of the Spot and Graviton platform: `/jobs/*` on the shared HTTPS load balancer, from 2
 * to 10 tasks, on the capacity it is given only (Spot here), for work that tolerates an interrupted instance.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Worker`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each) on the
 *   capacity passed in, whose instances match the image's architecture (arm64 here)
 * - the HTTPS listener, where it routes `/jobs/*`
 *
 * Deploy: push WorkerImages:1.0.0, built for arm64 (or multi-architecture), once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addWorkerService(stack.platform, spotCapacity)`, and add the capacity above if your platform has none to spare.
 */
import { Ec2Capacity, EcsPlatform, RouteMatch, WebService } from '../../src';

/**
 * Adds the `Worker` service and its image repository `WorkerImages` to `platform`, its tasks placed on `capacity`
 * only (a Spot capacity: `platform.addCapacity('Spot', { spot: {...} })`).
 */
export function addWorkerService(platform: EcsPlatform, capacity: Ec2Capacity): WebService {
  const images = platform.addImageRepository('WorkerImages');
  return platform.addWebService('Worker', {
    image: images.image('1.0.0'),
    user: '1000:1000',
    route: RouteMatch.pathPatterns('/jobs/*'),
    containerPort: 8080,
    capacityStrategy: [{ capacity }],
    minCapacity: 2,
    maxCapacity: 10,
    healthCheckPath: '/jobs/health',
  });
}
