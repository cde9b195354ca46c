/**
 * The handler of the `AmiUpdateAlerts` function: CommonJS for the Node.js runtime, written into the template
 * (`ZipFile`) by `InlineFunction`. It uses only the AWS SDK v3 clients that the Lambda Node.js runtime ships.
 *
 * Invoked by the SNS subscription to AWS's `ecs-optimized-amazon-ami-update` topic, it:
 * 1. republishes each message (subject and body) to `TOPIC_ARN`, when set;
 * 2. starts an instance refresh of every Auto Scaling group named in `ASG_NAMES` (a JSON array), with
 *    `MIN_HEALTHY_PERCENTAGE` and, when set, `INSTANCE_WARMUP_SECONDS`. Instances protected from scale in
 *    (ECS managed termination protection) are replaced too (`ScaleInProtectedInstances: Refresh`; the API's
 *    default waits an hour, then fails): ECS managed draining moves their tasks first. A group that is already
 *    refreshing is logged and skipped.
 *
 * Any other failure is logged, the remaining work still runs, and the invocation then fails, so that it shows in
 * the function's error metrics and Lambda retries it (a retry finds the started refreshes in progress).
 */
export const AMI_ALERT_HANDLER_CODE = `'use strict';
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const { AutoScalingClient, StartInstanceRefreshCommand } = require('@aws-sdk/client-auto-scaling');

const sns = new SNSClient({});
const autoScaling = new AutoScalingClient({});
const DEFAULT_SUBJECT = 'New Amazon ECS-optimized AMI';

// SNS subjects are at most 100 printable ASCII characters, without line breaks
function subjectOf(subject) {
  const clean = String(subject || '').replace(/[^\\x20-\\x7e]+/g, ' ').trim().slice(0, 100);
  return clean || DEFAULT_SUBJECT;
}

async function relay(records, topicArn, failures) {
  for (const record of records) {
    const message = record.Sns || {};
    try {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subjectOf(message.Subject), Message: message.Message }));
      console.info('relayed message %s to %s', message.MessageId, topicArn);
    } catch (error) {
      console.error('relaying message %s to %s failed: %s', message.MessageId, topicArn, error);
      failures.push('relay of message ' + message.MessageId);
    }
  }
}

async function refresh(names, preferences, failures) {
  for (const name of names) {
    try {
      const result = await autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: name, Preferences: preferences }));
      console.info('started instance refresh %s of %s', result.InstanceRefreshId, name);
    } catch (error) {
      if (/^InstanceRefreshInProgress/.test(error.name || '')) {
        console.warn('%s is already refreshing, skipped: %s', name, error.message);
      } else {
        console.error('starting an instance refresh of %s failed: %s', name, error);
        failures.push('instance refresh of ' + name);
      }
    }
  }
}

exports.handler = async (event) => {
  const env = process.env;
  const failures = [];
  if (env.TOPIC_ARN) {
    await relay((event && event.Records) || [], env.TOPIC_ARN, failures);
  }
  const names = JSON.parse(env.ASG_NAMES || '[]');
  if (names.length > 0) {
    const preferences = { MinHealthyPercentage: Number(env.MIN_HEALTHY_PERCENTAGE), ScaleInProtectedInstances: 'Refresh' };
    if (env.INSTANCE_WARMUP_SECONDS) preferences.InstanceWarmup = Number(env.INSTANCE_WARMUP_SECONDS);
    await refresh(names, preferences, failures);
  }
  if (failures.length > 0) {
    throw new Error('AMI update handling failed: ' + failures.join('; '));
  }
};
`;
