/**
 * Path and host routing: many services behind one load balancer.
 *
 * What it shows: one shared HTTPS load balancer serving two domains (the second certificate by SNI) and five
 * services routed by what each request carries:
 * - `Storefront`: every path on `shop.example.com`;
 * - `Api`: `/api/*` on `api.example.com`;
 * - `ApiCanary`: the same host and path, but only requests with the header `X-Canary: true`; its rule is more
 *   specific, so it is evaluated before `Api`'s;
 * - `Admin`: `admin.example.com`, from the office network only (source IP);
 * - `Docs`: `/docs/*` on any host, GET and HEAD only.
 * Priorities are derived from each route, so adding or removing a service never renumbers the others' rules.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - the two ACM certificates, whose ARNs replace the constants, each:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 *   - after step 6, DNS records for the three host names pointing at the load balancer (its `LoadBalancerDnsName` output)
 * - step 4: `npx cdk deploy PathAndHostRouting-Images`; step 5: push StorefrontImages:3.2.0, ApiImages:1.8.0 and 1.9.0-rc.1, AdminImages:0.4.1, DocsImages:2025.11.0;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/path-and-host-routing.ts"
 */
import { App } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EcsPlatformStack, EcsPlatformStackProps, RouteMatch } from '../src';

/** Certificates of the two domains: replace them with your own. */
const SHOP_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const API_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
/** The office network that may reach the admin site. */
const OFFICE_CIDR = '203.0.113.0/24';

export class PathAndHostRoutingStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform: five services routed by host, path, header, source IP and method',
      certificateArn: SHOP_CERTIFICATE_ARN,
      // 3 awsvpc tasks per m6i.xlarge (4 ENIs, one for the instance): 12 instances hold the 34 tasks the services
      // may scale out to, as the synth-time capacity check confirms
      capacity: { instanceType: new ec2.InstanceType('m6i.xlarge'), maxCapacity: 12 },
      ...props,
    });
    this.platform.loadBalancer.httpsListener?.addCertificates('ApiDomain', [
      acm.Certificate.fromCertificateArn(this, 'ApiCertificate', API_CERTIFICATE_ARN),
    ]);

    const storefrontImages = this.addImageRepository('StorefrontImages');
    this.addWebService('Storefront', {
      image: storefrontImages.image('3.2.0'),
      route: RouteMatch.hostHeaders('shop.example.com'),
      healthCheckPath: '/health',
    });

    const apiImages = this.addImageRepository('ApiImages');
    const apiRoute = RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/api/*'));
    this.addWebService('Api', {
      image: apiImages.image('1.8.0'),
      route: apiRoute,
      healthCheckPath: '/api/health',
    });
    this.addWebService('ApiCanary', {
      image: apiImages.image('1.9.0-rc.1'),
      route: apiRoute.and(RouteMatch.httpHeader('X-Canary', 'true')),
      healthCheckPath: '/api/health',
      minCapacity: 1,
      maxCapacity: 2,
    });

    const adminImages = this.addImageRepository('AdminImages');
    this.addWebService('Admin', {
      image: adminImages.image('0.4.1'),
      route: RouteMatch.hostHeaders('admin.example.com').and(RouteMatch.sourceIps(OFFICE_CIDR)),
      healthCheckPath: '/health',
      minCapacity: 1,
      maxCapacity: 2,
    });

    const docsImages = this.addImageRepository('DocsImages');
    this.addWebService('Docs', {
      image: docsImages.image('2025.11.0'),
      route: RouteMatch.pathPatterns('/docs/*').and(RouteMatch.httpRequestMethods('GET', 'HEAD')),
      healthCheckPath: '/docs/health',
    });
  }
}

if (require.main === module) {
  const app = new App();
  new PathAndHostRoutingStack(app, 'PathAndHostRouting');
  app.synth();
}
