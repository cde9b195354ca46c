import { appOf, Template } from './deploy-rule';
import { AUTOSCALED_SERVICE_OWNS_NO_COUNT } from './ecs-desired-count';

/** A service and a scalable target of its task count, as CDK renders them. */
function template(serviceProperties: Record<string, unknown>, resourceId: unknown): Template {
  return {
    Resources: {
      Service: { Type: 'AWS::ECS::Service', Properties: { Cluster: { Ref: 'Cluster' }, ...serviceProperties } },
      Target: {
        Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
        Properties: { MinCapacity: 2, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount', ServiceNamespace: 'ecs', ResourceId: resourceId },
      },
    },
  };
}

const RESOURCE_ID = { 'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': ['Service', 'Name'] }]] };

test('an autoscaled service with a DesiredCount breaks the rule', () => {
  expect(AUTOSCALED_SERVICE_OWNS_NO_COUNT.check(appOf(template({ DesiredCount: 1 }, RESOURCE_ID)))).toEqual([
    'TestStack/Service (AWS::ECS::Service) sets DesiredCount 1 although Target scales it: every update that changes it resets the scaled count',
  ]);
});

test('a scalable target that names its service without referring to it breaks the rule', () => {
  expect(AUTOSCALED_SERVICE_OWNS_NO_COUNT.check(appOf(template({}, 'service/cluster/api')))).toEqual([
    'TestStack/Target (AWS::ApplicationAutoScaling::ScalableTarget) names its service without referring to it: it may be registered before the service exists',
  ]);
});

test('an autoscaled service without DesiredCount, referred to by its target, keeps the rule', () => {
  expect(AUTOSCALED_SERVICE_OWNS_NO_COUNT.check(appOf(template({}, RESOURCE_ID)))).toEqual([]);
});

test('a service nothing scales may set its DesiredCount', () => {
  const app = appOf({ Resources: { Service: { Type: 'AWS::ECS::Service', Properties: { DesiredCount: 3 } } } });
  expect(AUTOSCALED_SERVICE_OWNS_NO_COUNT.check(app)).toEqual([]);
});
