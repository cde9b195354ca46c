/**
 * The `Admin` web service of the production platform: `/admin/*` on the shared HTTPS load balancer, from 2 to 10
 * tasks, running an image from its own ECR repository and reading its session signing key from SSM Parameter Store.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Admin`: up to 10 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/admin/*`
 *
 * Deploy: the SecureString parameter `/prod/admin/session-signing-key`
 * (`aws ssm put-parameter --type SecureString --name /prod/admin/session-signing-key --value <secret>`); push
 * AdminImages:1.0.0 once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addAdminService(stack.platform)`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/** Adds the `Admin` service and its image repository `AdminImages` to `platform`. */
export function addAdminService(platform: EcsPlatform): WebService {
  const images = platform.addImageRepository('AdminImages');
  return platform.addWebService('Admin', {
    image: images.image('1.0.0'),
    user: '1000:1000',
    route: RouteMatch.pathPatterns('/admin/*'),
    containerPort: 8080,
    healthCheckPath: '/admin/health',
    secrets: { SESSION_SIGNING_KEY: '/prod/admin/session-signing-key' },
  });
}
