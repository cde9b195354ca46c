/**
 * One web service of a product domain, as the large fleet runs 100 of them: `<Domain><Service>` (for example
 * `BillingApi`) at `/<domain>/<service>/*` on the shared HTTPS load balancer, from 2 to 4 tasks, running an image from
 * its own ECR repository and reading its database password from SSM Parameter Store. With `stackPerWorkload` each one
 * is a stack of its own, `<platform stack>-<Domain><Service>`.
 *
 * Listener-rule priorities are derived from each route's id and never change when other routes come and go; when two
 * ids hash to the same priority, synth fails, naming both and the priority to pin one of them at: pass it as
 * `routePriority`.
 *
 * Its container runs as the non-root user `1000:1000` and listens on 8080, an unprivileged port: build its image
 * so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `<Domain><Service>`: up to 4 tasks of 256 CPU units and 512 MiB (awsvpc: a network interface each)
 * - the HTTPS listener, where it routes `/<domain>/<service>/*`
 *
 * Deploy: the SecureString parameter `/prod/<domain>/<service>/database-password`
 * (`aws ssm put-parameter --type SecureString --name <name> --value <secret>`); push
 * `<Domain><Service>Images:1.0.0` once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addDomainService(stack.platform, 'Billing', 'Api')`, and add the capacity above if your platform has none to spare.
 */
import { EcsPlatform, RouteMatch, WebService } from '../../src';

/**
 * Adds the web service `<domain><service>` and its image repository `<domain><service>Images` to `platform`.
 *
 * @param domain the product domain, in PascalCase: `Billing`
 * @param service the service of the domain, in PascalCase: `Api`
 * @param routePriority the listener-rule priority, when synth asks to pin one
 */
export function addDomainService(platform: EcsPlatform, domain: string, service: string, routePriority?: number): WebService {
  const name = `${domain}${service}`;
  const path = `/${domain.toLowerCase()}/${service.toLowerCase()}`;
  const images = platform.addImageRepository(`${name}Images`);
  return platform.addWebService(name, {
    image: images.image('1.0.0'),
    user: '1000:1000',
    route: RouteMatch.pathPatterns(`${path}/*`),
    routePriority,
    containerPort: 8080,
    minCapacity: 2,
    maxCapacity: 4,
    healthCheckPath: `${path}/health`,
    secrets: { DATABASE_PASSWORD: `/prod${path}/database-password` },
  });
}
