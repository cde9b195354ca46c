import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { mergeAlarmOptions, PlannedAlarm, PlannedAlarms, PlannedNotification } from './alarm-plan';
import * as metrics from './platform-metrics';
import { WebService } from '../../service/web-service';
import { AlarmOptions, ServiceAlarmOptions, WebServiceAlarmOptions } from '../alarm-options';

/**
 * The alarms of any ECS service (CPU and memory utilization, tasks below the desired count) and its failed deployment
 * notification, with `options` over `defaults` (`serviceDefaults`).
 */
export function serviceAlarms(subject: string, service: ecs.BaseService, defaults: ServiceAlarmOptions, options: ServiceAlarmOptions): PlannedAlarms {
  const clusterName = service.cluster.clusterName;
  const serviceName = service.serviceName;
  const merged = mergeServiceOptions(defaults, options);
  const utilization = (resource: 'CPU' | 'Memory'): PlannedAlarm => ({
    definition: {
      id: `${resource === 'CPU' ? 'Cpu' : 'Memory'}Utilization`,
      prop: resource === 'CPU' ? 'cpuUtilization' : 'memoryUtilization',
      metric: (period) => metrics.serviceUtilization(resource, clusterName, serviceName, period),
      threshold: 90,
      evaluationPeriods: 3,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: resource === 'CPU' ? 'average CPU utilization' : 'maximum memory utilization',
      unit: ' %',
      advice: resource === 'CPU'
        ? 'The tasks use nearly all the CPU they reserve: check autoscaling (maxCapacity) and the task\'s cpu.'
        : 'A task is close to its memory limit and may be stopped with OutOfMemoryError: check for leaks or raise memoryLimitMiB.',
    },
    options: resource === 'CPU' ? merged.cpuUtilization : merged.memoryUtilization,
  });
  const insightsOff = containerInsightsOf(service.cluster) === ecs.ContainerInsights.DISABLED;
  const alarms: PlannedAlarm[] = [utilization('CPU'), utilization('Memory'), {
    definition: {
      id: 'TasksBelowDesired',
      prop: 'tasksBelowDesired',
      metric: (period) => metrics.missingTasks(clusterName, serviceName, period),
      threshold: 1,
      evaluationPeriods: 3,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
      condition: 'desired minus running tasks (averages)',
      unit: '',
      advice: 'Tasks fail to start or to stay up: check the service\'s events and its stopped tasks.',
      warning: insightsOff ? {
        id: 'containerInsights',
        message: `the cluster of ${subject} has Container Insights disabled: the tasksBelowDesired alarm gets no data `
          + '(enable Container Insights, or turn the alarm off)',
      } : undefined,
    },
    options: merged.tasksBelowDesired,
  }];
  const notifications: PlannedNotification[] = !(merged.notifyFailedDeployments ?? true) ? [] : [{
    id: 'FailedDeployments',
    description: `Failed deployments of ${subject} (rolled back by the circuit breaker) to the alarm topic`,
    pattern: {
      source: ['aws.ecs'],
      detailType: ['ECS Deployment State Change'],
      resources: [service.serviceArn],
      detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
    },
    message: events.RuleTargetInput.fromText(`Deployment ${events.EventField.fromPath('$.detail.deploymentId')} of ${subject} failed `
      + `and is rolled back: ${events.EventField.fromPath('$.detail.reason')}. Check the service's events and its stopped tasks.`),
  }];
  return { alarms, notifications };
}

/** The alarm of a web service's target group: unhealthy targets. */
export function unhealthyTargetsAlarm(service: WebService, options: WebServiceAlarmOptions): PlannedAlarm {
  const targetGroup = service.targetGroup;
  return {
    definition: {
      id: 'UnhealthyTargets',
      prop: 'unhealthyTargets',
      metric: (period) => metrics.targetGroupHosts('UnHealthy', targetGroup.firstLoadBalancerFullName, targetGroup.targetGroupFullName, period),
      threshold: 1,
      evaluationPeriods: 3,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: 'maximum unhealthy targets',
      unit: '',
      advice: 'Targets fail the load balancer health check: check the health check path and the service\'s logs.',
    },
    options: options.unhealthyTargets,
  };
}

/** The alarm options of a `ServiceAlarmOptions`, by prop name. */
export function serviceAlarmEntries(options: ServiceAlarmOptions): [string, AlarmOptions | undefined][] {
  return [
    ['cpuUtilization', options.cpuUtilization],
    ['memoryUtilization', options.memoryUtilization],
    ['tasksBelowDesired', options.tasksBelowDesired],
  ];
}

/** `options` over `defaults`, field by field; a field left undefined keeps the default's. */
function mergeServiceOptions(defaults: ServiceAlarmOptions, options: ServiceAlarmOptions): ServiceAlarmOptions {
  return {
    cpuUtilization: mergeAlarmOptions(defaults.cpuUtilization, options.cpuUtilization),
    memoryUtilization: mergeAlarmOptions(defaults.memoryUtilization, options.memoryUtilization),
    tasksBelowDesired: mergeAlarmOptions(defaults.tasksBelowDesired, options.tasksBelowDesired),
    notifyFailedDeployments: options.notifyFailedDeployments ?? defaults.notifyFailedDeployments,
  };
}

/** The Container Insights setting of a cluster this app defines; undefined for an imported cluster or the account default. */
function containerInsightsOf(cluster: ecs.ICluster): string | undefined {
  const cfnCluster = cluster.node.defaultChild;
  if (!(cfnCluster instanceof ecs.CfnCluster)) return undefined;
  const settings = Stack.of(cluster).resolve(cfnCluster.clusterSettings) as { name?: string; value?: string }[] | undefined;
  return settings?.find((setting) => setting.name === 'containerInsights')?.value;
}
