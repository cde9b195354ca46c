import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/**
 * The CloudWatch metrics of the platform, in one place: `PlatformAlarms` alarms on them and `PlatformDashboard`
 * graphs them, so an alarm and the graph of what it watches can never drift apart. Every factory takes the
 * dimension values as strings (tokens are fine) and the period, and returns a new metric object. No metric sets
 * a unit: an alarm whose unit differs from the one the service publishes with never gets data.
 */

/** The period of every platform metric unless an alarm is tuned: 5 minutes, the resolution of the SQS metrics. */
export const DEFAULT_PERIOD = Duration.minutes(5);

/** `AWS/ECS` `CPUReservation` or `MemoryReservation` of a cluster, in percent of the registered instances' resources (average). */
export function clusterReservation(resource: 'CPU' | 'Memory', clusterName: string, period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ECS',
    metricName: `${resource}Reservation`,
    dimensionsMap: { ClusterName: clusterName },
    statistic: cloudwatch.Stats.AVERAGE,
    period,
    label: `${resource === 'CPU' ? 'CPU' : 'Memory'} reservation`,
  });
}

/**
 * `AWS/ECS/ManagedScaling` `CapacityProviderReservation`: instances needed / instances running, in percent
 * (minimum). Above 100, tasks are waiting for instances that have not arrived.
 */
export function capacityProviderReservation(clusterName: string, capacityProviderName: string, label: string,
  period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ECS/ManagedScaling',
    metricName: 'CapacityProviderReservation',
    dimensionsMap: { ClusterName: clusterName, CapacityProviderName: capacityProviderName },
    statistic: cloudwatch.Stats.MINIMUM,
    period,
    label,
  });
}

/** `AWS/AutoScaling` `GroupInServiceInstances` (minimum); needs the group's metrics collection. */
export function groupInServiceInstances(autoScalingGroupName: string, label: string, period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/AutoScaling',
    metricName: 'GroupInServiceInstances',
    dimensionsMap: { AutoScalingGroupName: autoScalingGroupName },
    statistic: cloudwatch.Stats.MINIMUM,
    period,
    label,
  });
}

/**
 * `AWS/ECS` `CPUUtilization` (average over the service's tasks) or `MemoryUtilization` (maximum: the task
 * closest to its memory limit) of a service, in percent of what the tasks reserve.
 */
export function serviceUtilization(resource: 'CPU' | 'Memory', clusterName: string, serviceName: string,
  period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ECS',
    metricName: `${resource}Utilization`,
    dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
    statistic: resource === 'CPU' ? cloudwatch.Stats.AVERAGE : cloudwatch.Stats.MAXIMUM,
    period,
    label: resource === 'CPU' ? 'CPU utilization (average)' : 'Memory utilization (maximum)',
  });
}

/** `ECS/ContainerInsights` `RunningTaskCount` or `DesiredTaskCount` of a service (average). */
export function serviceTaskCount(which: 'Running' | 'Desired', clusterName: string, serviceName: string,
  period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: `${which}TaskCount`,
    dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
    statistic: cloudwatch.Stats.AVERAGE,
    period,
    label: `${which} tasks`,
  });
}

/** Desired minus running tasks of a service: at least 1 when a task is missing for a whole period. */
export function missingTasks(clusterName: string, serviceName: string, period: Duration = DEFAULT_PERIOD): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'desired - running',
    usingMetrics: {
      desired: serviceTaskCount('Desired', clusterName, serviceName, period),
      running: serviceTaskCount('Running', clusterName, serviceName, period),
    },
    period,
    label: 'Desired tasks not running',
  });
}

/** The `AWS/ApplicationELB` count metrics of a load balancer that this library reads (sum). */
export type LoadBalancerCount = 'RequestCount' | 'HTTPCode_ELB_5XX_Count' | 'HTTPCode_Target_5XX_Count' | 'RejectedConnectionCount';

const COUNT_LABELS: Record<LoadBalancerCount, string> = {
  RequestCount: 'Requests',
  HTTPCode_ELB_5XX_Count: 'Load balancer 5xx',
  HTTPCode_Target_5XX_Count: 'Target 5xx',
  RejectedConnectionCount: 'Rejected connections',
};

/** A count of a load balancer (sum), such as `RequestCount` or `HTTPCode_ELB_5XX_Count`. */
export function loadBalancerCount(metricName: LoadBalancerCount, loadBalancerFullName: string,
  period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName,
    dimensionsMap: { LoadBalancer: loadBalancerFullName },
    statistic: cloudwatch.Stats.SUM,
    period,
    label: COUNT_LABELS[metricName],
  });
}

