/**
 * The `Api` web service of the Spot and Graviton platform: `/api/*` on the shared HTTPS load balancer, from 4 to 24
 * tasks, on the cluster's default capacity provider strategy (an on-demand floor, then mostly Spot).
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Api`: up to 24 tasks of 512 CPU units and 1024 MiB (awsvpc: a network interface each), on
 *   instances of the image's architecture: its image is built for arm64 (or multi-architecture) to run on Graviton
 * - the HTTPS listener, where it routes `/api/*`
 *
 * Deploy: push ApiImages:1.0.0, built for arm64 (or multi-architecture), once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addApiService(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** Adds the `Api` service and its image repository `ApiImages` to `platform`. */
export function addApiService(platform: EcsPlatform): WebService {
  const images = platform.addImageRepository('ApiImages');
  return platform.addWebService('Api', {
    image: images.image('1.0.0'),
    user: '1000:1000',
    route: RouteMatch.pathPatterns('/api/*'),
    containerPort: 8080,
    cpu: 512,
    memoryLimitMiB: 1024,
    minCapacity: 4,
    maxCapacity: 24,
    healthCheckPath: '/api/health',
  });
}
