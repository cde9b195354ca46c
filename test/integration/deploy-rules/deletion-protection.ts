import { DeployRule, resourcesOf, where } from './deploy-rule';

/**
 * How each resource type says it is protected from deletion: a protected resource refuses CloudFormation's delete
 * too, so a failed first create ends in ROLLBACK_FAILED and a stack delete in DELETE_FAILED. A stack is protected with
 * CloudFormation termination protection instead, which blocks deleting the stack but not rolling back.
 */
const PROTECTED: Record<string, (properties: Record<string, any>) => boolean> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (properties) => (properties.LoadBalancerAttributes ?? [])
    .some((attribute: { Key: string; Value: unknown }) => attribute.Key === 'deletion_protection.enabled' && String(attribute.Value) === 'true'),
  'AWS::Logs::LogGroup': (properties) => properties.DeletionProtectionEnabled === true || properties.DeletionProtectionEnabled === 'true',
  'AWS::RDS::DBInstance': (properties) => properties.DeletionProtection === true,
  'AWS::RDS::DBCluster': (properties) => properties.DeletionProtection === true,
  'AWS::DynamoDB::Table': (properties) => properties.DeletionProtectionEnabled === true,
  'AWS::EC2::Instance': (properties) => properties.DisableApiTermination === true,
};

/** No resource has a deletion protection of its service's own, which CloudFormation's rollback cannot get past. */
export const NO_DELETION_PROTECTION: DeployRule = {
  id: 'no-deletion-protection',
  description: 'no resource is protected from deletion by its service, which would block rolling back a failed create and destroying the stack',
  docs: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-delete-stack-fails',
  ],
  check(app) {
    return [...resourcesOf(app)]
      .filter(({ resource }) => PROTECTED[resource.Type]?.(resource.Properties ?? {}))
      .map(({ stack, logicalId, resource }) => `${where(stack, logicalId, resource)} is protected from deletion: protect the stack with termination protection instead`);
  },
};
