import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/** The Sid of the key policy statement that lets CloudWatch Logs use a key for the log groups of its account and region. */
export const CLOUDWATCH_LOGS_KEY_SID = 'AllowCloudWatchLogsToEncryptLogGroups';

/**
 * Lets CloudWatch Logs use `key` for the log groups of the key's account and region, once per key (a second call
 * finds the statement by its Sid). A specific log group ARN would make the key and the log group depend on each
 * other. Only a key of a stack in `scope`'s account and region is changed (the statement is the same for any of them).
 *
 * @returns whether the key policy allows it: false for a key of another environment or an imported key
 */
export function allowCloudWatchLogsToUseKey(scope: IConstruct, key: kms.IKey): boolean {
  const stack = Stack.of(key);
  const consumer = Stack.of(scope);
  // the statement names the key's account and region only: it serves a log group in any stack of that environment
  if (stack.account !== consumer.account || stack.region !== consumer.region) return false;
  if (KEYS_FOR_LOGS.has(key) || keyPolicySids(key).includes(CLOUDWATCH_LOGS_KEY_SID)) return true;
  const added = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: CLOUDWATCH_LOGS_KEY_SID,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  })).statementAdded;
  if (added) KEYS_FOR_LOGS.add(key);
  return added;
}

/** The keys whose policy has the CloudWatch Logs statement, so that a platform of many workloads reads it once. */
const KEYS_FOR_LOGS = new WeakSet<kms.IKey>();

/** The Sids of the statements in a key's policy (`kms.Key` keeps its policy document in a protected property). */
function keyPolicySids(key: kms.IKey): string[] {
  const policy = (key as unknown as { readonly policy?: iam.PolicyDocument }).policy;
  const statements: { Sid?: string }[] = policy?.toJSON()?.Statement ?? [];
  return statements.flatMap((statement) => (statement.Sid ? [statement.Sid] : []));
}
