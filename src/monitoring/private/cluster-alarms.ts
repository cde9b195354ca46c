import { Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PlannedAlarm } from './alarm-plan';
import * as metrics from './platform-metrics';
import { Ec2Capacity } from '../../cluster/ec2-capacity';
import { EcsCluster } from '../../cluster/ecs-cluster';
import { CapacityAlarmOptions, ClusterAlarmOptions } from '../alarm-options';

/** The alarms of a cluster itself: its CPU and memory reservation. */
export function clusterAlarms(cluster: EcsCluster, options: ClusterAlarmOptions): PlannedAlarm[] {
  const clusterName = cluster.clusterName;
  const reservation = (resource: 'CPU' | 'Memory'): PlannedAlarm => ({
    definition: {
      id: `${resource === 'CPU' ? 'Cpu' : 'Memory'}Reservation`,
      prop: resource === 'CPU' ? 'cpuReservation' : 'memoryReservation',
      metric: (period) => metrics.clusterReservation(resource, clusterName, period),
      threshold: 90,
      evaluationPeriods: 3,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `average ${resource} reservation`,
      unit: ' %',
      advice: `Tasks reserve nearly all ${resource} of the container instances: check that managed scaling can add instances (maxCapacity).`,
    },
    options: resource === 'CPU' ? options.cpuReservation : options.memoryReservation,
  });
  return [reservation('CPU'), reservation('Memory')];
}

/** The alarms of one capacity of a cluster: tasks waiting for instances, and the Auto Scaling group at its maximum. */
export function capacityAlarms(cluster: EcsCluster, capacity: Ec2Capacity, subject: string, options: CapacityAlarmOptions): PlannedAlarm[] {
  const clusterName = cluster.clusterName;
  return [
    {
      definition: {
        id: 'ProviderReservation',
        prop: 'capacityProviderReservation',
        metric: (period) => metrics.capacityProviderReservation(clusterName, capacity.capacityProvider.capacityProviderName,
          capacity.node.id, period),
        threshold: 100,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'minimum capacity provider reservation',
        unit: ' %',
        advice: 'Tasks are waiting for container instances that do not arrive: check the Auto Scaling group\'s activity '
          + '(maxCapacity, launch failures, Spot capacity).',
      },
      options: options.capacityProviderReservation,
    },
    {
      definition: {
        id: 'InstancesAtMaximum',
        prop: 'instancesAtMaximum',
        metric: (period) => metrics.groupInServiceInstances(capacity.autoScalingGroup.autoScalingGroupName, capacity.node.id, period),
        threshold: capacity.maxCapacity,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
        condition: 'minimum in-service instances',
        unit: '',
        advice: 'The Auto Scaling group runs its maximum number of instances: raise maxCapacity before tasks cannot be placed.',
        warning: collectsInServiceInstances(capacity.autoScalingGroup) ? undefined : {
          id: 'groupMetrics',
          message: `the Auto Scaling group of ${subject} does not collect group metrics: the instancesAtMaximum alarm gets no data `
            + '(enable GroupInServiceInstances in its metrics collection, or turn the alarm off)',
        },
      },
      options: options.instancesAtMaximum,
    },
  ];
}

/** Whether the group collects `GroupInServiceInstances` (a collection without a metric list collects all). */
function collectsInServiceInstances(group: autoscaling.AutoScalingGroup): boolean {
  const cfnGroup = group.node.defaultChild as autoscaling.CfnAutoScalingGroup;
  const collections = Stack.of(group).resolve(cfnGroup.metricsCollection) as { metrics?: string[] }[] | undefined;
  return (collections ?? []).some((collection) => !collection.metrics || collection.metrics.includes('GroupInServiceInstances'));
}
