import { appOf } from './deploy-rule';
import { servicesWithRolesInReadme, servicesWithRolesNeeded, SERVICE_LINKED_ROLES } from './service-linked-roles';

const SCALABLE_TARGET_ROLE = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' },
    ':role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService']],
};

test('finds the roles a cluster, a capacity provider, a group and a scalable target need', () => {
  const app = appOf({
    Resources: {
      Cluster: { Type: 'AWS::ECS::Cluster' },
      Provider: { Type: 'AWS::ECS::CapacityProvider' },
      Group: { Type: 'AWS::AutoScaling::AutoScalingGroup' },
      Target: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { RoleARN: SCALABLE_TARGET_ROLE } },
    },
  });
  expect([...servicesWithRolesNeeded(app)].sort()).toEqual(['autoscaling.amazonaws.com', 'ecs.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com']);
});

test('reads the roles the README creates from its Deploying section only', () => {
  const readme = '## Use\naws iam create-service-linked-role --aws-service-name spot.amazonaws.com\n## Deploying\n' +
    '    aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com\n## Next\n';
  expect([...servicesWithRolesInReadme(readme)]).toEqual(['ecs.amazonaws.com']);
});

test('a role no README step creates breaks the rule', () => {
  const app = appOf({ Resources: { Thing: { Type: 'AWS::Custom::Thing', Properties: { Role: 'arn:aws:iam::123456789012:role/aws-service-role/nosuch.amazonaws.com/X' } } } });
  expect(SERVICE_LINKED_ROLES.check(app)).toEqual([
    'the stacks need the service-linked role of nosuch.amazonaws.com, which the README\'s Deploying steps do not create',
  ]);
});
