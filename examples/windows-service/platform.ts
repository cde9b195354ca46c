/**
 * A Windows service next to Linux ones.
 *
 * What it shows: a platform whose default capacity is Amazon Linux 2023, plus a `Windows` capacity on the
 * ECS-optimized Windows Server 2022 Core AMI (m6i.xlarge, 100 GiB encrypted root volume). The `Storefront`
 * service runs a Windows container image on that capacity only: its capacity provider strategy names it, and its
 * placement constraint (`attribute:ecs.os-type == windows`) says so in the service itself. It is routed by host
 * name; the Linux `Api` service keeps its path route on the same load balancer.
 *
 * Windows containers cannot have a read-only root filesystem, so that default is off for Windows services. The
 * image's Windows build must match the host: `ltsc2022` images on Windows Server 2022. Windows tasks take minutes
 * to start (a multi-GB image, then the .NET runtime), so a Windows service gets a 10-minute health check grace
 * period instead of 60 s (and a container health check would get a 300 s start period): set
 * `healthCheckGracePeriod` lower once you know how long your image takes on warm instances.
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `storefront.ts`: `addStorefrontService()`, the Windows `Storefront` service, given the Windows capacity to run on;
 * - `api.ts`: `addApiService()`, the Linux `Api` service.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region for shop.example.com, whose ARN replaces CERTIFICATE_ARN:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 * - step 4: `npx cdk deploy WindowsService-Images`; step 5: push ApiImages:1.0.0 (Linux; Storefront's image is public);
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/windows-service/platform.ts"
 */
import { App, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addApiService } from './api';
import { addStorefrontService } from './storefront';
import { AmiFamily, EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** The certificate of the platform's domain, for HTTPS on the shared load balancer: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export class WindowsServiceStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform with a Windows Server 2022 capacity and a Windows service',
      certificateArn: CERTIFICATE_ARN,
      ...props,
    });

    const windows = this.addCapacity('Windows', {
      amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE,
      instanceType: new ec2.InstanceType('m6i.xlarge'),
      rootVolumeSize: Size.gibibytes(100),
      minCapacity: 1,
      maxCapacity: 4,
    });

    addStorefrontService(this.platform, windows);
    addApiService(this.platform);
  }
}

if (require.main === module) {
  const app = new App();
  new WindowsServiceStack(app, 'WindowsService');
  app.synth();
}
