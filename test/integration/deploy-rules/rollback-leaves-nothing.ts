import { DeployRule, resourcesOf, where } from './deploy-rule';

/**
 * A failed create rolls back to nothing: no resource is kept with a plain `DeletionPolicy: Retain`, which CloudFormation
 * honours in the rollback of a failed create too and so leaves behind, to be found and cleaned up by hand.
 * `RetainExceptOnCreate` keeps a resource on a destroy, and deletes it when the operation that created it fails.
 */
export const ROLLBACK_LEAVES_NOTHING: DeployRule = {
  id: 'failed-create-leaves-nothing',
  description: 'no resource has DeletionPolicy Retain, which a failed create would leave behind (RetainExceptOnCreate keeps it on destroy only)',
  docs: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-failure-options.html',
  ],
  check(app) {
    return [...resourcesOf(app)]
      .filter(({ resource }) => resource.DeletionPolicy === 'Retain')
      .map(({ stack, logicalId, resource }) => `${where(stack, logicalId, resource)} has DeletionPolicy Retain: a failed create leaves it behind`);
  },
};
