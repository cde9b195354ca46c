import { Aws, CfnCondition, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
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
  for (const region of [...RegionInfo.regions].sort((a, b) => a.name.localeCompare(b.name))) {
    mapping[region.name] = { account: region.elbv2Account ?? NO_ACCOUNT };
  }
  return mapping;
}
