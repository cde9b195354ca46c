import { NO_DELETION_PROTECTION } from './deletion-protection';
import { appOf } from './deploy-rule';

function loadBalancer(enabled: string) {
  return appOf({
    Resources: {
      Lb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { LoadBalancerAttributes: [{ Key: 'deletion_protection.enabled', Value: enabled }, { Key: 'routing.http2.enabled', Value: 'true' }] },
      },
    },
  });
}

test('a load balancer with deletion protection breaks the rule', () => {
  expect(NO_DELETION_PROTECTION.check(loadBalancer('true'))).toEqual([
    'TestStack/Lb (AWS::ElasticLoadBalancingV2::LoadBalancer) is protected from deletion: protect the stack with termination protection instead',
  ]);
});

test('a protected log group breaks the rule', () => {
  expect(NO_DELETION_PROTECTION.check(appOf({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { DeletionProtectionEnabled: true } } } })))
    .toHaveLength(1);
});

test('a load balancer without deletion protection, and a stack with termination protection, keep the rule', () => {
  expect(NO_DELETION_PROTECTION.check(loadBalancer('false'))).toEqual([]);
  expect(NO_DELETION_PROTECTION.check(appOf({ Resources: {} }, 'Platform', true))).toEqual([]);
});
