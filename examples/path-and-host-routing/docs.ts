/**
 * The `Docs` web service: `/docs/*` on any host, GET and HEAD only (the listener rule matches the HTTP method), from
 * 2 to 10 tasks.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Docs`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/docs/*` for GET and HEAD
 *
 * Deploy: push DocsImages:2025.11.0 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addDocsService(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** Adds the `Docs` service and its image repository `DocsImages` to `platform`. */
export function addDocsService(platform: EcsPlatform): WebService {
  const images = platform.addImageRepository('DocsImages');
  return platform.addWebService('Docs', {
    image: images.image('2025.11.0'),
    user: '1000:1000',
    route: RouteMatch.pathPatterns('/docs/*').and(RouteMatch.httpRequestMethods('GET', 'HEAD')),
    containerPort: 8080,
    healthCheckPath: '/docs/health',
  });
}
