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
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `storefront.ts`: `addStorefrontService()`, `Storefront`;
 * - `api.ts`: `addApiServices()`, `Api` and `ApiCanary`, one application;
 * - `admin.ts`: `addAdminService()`, `Admin`, with the office network it admits;
 * - `docs.ts`: `addDocsService()`, `Docs`.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - the two ACM certificates, whose ARNs replace the constants, each:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 *   - after step 6, DNS records for the three host names pointing at the load balancer (its `LoadBalancerDnsName` output)
 * - step 4: `npx cdk deploy PathAndHostRouting-Images`; step 5: push StorefrontImages:3.2.0, ApiImages:1.8.0 and 1.9.0-rc.1, AdminImages:0.4.1, DocsImages:2025.11.0;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/path-and-host-routing/platform.ts"
 */
import { App } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addAdminService } from './admin';
import { addApiServices } from './api';
import { addDocsService } from './docs';
import { addStorefrontService } from './storefront';
import { EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** Certificates of the two domains: replace them with your own. */
const SHOP_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const API_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';

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

    addStorefrontService(this.platform);
    addApiServices(this.platform);
    addAdminService(this.platform);
    addDocsService(this.platform);
  }
}

if (require.main === module) {
  const app = new App();
  new PathAndHostRoutingStack(app, 'PathAndHostRouting');
  app.synth();
}
