import { decodeUserData } from './container-instances';
import { DeployRule, resourcesOf, where } from './deploy-rule';

/** ECS's rule for capacity provider names, in any case: aws-cdk-lib checks lower case only (aws/aws-cdk#29151). */
const RESERVED = /^(aws|ecs|fargate)/i;
const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Every capacity provider has a name ECS accepts. ECS refuses names that start with `aws`, `ecs` or `fargate`, in any
 * case, and names of more than 255 characters or other characters than letters, digits, `_` and `-`. Without a
 * `Name`, CloudFormation generates `<stack name>-<logical id>-<suffix>`, so the stack name must not start with one.
 * A name built with tokens must start with literal text that is safe (a token at the start may be anything).
 */
export const CAPACITY_PROVIDER_NAMES: DeployRule = {
  id: 'ecs-capacity-provider-names',
  description: 'capacity provider names (given, or generated from the stack name) do not start with aws, ecs or fargate in any case',
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-capacityprovider.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::ECS::CapacityProvider')) {
      const name = resource.Properties?.Name;
      const at = where(stack, logicalId, resource);
      if (name === undefined) {
        if (RESERVED.test(stack.stackName)) {
          violations.push(`${at} has no Name, and the name CloudFormation generates (${stack.stackName}-${logicalId}-<suffix>) ` +
            'starts with a reserved word');
        }
        continue;
      }
      if (typeof name === 'string') {
        if (!NAME.test(name) || RESERVED.test(name)) violations.push(`${at} is named ${JSON.stringify(name)}, which ECS refuses`);
        continue;
      }
      // a name with tokens: its literal start decides, once it cannot grow into a reserved word
      const text = decodeUserData({ 'Fn::Base64': name });
      const literal = /^[^<]*/.exec(text)![0];
      const couldGrowReserved = ['aws', 'ecs', 'fargate'].some((word) => word.startsWith(literal.toLowerCase()));
      if (RESERVED.test(literal) || couldGrowReserved) {
        violations.push(`${at} has a name that may start with a reserved word: ${text}`);
      }
    }
    return violations;
  },
};
