/**
 * The `Admin` web service: `admin.example.com`, reachable from the office network only (the listener rule matches
 * the source IP), from 1 to 2 tasks.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Admin`: up to 2 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes the host `admin.example.com` from OFFICE_CIDR, with a certificate for that name
 *
 * Deploy: push AdminImages:0.4.1 once the images stack is deployed; a DNS record for admin.example.com pointing at
 * the load balancer.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addAdminService(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** The office network that may reach the admin site: replace it with yours. */
const OFFICE_CIDR = '203.0.113.0/24';

/** Adds the `Admin` service and its image repository `AdminImages` to `platform`. */
export function addAdminService(platform: EcsPlatform): WebService {
  const images = platform.addImageRepository('AdminImages');
  return platform.addWebService('Admin', {
    image: images.image('0.4.1'),
    user: '1000:1000',
    route: RouteMatch.hostHeaders('admin.example.com').and(RouteMatch.sourceIps(OFFICE_CIDR)),
    containerPort: 8080,
    healthCheckPath: '/health',
    minCapacity: 1,
    maxCapacity: 2,
  });
}
