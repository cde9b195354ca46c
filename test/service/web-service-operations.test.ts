import { Duration, TimeZone } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { exactly, logicalId, onlyProperties, WebServiceFixture } from './web-service.fixtures';
import { CircuitBreakerMode, WebServiceOptions } from '../../src';

const QUEUE_AGE = new cloudwatch.Metric({ namespace: 'App', metricName: 'OldestJobAge', statistic: 'Maximum' });

describe('WebService', () => {
  let fixture: WebServiceFixture;
  beforeEach(() => {
    fixture = new WebServiceFixture();
  });

  function targetGroupAttributes(): Record<string, string> {
    const properties = onlyProperties(fixture.template(), 'AWS::ElasticLoadBalancingV2::TargetGroup');
    return Object.fromEntries(properties.TargetGroupAttributes.map((attribute: { Key: string; Value: string }) => [attribute.Key, attribute.Value]));
  }

  describe('target group health check', () => {
    describe('defaults', () => {
      test('checks every 15 seconds with a 5 second timeout, healthy after 2 and unhealthy after 3', () => {
        fixture.addService();
        fixture.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
          HealthCheckIntervalSeconds: 15,
          HealthCheckTimeoutSeconds: 5,
          HealthyThresholdCount: 2,
          UnhealthyThresholdCount: 3,
        });
      });

      test('deregisters after 30 seconds and has no slow start', () => {
        fixture.addService();
        expect(targetGroupAttributes()).toEqual({ 'deregistration_delay.timeout_seconds': '30', 'stickiness.enabled': 'false' });
      });
    });

    describe('configuration', () => {
      test('uses the provided interval, timeout and thresholds', () => {
        fixture.addService({
          healthCheckInterval: Duration.seconds(30),
          healthCheckTimeout: Duration.seconds(10),
          healthyThresholdCount: 5,
          unhealthyThresholdCount: 2,
        });
        fixture.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
          HealthCheckIntervalSeconds: 30,
          HealthCheckTimeoutSeconds: 10,
          HealthyThresholdCount: 5,
          UnhealthyThresholdCount: 2,
        });
      });

      test.each([0, 300])('uses the provided deregistrationDelay of %s seconds', (seconds) => {
        fixture.addService({ deregistrationDelay: Duration.seconds(seconds) });
        expect(targetGroupAttributes()['deregistration_delay.timeout_seconds']).toBe(String(seconds));
      });

      test.each([30, 120, 900])('ramps new tasks up over the provided slowStart of %s seconds', (seconds) => {
        fixture.addService({ slowStart: Duration.seconds(seconds) });
        expect(targetGroupAttributes()['slow_start.duration_seconds']).toBe(String(seconds));
      });

      test('has no slow start when slowStart is 0', () => {
        fixture.addService({ slowStart: Duration.seconds(0) });
        expect(targetGroupAttributes()['slow_start.duration_seconds']).toBeUndefined();
      });
    });

    describe('validation', () => {
      test.each([4, 301])('fails when healthCheckInterval is %s seconds', (seconds) => {
        expect(() => fixture.addService({ healthCheckInterval: Duration.seconds(seconds) }))
          .toThrow(exactly(`[TestStack/Api] \`healthCheckInterval\` must be an integer between 5 and 300, got: ${seconds}`));
      });

      test.each([1, 121])('fails when healthCheckTimeout is %s seconds', (seconds) => {
        expect(() => fixture.addService({ healthCheckTimeout: Duration.seconds(seconds), healthCheckInterval: Duration.seconds(300) }))
          .toThrow(exactly(`[TestStack/Api] \`healthCheckTimeout\` must be an integer between 2 and 120, got: ${seconds}`));
      });

      test.each([
        [{ healthCheckInterval: Duration.seconds(10), healthCheckTimeout: Duration.seconds(10) }, 10, 10],
        [{ healthCheckTimeout: Duration.seconds(20) }, 15, 20],
        [{ healthCheckInterval: Duration.seconds(5) }, 5, 5],
      ])('fails when healthCheckTimeout is not less than healthCheckInterval (%j)', (options: Partial<WebServiceOptions>, interval, timeout) => {
        expect(() => fixture.addService(options))
          .toThrow(exactly(`[TestStack/Api] \`healthCheckTimeout\` must be less than \`healthCheckInterval\` (${interval} seconds), got: ${timeout}`));
      });

      test.each([1, 11])('fails when healthyThresholdCount is %s', (healthyThresholdCount) => {
        expect(() => fixture.addService({ healthyThresholdCount }))
          .toThrow(exactly(`[TestStack/Api] \`healthyThresholdCount\` must be an integer between 2 and 10, got: ${healthyThresholdCount}`));
      });

      test.each([1, 11])('fails when unhealthyThresholdCount is %s', (unhealthyThresholdCount) => {
        expect(() => fixture.addService({ unhealthyThresholdCount }))
          .toThrow(exactly(`[TestStack/Api] \`unhealthyThresholdCount\` must be an integer between 2 and 10, got: ${unhealthyThresholdCount}`));
      });

      test.each([
        [Duration.seconds(3601), '3601'],
        [Duration.millis(1500), '1.5'],
      ])('fails when deregistrationDelay is %s', (deregistrationDelay, given) => {
        expect(() => fixture.addService({ deregistrationDelay }))
          .toThrow(exactly(`[TestStack/Api] \`deregistrationDelay\` must be an integer between 0 and 3600, got: ${given}`));
      });

      test.each([10, 29, 901])('fails when slowStart is %s seconds', (seconds) => {
        expect(() => fixture.addService({ slowStart: Duration.seconds(seconds) }))
          .toThrow(exactly(`[TestStack/Api] \`slowStart\` must be an integer between 30 and 900 seconds, or 0 for off, got: ${seconds}`));
      });
    });
  });

  describe('deployment', () => {
    describe('defaults', () => {
      test('keeps 100 % healthy, starts up to 200 %, and rolls back through the circuit breaker', () => {
        fixture.addService();
        expect(onlyProperties(fixture.template(), 'AWS::ECS::Service').DeploymentConfiguration).toEqual({
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          Alarms: { AlarmNames: [], Enable: false, Rollback: false },
        });
      });

      test('keeps the desired count out of the template, with every scaling and deployment option given', () => {
        const service = fixture.addService({
          minCapacity: 3,
          maxCapacity: 12,
          targetMemoryUtilizationPercent: 60,
          targetRequestsPerTarget: 1000,
          minHealthyPercent: 50,
          deploymentAlarms: ['api-5xx'],
        });
        service.addScheduledScaling('Night', { schedule: appscaling.Schedule.cron({ hour: '22', minute: '0' }), minCapacity: 1 });
        fixture.template().hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent() });
      });

      test('warns about nothing', () => {
        fixture.addService();
        expect(fixture.warnings()).toEqual([]);
      });
    });

    describe('configuration', () => {
      test('uses the provided minHealthyPercent and maxHealthyPercent', () => {
        fixture.addService({ minHealthyPercent: 50, maxHealthyPercent: 150 });
        fixture.template().hasResourceProperties('AWS::ECS::Service', {
          DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 50, MaximumPercent: 150 }),
        });
      });

      test('accepts a stop-then-start deployment (0 % to 100 %)', () => {
        fixture.addService({ minHealthyPercent: 0, maxHealthyPercent: 100 });
        fixture.template().hasResourceProperties('AWS::ECS::Service', {
          DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 0, MaximumPercent: 100 }),
        });
      });

      test.each([
        [CircuitBreakerMode.ROLLBACK, { Enable: true, Rollback: true }],
        [CircuitBreakerMode.FAIL, { Enable: true, Rollback: false }],
        [CircuitBreakerMode.OFF, { Enable: false, Rollback: false }],
      ])('renders circuitBreaker %s', (circuitBreaker, rendered) => {
        fixture.addService({ circuitBreaker });
        fixture.template().hasResourceProperties('AWS::ECS::Service', {
          DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: rendered }),
        });
      });

      test('warns when the circuit breaker is off', () => {
        fixture.addService({ circuitBreaker: CircuitBreakerMode.OFF });
        expect(fixture.warnings()).toEqual(['/TestStack/Api: the deployment circuit breaker is off: a deployment whose tasks keep '
          + 'failing retries without end and is never rolled back']);
      });

      test('rolls a deployment back when one of the provided deploymentAlarms goes off', () => {
        fixture.addService({ deploymentAlarms: ['api-5xx', 'api-latency'] });
        fixture.template().hasResourceProperties('AWS::ECS::Service', {
          DeploymentConfiguration: Match.objectLike({
            Alarms: { AlarmNames: ['api-5xx', 'api-latency'], Enable: true, Rollback: true },
          }),
        });
      });

      test('takes the name of an alarm of the same stack', () => {
        const alarm = new cloudwatch.Alarm(fixture.stack, 'Errors', { metric: QUEUE_AGE, threshold: 1, evaluationPeriods: 1 });
        fixture.addService({ deploymentAlarms: [alarm.alarmName] });
        fixture.template().hasResourceProperties('AWS::ECS::Service', {
          DeploymentConfiguration: Match.objectLike({
            Alarms: { AlarmNames: [{ Ref: logicalId(alarm) }], Enable: true, Rollback: true },
          }),
        });
      });
    });

    describe('validation', () => {
      test.each([-1, 101, 50.5])('fails when minHealthyPercent is %s', (minHealthyPercent) => {
        expect(() => fixture.addService({ minHealthyPercent }))
          .toThrow(exactly(`[TestStack/Api] \`minHealthyPercent\` must be an integer between 0 and 100, got: ${minHealthyPercent}`));
      });

      test.each([0, 99, 150.5])('fails when maxHealthyPercent is %s', (maxHealthyPercent) => {
        expect(() => fixture.addService({ maxHealthyPercent, minHealthyPercent: 0 }))
          .toThrow(exactly(`[TestStack/Api] \`maxHealthyPercent\` must be an integer of at least 100, got: ${maxHealthyPercent}`));
      });

      test.each([
        [{ maxHealthyPercent: 100 }, 100, 100],
        [{ minHealthyPercent: 100, maxHealthyPercent: 100 }, 100, 100],
      ])('fails when maxHealthyPercent is not above minHealthyPercent (%j)', (options: Partial<WebServiceOptions>, min, max) => {
        expect(() => fixture.addService(options))
          .toThrow(exactly(`[TestStack/Api] \`maxHealthyPercent\` must be above \`minHealthyPercent\` (${min}), or no task could be replaced, got: ${max}`));
      });

      test('fails when deploymentAlarms is empty', () => {
        expect(() => fixture.addService({ deploymentAlarms: [] }))
          .toThrow(exactly('[TestStack/Api] `deploymentAlarms` must be at least one alarm name, or unset, got: []'));
      });

      test.each(['', 'tab\there', 'x'.repeat(256)])('fails when an alarm name is %j', (name) => {
        expect(() => fixture.addService({ deploymentAlarms: ['ok', name] }))
          .toThrow(exactly('[TestStack/Api] `deploymentAlarms[1]` must be a CloudWatch alarm name (1 to 255 characters, no control characters), '
            + `got: ${JSON.stringify(name)}`));
      });
    });
  });

  describe('autoscaling', () => {
    function scalingPolicies(): any[] {
      return Object.values(fixture.template().findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map((policy) => policy.Properties);
    }

    describe('defaults', () => {
      test('tracks CPU only', () => {
        fixture.addService();
        const policies = scalingPolicies();
        expect(policies).toHaveLength(1);
        expect(policies[0].TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification)
          .toEqual({ PredefinedMetricType: 'ECSServiceAverageCPUUtilization' });
      });

      test('has no scheduled actions', () => {
        fixture.addService();
        fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScheduledActions: Match.absent() });
      });
    });

    describe('configuration', () => {
      test('also tracks the provided targetMemoryUtilizationPercent, with the CPU cooldowns', () => {
        fixture.addService({ targetMemoryUtilizationPercent: 65 });
        expect(scalingPolicies()).toHaveLength(2);
        fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
          PolicyName: Match.stringLikeRegexp('MemoryScaling'),
          TargetTrackingScalingPolicyConfiguration: {
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
            TargetValue: 65,
            ScaleInCooldown: 120,
            ScaleOutCooldown: 60,
          },
        });
      });

      test('also tracks the provided targetRequestsPerTarget on the service\'s target group', () => {
        const service = fixture.addService({ targetRequestsPerTarget: 1000 });
        const template = fixture.template();
        const policy = scalingPolicies().find((properties) => /RequestScaling/.test(properties.PolicyName));
        expect(policy.TargetTrackingScalingPolicyConfiguration).toMatchObject({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
          TargetValue: 1000,
          ScaleInCooldown: 120,
          ScaleOutCooldown: 60,
        });
        const label = JSON.stringify(policy.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel);
        expect(label).toContain(logicalId(service.targetGroup));
        expect(label).toContain(logicalId(fixture.loadBalancer.listener));
        template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
      });

      test('adds step scaling on any metric with a 120 second cooldown by default', () => {
        const service = fixture.addService();
        service.addStepScaling('QueueAge', { metric: QUEUE_AGE, steps: [{ upper: 60, change: -1 }, { lower: 300, change: 2 }] });
        const template = fixture.template();
        template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'OldestJobAge',
          Namespace: 'App',
          Statistic: 'Maximum',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 300,
          EvaluationPeriods: 1,
        });
        template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
          PolicyType: 'StepScaling',
          StepScalingPolicyConfiguration: Match.objectLike({ AdjustmentType: 'ChangeInCapacity', Cooldown: 120 }),
        });
        expect(scalingPolicies().filter((policy) => policy.PolicyType === 'StepScaling')).toHaveLength(2);
      });

      test('uses the provided step scaling adjustmentType, cooldown and evaluationPeriods', () => {
        const service = fixture.addService();
        service.addStepScaling('QueueAge', {
          metric: QUEUE_AGE,
          steps: [{ upper: 60, change: -10 }, { lower: 300, change: 50 }],
          adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
          cooldown: Duration.seconds(30),
          evaluationPeriods: 3,
        });
        const template = fixture.template();
        template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 300, EvaluationPeriods: 3 });
        template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
          StepScalingPolicyConfiguration: Match.objectLike({ AdjustmentType: 'PercentChangeInCapacity', Cooldown: 30 }),
        });
      });

      test('adds target tracking on any metric with the CPU cooldowns by default', () => {
        const service = fixture.addService();
        service.addTargetTracking('Backlog', { metric: QUEUE_AGE, targetValue: 120 });
        fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            CustomizedMetricSpecification: { MetricName: 'OldestJobAge', Namespace: 'App', Statistic: 'Maximum' },
            TargetValue: 120,
            ScaleInCooldown: 120,
            ScaleOutCooldown: 60,
            DisableScaleIn: false,
          },
        });
      });

      test('uses the provided target tracking cooldowns and disableScaleIn', () => {
        const service = fixture.addService();
        service.addTargetTracking('Backlog', {
          metric: QUEUE_AGE, targetValue: 0.5, scaleInCooldown: Duration.minutes(10), scaleOutCooldown: Duration.seconds(0), disableScaleIn: true,
        });
        fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
          TargetTrackingScalingPolicyConfiguration: Match.objectLike({
            TargetValue: 0.5, ScaleInCooldown: 600, ScaleOutCooldown: 0, DisableScaleIn: true,
          }),
        });
      });

      test('adds scheduled scaling', () => {
        const service = fixture.addService();
        service.addScheduledScaling('BusinessHours', {
          schedule: appscaling.Schedule.cron({ hour: '8', minute: '0', weekDay: 'MON-FRI' }),
          minCapacity: 4,
          maxCapacity: 10,
          timeZone: TimeZone.EUROPE_BERLIN,
        });
        service.addScheduledScaling('Night', { schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), minCapacity: 0 });
        fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
          ScheduledActions: [
            {
              ScheduledActionName: 'BusinessHours',
              Schedule: 'cron(0 8 ? * MON-FRI *)',
              ScalableTargetAction: { MinCapacity: 4, MaxCapacity: 10 },
              Timezone: 'Europe/Berlin',
            },
            { ScheduledActionName: 'Night', Schedule: 'cron(0 20 * * ? *)', ScalableTargetAction: { MinCapacity: 0 } },
          ],
        });
      });

      test('warns when a schedule raises maxCapacity above what the capacity check plans for', () => {
        const service = fixture.addService({ maxCapacity: 10 });
        service.addScheduledScaling('Peak', { schedule: appscaling.Schedule.cron({ hour: '8', minute: '0' }), maxCapacity: 20 });
        expect(fixture.warnings()).toEqual(['/TestStack/Api: addScheduledScaling(\'Peak\') raises maxCapacity to 20, above the 10 tasks the '
          + 'cluster\'s capacity check plans for']);
      });
    });

    describe('validation', () => {
      test.each(['Mars/Olympus', 'CEST', 'utc'])('fails when addScheduledScaling() is given the time zone %j', (name) => {
        const service = fixture.addService();
        expect(() => service.addScheduledScaling('Night', {
          schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), minCapacity: 0, timeZone: TimeZone.of(name),
        })).toThrow(exactly('[TestStack/Api] `addScheduledScaling(\'Night\').timeZone` must be an IANA time zone name such as "Europe/Berlin" '
          + `or "America/New_York", got: "${name}"`));
      });

      test('fails when addScheduledScaling() is given a cron schedule that never fires', () => {
        const service = fixture.addService();
        expect(() => service.addScheduledScaling('Never', {
          schedule: appscaling.Schedule.cron({ minute: '0', hour: '3', day: '31', month: '2' }), minCapacity: 0,
        })).toThrow(exactly('[TestStack/Api] `addScheduledScaling(\'Never\').schedule` must be a cron expression that can fire (day-of-month '
          + '`31` falls in none of the months `2`, the longest of which has 29 days), got: "cron(0 3 31 2 ? *)"'));
      });

      test.each([9, 91])('fails when targetMemoryUtilizationPercent is %s', (targetMemoryUtilizationPercent) => {
        expect(() => fixture.addService({ targetMemoryUtilizationPercent }))
          .toThrow(exactly(`[TestStack/Api] \`targetMemoryUtilizationPercent\` must be an integer between 10 and 90, got: ${targetMemoryUtilizationPercent}`));
      });

      test.each([0, 1000001, 2.5])('fails when targetRequestsPerTarget is %s', (targetRequestsPerTarget) => {
        expect(() => fixture.addService({ targetRequestsPerTarget }))
          .toThrow(exactly(`[TestStack/Api] \`targetRequestsPerTarget\` must be an integer between 1 and 1000000, got: ${targetRequestsPerTarget}`));
      });

      test('fails when step scaling has fewer than 2 steps', () => {
        const service = fixture.addService();
        expect(() => service.addStepScaling('QueueAge', { metric: QUEUE_AGE, steps: [{ lower: 300, change: 2 }] }))
          .toThrow(exactly('[TestStack/Api] `addStepScaling(\'QueueAge\').steps` must be at least 2 steps (one to scale in, one to scale out, '
            + 'or two to scale out), got: 1'));
      });

      test('fails when the step scaling cooldown is over an hour', () => {
        const service = fixture.addService();
        expect(() => service.addStepScaling('QueueAge', {
          metric: QUEUE_AGE, steps: [{ upper: 60, change: -1 }, { lower: 300, change: 2 }], cooldown: Duration.seconds(3601),
        })).toThrow(exactly('[TestStack/Api] `addStepScaling(\'QueueAge\').cooldown` must be an integer between 0 and 3600, got: 3601'));
      });

      test.each([0, 61])('fails when step scaling evaluationPeriods is %s', (evaluationPeriods) => {
        const service = fixture.addService();
        expect(() => service.addStepScaling('QueueAge', {
          metric: QUEUE_AGE, steps: [{ upper: 60, change: -1 }, { lower: 300, change: 2 }], evaluationPeriods,
        })).toThrow(exactly(`[TestStack/Api] \`addStepScaling('QueueAge').evaluationPeriods\` must be an integer between 1 and 60, got: ${evaluationPeriods}`));
      });

      test.each([0, -1, Number.POSITIVE_INFINITY])('fails when the target tracking targetValue is %s', (targetValue) => {
        const service = fixture.addService();
        expect(() => service.addTargetTracking('Backlog', { metric: QUEUE_AGE, targetValue }))
          .toThrow(exactly(`[TestStack/Api] \`addTargetTracking('Backlog').targetValue\` must be a number above 0, got: ${targetValue}`));
      });

      test.each(['scaleInCooldown', 'scaleOutCooldown'])('fails when the target tracking %s is over an hour', (cooldown) => {
        const service = fixture.addService();
        expect(() => service.addTargetTracking('Backlog', { metric: QUEUE_AGE, targetValue: 1, [cooldown]: Duration.hours(2) }))
          .toThrow(exactly(`[TestStack/Api] \`addTargetTracking('Backlog').${cooldown}\` must be an integer between 0 and 3600, got: 7200`));
      });

      test('fails when scheduled scaling sets neither bound', () => {
        const service = fixture.addService();
        expect(() => service.addScheduledScaling('Night', { schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }) }))
          .toThrow(exactly('[TestStack/Api] `addScheduledScaling(\'Night\')` must be given a `minCapacity`, a `maxCapacity` or both, got: "neither"'));
      });

      test.each([
        [{ minCapacity: -1 }, '`addScheduledScaling(\'Night\').minCapacity` must be an integer between 0 and 1000, got: -1'],
        [{ maxCapacity: 0 }, '`addScheduledScaling(\'Night\').maxCapacity` must be an integer between 1 and 1000, got: 0'],
        [{ maxCapacity: 1001 }, '`addScheduledScaling(\'Night\').maxCapacity` must be an integer between 1 and 1000, got: 1001'],
        [{ minCapacity: 5, maxCapacity: 3 },
          '`addScheduledScaling(\'Night\').maxCapacity` must be at least `addScheduledScaling(\'Night\').minCapacity` (5), got: 3'],
      ])('fails when scheduled scaling has %j', (bounds, message) => {
        const service = fixture.addService();
        expect(() => service.addScheduledScaling('Night', { schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), ...bounds }))
          .toThrow(exactly(`[TestStack/Api] ${message}`));
      });
    });
  });
});
