/**
 * A queue worker: batch jobs from SQS, scaled on the backlog.
 *
 * What it shows: a `QueueWorker` that renders thumbnails. It owns its SQS queue and dead-letter queue (encrypted,
 * TLS only); its tasks may consume exactly that queue. It scales on the backlog per task (visible messages ÷
 * running tasks, aiming at 20), from zero tasks when the queue is empty up to 30, and a message that fails three
 * times goes to the dead-letter queue. A web service (`Uploads`) is the producer: its task role may send to the
 * worker's queue, and it gets the queue's URL as an environment variable.
 *
 * Files: this platform, and one file per workload, each a function that takes the platform (copy one into your
 * platform, change its import from `'../../src'` to `'cdk-ecs-platform'`, and add the capacity its header asks for):
 * - `thumbnailer.ts`: `addThumbnailer()`, the `Thumbnailer` worker and its queues;
 * - `uploads.ts`: `addUploadsService()`, the `Uploads` service, given the worker it sends to.
 *
 * Deploy, following the README's "Deploying" steps (none of this for `cdk synth`):
 * - step 3, prerequisites:
 *   - an ACM certificate in the target region, whose ARN replaces CERTIFICATE_ARN:
 *     `aws acm request-certificate --domain-name <domain> --validation-method DNS`
 *   - ENI trunking on in the account and region (`awsvpcTrunking: true` tells the capacity check: an m6i.xlarge then holds 20 awsvpc tasks, not 3):
 *     `aws ecs put-account-setting-default --name awsvpcTrunking --value enabled`
 * - step 4: `npx cdk deploy QueueWorker-Images`; step 5: push ThumbnailerImages:2.0.1 and UploadsImages:1.3.0;
 * - step 6: `npx cdk deploy --all`.
 *
 * Run: npx cdk synth --app "npx ts-node examples/queue-worker/platform.ts"
 */
import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { addThumbnailer } from './thumbnailer';
import { addUploadsService } from './uploads';
import { EcsPlatformStack, EcsPlatformStackProps } from '../../src';

/** The certificate of the platform's domain, for HTTPS on the shared load balancer: replace it with your own. */
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export class QueueWorkerStack extends EcsPlatformStack {
  constructor(scope: Construct, id: string, props: EcsPlatformStackProps = {}) {
    super(scope, id, {
      description: 'ECS platform: an upload service and a thumbnail worker on an SQS queue',
      certificateArn: CERTIFICATE_ARN,
      awsvpcTrunking: true,
      capacity: { instanceType: new ec2.InstanceType('m6i.xlarge'), maxCapacity: 10 },
      ...props,
    });

    const thumbnailer = addThumbnailer(this.platform);
    addUploadsService(this.platform, thumbnailer);
  }
}

if (require.main === module) {
  const app = new App();
  new QueueWorkerStack(app, 'QueueWorker');
  app.synth();
}