/** Target 5xx responses in percent of requests; periods without errors count as 0 %, periods without requests as no data. */
export function target5xxRate(loadBalancerFullName: string, period: Duration = DEFAULT_PERIOD): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: {
      errors: loadBalancerCount('HTTPCode_Target_5XX_Count', loadBalancerFullName, period),
      requests: loadBalancerCount('RequestCount', loadBalancerFullName, period),
    },
    period,
    label: 'Target 5xx rate (%)',
  });
}

/** `AWS/ApplicationELB` `TargetResponseTime` of a load balancer at a percentile such as `p99`, in seconds. */
export function targetResponseTime(loadBalancerFullName: string, percentile: string, period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName: 'TargetResponseTime',
    dimensionsMap: { LoadBalancer: loadBalancerFullName },
    statistic: percentile,
    period,
    label: `Target response time ${percentile}`,
  });
}

/** `AWS/ApplicationELB` `UnHealthyHostCount` or `HealthyHostCount` of a target group (maximum, minimum). */
export function targetGroupHosts(health: 'UnHealthy' | 'Healthy', loadBalancerFullName: string, targetGroupFullName: string,
  period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName: `${health}HostCount`,
    dimensionsMap: { LoadBalancer: loadBalancerFullName, TargetGroup: targetGroupFullName },
    statistic: health === 'UnHealthy' ? cloudwatch.Stats.MAXIMUM : cloudwatch.Stats.MINIMUM,
    period,
    label: health === 'UnHealthy' ? 'Unhealthy targets' : 'Healthy targets',
  });
}

/** `AWS/ApplicationELB` `TargetResponseTime` of a target group at a percentile such as `p99`, in seconds. */
export function targetGroupResponseTime(loadBalancerFullName: string, targetGroupFullName: string, percentile: string,
  period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName: 'TargetResponseTime',
    dimensionsMap: { LoadBalancer: loadBalancerFullName, TargetGroup: targetGroupFullName },
    statistic: percentile,
    period,
    label: `Target response time (${percentile})`,
  });
}

/** `AWS/SQS` `ApproximateAgeOfOldestMessage` of a queue (maximum), in seconds. */
export function oldestMessageAge(queueName: string, period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensionsMap: { QueueName: queueName },
    statistic: cloudwatch.Stats.MAXIMUM,
    period,
    label: 'Age of oldest message',
  });
}

/** `AWS/SQS` `ApproximateNumberOfMessagesVisible` of a queue (maximum). */
export function visibleMessages(queueName: string, label: string, period: Duration = DEFAULT_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensionsMap: { QueueName: queueName },
    statistic: cloudwatch.Stats.MAXIMUM,
    period,
    label,
  });
}

/**
 * How the alarms and the dashboard name a monitored construct: its path without the path of `from`'s stack when it
 * lives there (`Api`, `Platform/Api`), else its full path.
 */
export function displayPath(construct: IConstruct, from: IConstruct): string {
  const prefix = `${Stack.of(from).node.path}/`;
  const path = construct.node.path;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * Every time series like `metric` (its namespace, metric name, dimension names, statistic and period) whose
 * dimensions have the values in `exact` (tokens welcome) and, with `partial`, whose dimension `partial.name`
 * contains `partial.value` as a word: one line each, up to 500, labelled by their dimension values. A graph of it
 * stays the same size however many services, target groups or queues match, and never names one of them.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html
 */
export function searchLike(metric: cloudwatch.Metric, exact: Record<string, string>,
  partial?: { readonly name: string; readonly value: string }): cloudwatch.SearchExpression {
  const schema = [metric.namespace, ...Object.keys(metric.dimensions ?? {})].join(',');
  const terms = [
    `MetricName="${metric.metricName}"`,
    ...Object.entries(exact).map(([name, value]) => `${name}="${value}"`),
    ...partial ? [`${partial.name}=${partial.value}`] : [],
  ];
  return new cloudwatch.SearchExpression({
    expression: `SEARCH('{${schema}} ${terms.join(' ')}', '${metric.statistic}', ${metric.period.toSeconds()})`,
    // no label of the expression's own (else aws-cdk-lib labels it with the expression): each line is then named by
    // its dimension values
    label: '',
    period: metric.period,
  });
}
