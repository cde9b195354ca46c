/**
 * The `Api` web service and its canary: `/api/*` on `api.example.com`. `ApiCanary` runs the next release from the same
 * image repository and takes only the requests with the header `X-Canary: true`: its rule is more specific, so it is
 * evaluated before `Api`'s. The two are one file because they are one application, released together.
 *
 * Their containers run as the non-root user `1000:1000` and listen on 8080, an unprivileged port: build the image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Api`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - capacity for `ApiCanary`: up to 2 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes the host `api.example.com` and the path `/api/*`, with a certificate for that name
 *
 * Deploy: push ApiImages:1.8.0 and 1.9.0-rc.1 once the images stack is deployed; a DNS record for api.example.com
 * pointing at the load balancer.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addApiServices(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** The `Api` service and its canary. */
export interface ApiServices {
  /** The current release: every request to `api.example.com/api/*` that the canary does not take. */
  readonly api: WebService;
  /** The next release: the requests with the header `X-Canary: true`. */
  readonly canary: WebService;
}

/** Adds the `Api` and `ApiCanary` services and their image repository `ApiImages` to `platform`. */
export function addApiServices(platform: EcsPlatform): ApiServices {
  const images = platform.addImageRepository('ApiImages');
  const route = RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/api/*'));
  const api = platform.addWebService('Api', {
    image: images.image('1.8.0'),
    user: '1000:1000',
    route,
    healthCheckPath: '/api/health',
  });
  const canary = platform.addWebService('ApiCanary', {
    image: images.image('1.9.0-rc.1'),
    user: '1000:1000',
    route: route.and(RouteMatch.httpHeader('X-Canary', 'true')),
    containerPort: 8080,
    healthCheckPath: '/api/health',
    minCapacity: 1,
    maxCapacity: 2,
  });
  return { api, canary };
}
