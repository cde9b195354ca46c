import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PlannedAlarm } from './alarm-plan';
import * as metrics from './platform-metrics';
import { PublicLoadBalancer } from '../../service/public-load-balancer';
import { LoadBalancerAlarmOptions } from '../alarm-options';

/** The alarms of a load balancer: its own 5xx answers, the targets' 5xx rate, the p99 response time and rejected connections. */
export function loadBalancerAlarms(loadBalancer: PublicLoadBalancer, options: LoadBalancerAlarmOptions): PlannedAlarm[] {
  const fullName = loadBalancer.loadBalancer.loadBalancerFullName;
  const count = (prop: 'elb5xxCount' | 'rejectedConnections', id: string, metricName: metrics.LoadBalancerCount, threshold: number,
    condition: string, advice: string): PlannedAlarm => ({
    definition: {
      id,
      prop,
      metric: (period) => metrics.loadBalancerCount(metricName, fullName, period),
      threshold,
      evaluationPeriods: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition,
      unit: '',
      advice,
    },
    options: options[prop],
  });
  return [
    count('elb5xxCount', 'Elb5xxCount', 'HTTPCode_ELB_5XX_Count', 10, 'load balancer 5xx responses',
      'The load balancer itself answers with 5xx: no healthy target, target timeouts or connection errors.'),
    {
      definition: {
        id: 'Target5xxRate',
        prop: 'target5xxRate',
        metric: (period) => metrics.target5xxRate(fullName, period),
        threshold: 5,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'target 5xx responses in percent of requests',
        unit: ' %',
        advice: 'The services behind the load balancer answer with server errors: check their logs.',
      },
      options: options.target5xxRate,
    },
    {
      definition: {
        id: 'TargetResponseTime',
        prop: 'targetResponseTime',
        metric: (period) => metrics.targetResponseTime(fullName, 'p99', period),
        threshold: 2,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'p99 target response time',
        unit: ' s',
        advice: 'The slowest 1 % of requests are slow: check the services\' CPU, their dependencies and their logs.',
      },
      options: options.targetResponseTime,
    },
    count('rejectedConnections', 'RejectedConnections', 'RejectedConnectionCount', 1, 'rejected connections',
      'The load balancer refused connections because it reached its maximum number of connections.'),
  ];
}
