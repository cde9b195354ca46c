import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allowCloudWatchLogsToUseKey, CLOUDWATCH_LOGS_KEY_SID } from '../../src/shared/log-encryption';
import { testStack } from '../util';

/** The statements of a key's policy, resolved. */
function keyStatements(stack: Stack, key: kms.Key): { Sid?: string }[] {
  const resources = stack.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy);
  return resources.Statement;
}

describe('allowCloudWatchLogsToUseKey', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });

  test('adds the statement to a key of the same stack and says so', () => {
    const key = new kms.Key(stack, 'Key');
    expect(allowCloudWatchLogsToUseKey(stack, key)).toBe(true);
    expect(keyStatements(stack, key).filter((statement) => statement.Sid === CLOUDWATCH_LOGS_KEY_SID)).toHaveLength(1);
  });

  test('adds it once, however often it is called', () => {
    const key = new kms.Key(stack, 'Key');
    expect(allowCloudWatchLogsToUseKey(stack, key)).toBe(true);
    expect(allowCloudWatchLogsToUseKey(stack, key)).toBe(true);
    expect(keyStatements(stack, key).filter((statement) => statement.Sid === CLOUDWATCH_LOGS_KEY_SID)).toHaveLength(1);
  });

  test('finds a statement with its Sid in a key created with its own policy', () => {
    const policy = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        sid: CLOUDWATCH_LOGS_KEY_SID,
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:*'],
        resources: ['*'],
      })],
    });
    const key = new kms.Key(stack, 'Key', { policy });
    expect(allowCloudWatchLogsToUseKey(stack, key)).toBe(true);
    expect(keyStatements(stack, key).filter((statement) => statement.Sid === CLOUDWATCH_LOGS_KEY_SID)).toHaveLength(1);
  });

  test('cannot change an imported key', () => {
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(allowCloudWatchLogsToUseKey(stack, key)).toBe(false);
  });

  test('leaves a key of another stack as it is', () => {
    const other = new Stack(stack.node.root, 'Other');
    const key = new kms.Key(other, 'Key');
    expect(allowCloudWatchLogsToUseKey(stack, key)).toBe(false);
    expect(keyStatements(other, key).filter((statement) => statement.Sid === CLOUDWATCH_LOGS_KEY_SID)).toEqual([]);
  });
});
