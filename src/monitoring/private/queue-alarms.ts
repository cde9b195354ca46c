import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PlannedAlarm } from './alarm-plan';
import * as metrics from './platform-metrics';
import { QueueAlarmOptions } from '../alarm-options';

/** The alarms of a queue and its dead-letter queue. */
export function queueAlarms(queue: sqs.IQueue, deadLetterQueue: sqs.IQueue | undefined, options: QueueAlarmOptions): PlannedAlarm[] {
  const queueName = queue.queueName;
  const alarms: PlannedAlarm[] = [{
    definition: {
      id: 'OldestMessageAge',
      prop: 'oldestMessageAge',
      metric: (period) => metrics.oldestMessageAge(queueName, period),
      threshold: 900,
      evaluationPeriods: 2,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: 'maximum age of the oldest message',
      unit: ' s',
      advice: 'Jobs wait too long: the workers do not keep up (maxCapacity) or fail on the jobs.',
    },
    options: options.oldestMessageAge,
  }];
  if (deadLetterQueue) {
    const deadLetterQueueName = deadLetterQueue.queueName;
    alarms.push({
      definition: {
        id: 'DeadLetterMessages',
        prop: 'deadLetterMessages',
        metric: (period) => metrics.visibleMessages(deadLetterQueueName, 'Dead-letter messages', period),
        threshold: 0,
        evaluationPeriods: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'maximum messages in the dead-letter queue',
        unit: '',
        advice: 'Jobs failed maxReceiveCount times and moved to the dead-letter queue: inspect them, fix the cause and redrive them.',
      },
      options: options.deadLetterMessages,
    });
  }
  return alarms;
}
