/**
 * The `Shop` web service: the web front end, every path not taken by a more specific route on the shared HTTPS load
 * balancer. It calls the orders service by its Service Connect name: it is a client-only member of the namespace, gets
 * the orders service's URL (`http://orders.<namespace>`) as the environment variable `ORDERS_URL`, and opens the
 * orders service's tasks to its own (`orders.allowFrom(shop)`: Service Connect changes names, not the network).
 *
 * It scales on the requests the load balancer sends each task (`targetRequestsPerTarget`: 1,000 a minute), in addition
 * to CPU, from 2 to 12 tasks: its load is requests, and its CPU rises late.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Shop`: up to 12 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/*`
 * - the Service Connect namespace (`serviceConnectNamespace`), and the service it calls there, published under a
 *   Service Connect name and port 80 (orders.ts)
 *
 * Deploy: push ShopImages:1.0.0 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addShopService(stack.platform, orders)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/**
 * Adds the `Shop` service and its image repository `ShopImages` to `platform`: a Service Connect client of `orders`,
 * which must be published in Service Connect on port 80.
 */
export function addShopService(platform: EcsPlatform, orders: WebService): WebService {
  if (orders.serviceConnectDnsName === undefined) {
    throw new Error(`addShopService: ${orders.node.path} is not published in Service Connect: give it \`serviceConnect\``);
  }
  const images = platform.addImageRepository('ShopImages');
  const shop = platform.addWebService('Shop', {
    image: images.image('1.0.0'),
    route: RouteMatch.pathPatterns('/*'),
    containerPort: 8080,
    user: '1000:1000',
    minCapacity: 2,
    maxCapacity: 12,
    targetRequestsPerTarget: 1000,
    healthCheckPath: '/health',
    environment: { ORDERS_URL: `http://${orders.serviceConnectDnsName}` },
    serviceConnect: { clientOnly: true },
  });
  orders.allowFrom(shop, 'Shop calls Orders through Service Connect');
  return shop;
}
