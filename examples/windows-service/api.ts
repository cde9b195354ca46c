/**
 * The `Api` web service of the Windows platform, a Linux one: `/api/*` on the shared HTTPS load balancer, from 2 to
 * 10 tasks, on the cluster's default (Amazon Linux 2023) capacity.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Api`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each) on Linux
 * - the HTTPS listener, where it routes `/api/*`
 *
 * Deploy: push ApiImages:1.0.0 once the images stack is deployed.
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
    healthCheckPath: '/api/health',
  });
}
