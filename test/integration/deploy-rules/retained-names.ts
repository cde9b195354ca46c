import { DeployRule, importedNames, referencedLogicalIds, resourcesOf, where } from './deploy-rule';

/** The property that holds the physical name of each named resource type the library (or a user of it) may retain. */
export const NAME_PROPERTIES: Record<string, string> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
};

/**
 * No retained resource has a fixed physical name. A resource retained when the stack deletes it (after a destroy, or
 * when a failed create rolls back) stays under its name, and the next stack of the same name then fails to create its
 * own ("already exists"). A name is not fixed when CloudFormation generates it, or when it holds the stack's instance
 * id (`AWS::StackId`), which is new for each stack created again under the same name.
 */
export const NO_RETAINED_FIXED_NAMES: DeployRule = {
  id: 'no-retained-fixed-names',
  description: 'no retained resource has a fixed physical name, which the next stack of the same name would collide with',
  docs: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app)) {
      const property = NAME_PROPERTIES[resource.Type];
      const name = property ? resource.Properties?.[property] : undefined;
      if (name === undefined || !/^Retain/.test(resource.DeletionPolicy ?? '')) continue;
      if (referencedLogicalIds(name).has('AWS::StackId')) continue;
      // a name taken from a resource of the stack (or an import) is as new as that resource
      const fromResource = [...referencedLogicalIds(name)].some((id) => !id.startsWith('AWS::'))
        || importedNames(name).length > 0;
      if (fromResource) continue;
      violations.push(`${where(stack, logicalId, resource)} is retained with the fixed name ${JSON.stringify(name)}`);
    }
    return violations;
  },
};
