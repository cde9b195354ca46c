import { Aws, CfnCondition, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

const NO_ACCOUNT = 'none';

/**
 * Turns on ALB access logs to `bucket`, also in an environment-agnostic stack.
 *
 * `ApplicationLoadBalancer.logAccessLogs()` needs the region at synth time, because ELB writes the logs as a
 * regional ELB account in regions opened before August 2022 and as the `logdelivery.elasticloadbalancing`
 * service principal in newer ones. With an unresolved region, the bucket policy names both: the service
 * principal, and the regional ELB account from a mapping of every region that has one, chosen at deploy time.
 */
export function enableAlbAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(loadBalancer);
  if (!Token.isUnresolved(stack.region)) {
    loadBalancer.logAccessLogs(bucket, prefix);
    return;
  }

  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  loadBalancer.setAttribute('access_logs.s3.prefix', prefix);

  const scope = new Construct(loadBalancer, 'AccessLogDelivery');
  const accounts = new CfnMapping(scope, 'ElbAccounts', { mapping: elbAccountMapping() });
  const account = accounts.findInMap(Aws.REGION, 'account');
  const hasAccount = new CfnCondition(scope, 'HasElbAccount', {
    expression: Fn.conditionNot(Fn.conditionEquals(account, NO_ACCOUNT)),
  });
  const elbAccountRoot = Fn.conditionIf(hasAccount.logicalId, `arn:${Aws.PARTITION}:iam::${account}:root`, Aws.NO_VALUE);

  const logObjects = bucket.arnForObjects(`${prefix}/AWSLogs/${Aws.ACCOUNT_ID}/*`);
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowElbAccessLogDelivery',
    actions: ['s3:PutObject'],
    principals: [
      new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
      new iam.ArnPrincipal(elbAccountRoot.toString()),
    ],
    resources: [logObjects],
  }));

  const lb = loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer;
  const policy = bucket.policy?.node.defaultChild;
  if (policy) lb.node.addDependency(policy);
}

/** Region → `{ account }`: the ELB log-delivery account, or `none` where the service principal writes. */
function elbAccountMapping(): { [region: string]: { [key: string]: string } } {
  const mapping: { [region: string]: { [key: string]: string } } = {};
  for (const [region, account] of Object.entries(ELB_ACCOUNTS)) mapping[region] = { account: account ?? NO_ACCOUNT };
  return mapping;
}

/**
 * The ELB log-delivery account of every region aws-cdk-lib's region-info knows (`RegionInfo.get(region).elbv2Account`),
 * `undefined` where the service principal writes the logs. A copy, because reading one fact loads region-info's whole
 * fact table (about 80 ms of every synthesis); test/service/private/alb-access-logs.test.ts keeps it equal to region-info.
 */
export const ELB_ACCOUNTS: { readonly [region: string]: string | undefined } = {
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-east-2': undefined,
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'ap-south-1': '718504428378',
  'ap-south-2': undefined,
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-southeast-3': '589379963580',
  'ap-southeast-4': undefined,
  'ap-southeast-5': undefined,
  'ap-southeast-6': undefined,
  'ap-southeast-7': undefined,
  'ca-central-1': '985666609251',
  'ca-west-1': undefined,
  'cn-north-1': '638102146993',
  'cn-northwest-1': '037604701340',
  'eu-central-1': '054676820928',
  'eu-central-2': undefined,
  'eu-isoe-west-1': undefined,
  'eu-north-1': '897822967062',
  'eu-south-1': '635631232127',
  'eu-south-2': undefined,
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'eusc-de-east-1': undefined,
  'il-central-1': undefined,
  'me-central-1': undefined,
  'me-south-1': '076674570225',
  'me-west-1': undefined,
  'mx-central-1': undefined,
  'sa-east-1': '507241528517',
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-gov-east-1': '190560391635',
  'us-gov-west-1': '048591011584',
  'us-iso-east-1': '770363063475',
  'us-iso-west-1': '121062877647',
  'us-isob-east-1': '740734521339',
  'us-isob-west-1': undefined,
  'us-isof-east-1': '091100254016',
  'us-isof-south-1': '412137745753',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
};
