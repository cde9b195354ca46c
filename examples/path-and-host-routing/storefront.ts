/**
 * The `Storefront` web service: every path on `shop.example.com`, from 2 to 10 tasks.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Storefront`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes the host `shop.example.com`, with a certificate for that name
 *
 * Deploy: push StorefrontImages:3.2.0 once the images stack is deployed; a DNS record for shop.example.com pointing
 * at the load balancer.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addStorefrontService(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** Adds the `Storefront` service and its image repository `StorefrontImages` to `platform`. */
export function addStorefrontService(platform: EcsPlatform): WebService {
  const images = platform.addImageRepository('StorefrontImages');
  return platform.addWebService('Storefront', {
    image: images.image('3.2.0'),
    user: '1000:1000',
    route: RouteMatch.hostHeaders('shop.example.com'),
    containerPort: 8080,
    healthCheckPath: '/health',
  });
}
