import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { PlannedAlarm, PlannedAlarms, PlannedNotification } from './alarm-plan';
import * as metrics from './platform-metrics';
import { ScheduledTask } from '../../service/scheduled-task';
import { ScheduledTaskAlarmOptions } from '../alarm-options';

/** The notification of a scheduled task's failed runs, and the alarm on runs that could not be started. */
export function scheduledTaskAlarms(task: ScheduledTask, subject: string, options: ScheduledTaskAlarmOptions): PlannedAlarms {
  const notifications: PlannedNotification[] = [];
  if (options.notifyFailedRuns ?? true) {
    const family = task.taskDefinition.family;
    const familyArnPrefix = Stack.of(task).formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${family}:` });
    notifications.push({
      id: 'FailedRuns',
      description: `Failed runs of ${subject} (ECS task state changes) to the alarm topic`,
      pattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          lastStatus: ['STOPPED'],
          taskDefinitionArn: [{ prefix: familyArnPrefix }],
          $or: [
            { stopCode: ['TaskFailedToStart'] },
            { containers: { exitCode: [{ 'anything-but': 0 }] } },
          ],
        },
      },
      message: events.RuleTargetInput.fromText(`Scheduled task ${subject} failed: task ${events.EventField.fromPath('$.detail.taskArn')} `
        + `stopped with ${events.EventField.fromPath('$.detail.stopCode')}: ${events.EventField.fromPath('$.detail.stoppedReason')}. `
        + 'Check the exit codes of its containers and its logs.'),
    });
  }
  const deadLetterQueueName = task.deadLetterQueue.queueName;
  const alarms: PlannedAlarm[] = [{
    definition: {
      id: 'FailedInvocations',
      prop: 'failedInvocations',
      metric: (period) => metrics.visibleMessages(deadLetterQueueName, 'Failed invocations', period),
      threshold: 0,
      evaluationPeriods: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: 'maximum messages in the dead-letter queue of the trigger',
      unit: '',
      advice: 'Runs could not be started (RunTask failed after its retries): read the messages of the dead-letter queue, then purge it.',
    },
    options: options.failedInvocations,
  }];
  return { alarms, notifications };
}
