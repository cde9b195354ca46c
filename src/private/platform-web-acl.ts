import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { stackInstanceId } from './physical-names';
import { allowCloudWatchLogsToUseKey } from '../shared/log-encryption';
import { KEEP_STATEFUL } from '../shared/removal';

/**
 * The AWS managed rule groups of the web ACL, in the order they are evaluated, with their priorities. Together they
 * take 925 web ACL capacity units, below the 1,500 included in the web ACL's price.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
const MANAGED_RULE_GROUPS: ReadonlyArray<{ readonly name: string; readonly priority: number; readonly countOnly?: string[] }> = [
  // blocks addresses that Amazon threat intelligence reports as bots and attackers (25 WCU)
  { name: 'AWSManagedRulesAmazonIpReputationList', priority: 10 },
  // blocks request patterns of known exploits such as Log4j and Java deserialization (200 WCU)
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', priority: 20 },
  // OWASP-style protections (700 WCU); bodies over 8 KB are counted, not blocked, so that uploads and large API
  // requests reach the services (WAF inspects the first 8 KB of a body on an ALB either way)
  { name: 'AWSManagedRulesCommonRuleSet', priority: 30, countOnly: ['SizeRestrictions_BODY'] },
];

/** Properties of a `PlatformWebAcl`. */
export interface PlatformWebAclProps {
  /** The key that encrypts the log group of the web ACL's logs. */
  readonly logEncryptionKey: kms.IKey;
  /** How long the web ACL's logs are kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * A regional AWS WAF web ACL for the platform's load balancer: requests are allowed unless one of three AWS managed
 * rule groups blocks them (IP reputation, known bad inputs, the common rule set), with CloudWatch metrics and
 * sampled requests for the web ACL and each rule group, and every request logged to an encrypted CloudWatch Logs
 * log group whose name starts with `aws-waf-logs-`, as WAF requires.
 *
 * Internal: created by `EcsPlatform`, which associates it with the load balancer.
 */
export class PlatformWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group of the web ACL's logs. */
  public readonly logGroup: logs.LogGroup;
  /** The logging configuration that sends the web ACL's logs to `logGroup`. */
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: PlatformWebAclProps) {
    super(scope, id);

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      description: 'Requests to the load balancer of an ECS platform: AWS managed rules',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      rules: MANAGED_RULE_GROUPS.map((group) => ({
        name: group.name,
        priority: group.priority,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group.name,
            ruleActionOverrides: group.countOnly?.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
          },
        },
        visibilityConfig: visibility(group.name),
      })),
    });

    allowCloudWatchLogsToUseKey(this, props.logEncryptionKey);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // WAF logs only to log groups named aws-waf-logs-*. The log group is retained, so the stack's instance id makes
      // its name new for each stack created under the same name: a redeploy after a destroy or a failed create
      // does not collide with the log group its predecessor left
      logGroupName: `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 80, separator: '-' })}-${stackInstanceId()}`,
      encryptionKey: props.logEncryptionKey,
      retention: props.logRetention,
      removalPolicy: KEEP_STATEFUL,
    });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // the log group's ARN without the `:*` that its Arn attribute ends with, which WAF refuses
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: this.logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    });
  }
}

/** CloudWatch metrics and sampled requests on, under `metricName`. */
function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}
