/**
 * The `Api` web service of the production platform: `/api/*` on the shared HTTPS load balancer, from 2 to 20
 * tasks, running an image from its own ECR repository and reading its database password from SSM Parameter Store.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `Api`: up to 20 tasks of 512 CPU units and 1024 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/api/*`
 *
 * Deploy: the SecureString parameter `/prod/api/database-password`
 * (`aws ssm put-parameter --type SecureString --name /prod/api/database-password --value <secret>`); push
 * ApiImages:1.0.0 once the images stack is deployed.
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
    minCapacity: 2,
    maxCapacity: 20,
    healthCheckPath: '/api/health',
    environment: { LOG_LEVEL: 'info' },
    secrets: { DATABASE_PASSWORD: '/prod/api/database-password' },
  });
}
