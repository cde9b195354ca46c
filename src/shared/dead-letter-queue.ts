import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KEEP_STATEFUL } from './removal';

/**
 * The library's dead-letter queue: SQS-managed encryption, TLS only, messages kept 14 days (a message keeps its
 * first enqueue time when it moves to a dead-letter queue, so keep it well beyond its source's retention).
 */
export function newDeadLetterQueue(scope: Construct, id: string, removalPolicy: RemovalPolicy = KEEP_STATEFUL): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
}
