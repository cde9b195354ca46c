import { DeployRule, referencedLogicalIds, resourcesOf, where } from './deploy-rule';

/**
 * A service whose task count Application Auto Scaling owns leaves `DesiredCount` out of its template, and its
 * scalable target refers to it. CloudFormation creates a service without `DesiredCount` with 1 task and leaves the
 * count alone on updates; a `DesiredCount` in the template is written back on the updates that change it, over the
 * scaled count. Registering the scalable target, which CloudFormation does after the service it refers to, brings
 * the count into `MinCapacity`..`MaxCapacity` at once.
 */
export const AUTOSCALED_SERVICE_OWNS_NO_COUNT: DeployRule = {
  id: 'ecs-autoscaled-service-without-desired-count',
  description: 'an ECS service with a scalable target has no DesiredCount, and the target refers to the service (registered after it)',
  docs: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount',
    'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html',
    'https://docs.aws.amazon.com/autoscaling/application/userguide/getting-started.html',
  ],
  check(app) {
    const violations: string[] = [];
    const targets = [...resourcesOf(app, 'AWS::ApplicationAutoScaling::ScalableTarget')]
      .filter(({ resource }) => resource.Properties?.ScalableDimension === 'ecs:service:DesiredCount');
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::ECS::Service')) {
      const scaledBy = targets.filter((target) =>
        target.stack === stack && referencedLogicalIds(target.resource.Properties?.ResourceId).has(logicalId));
      if (scaledBy.length === 0) continue;
      if (resource.Properties?.DesiredCount !== undefined) {
        violations.push(`${where(stack, logicalId, resource)} sets DesiredCount ${JSON.stringify(resource.Properties.DesiredCount)} ` +
          `although ${scaledBy.map((target) => target.logicalId).join(', ')} scales it: every update that changes it resets the scaled count`);
      }
    }
    for (const { stack, logicalId, resource } of targets) {
      const ids = referencedLogicalIds(resource.Properties?.ResourceId);
      const services = [...ids].filter((id) => stack.template.Resources?.[id]?.Type === 'AWS::ECS::Service');
      if (services.length === 0) {
        violations.push(`${where(stack, logicalId, resource)} names its service without referring to it: it may be registered before the service exists`);
      }
    }
    return violations;
  },
};
