/**
 * The `Orders` web service: the orders API, published in the platform's Service Connect namespace as `orders` (clients
 * of the namespace call `http://orders.<namespace>`, port 80, which the Service Connect proxy forwards to the
 * container's 8080) and also routed at `/orders/*` on the shared HTTPS load balancer. From 2 to 6 tasks, scaled on
 * CPU.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Orders`: up to 6 tasks of 512 CPU units and 1024 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/orders/*`
 * - the Service Connect namespace (`serviceConnectNamespace`), where it publishes `orders`
 *
 * Deploy: push OrdersImages:1.0.0 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addOrdersService(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** Adds the `Orders` service and its image repository `OrdersImages` to `platform`, published in Service Connect as `orders`. */
export function addOrdersService(platform: EcsPlatform): WebService {
  const images = platform.addImageRepository('OrdersImages');
  return platform.addWebService('Orders', {
    image: images.image('1.0.0'),
    route: RouteMatch.pathPatterns('/orders/*'),
    containerPort: 8080,
    user: '1000:1000',
    cpu: 512,
    memoryLimitMiB: 1024,
    minCapacity: 2,
    maxCapacity: 6,
    healthCheckPath: '/orders/health',
    serviceConnect: { discoveryName: 'orders', port: 80 },
  });
}
