import { DeployRule, DeployStack, resourcesOf, walk, where } from './deploy-rule';

/** Resource types whose policy names principals, and the property that holds the policy. */
const POLICY_PROPERTIES: Record<string, string> = {
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::ECR::Repository': 'RepositoryPolicyText',
  'AWS::IAM::Role': 'AssumeRolePolicyDocument',
  'AWS::Logs::ResourcePolicy': 'PolicyDocument',
  'AWS::Events::EventBusPolicy': 'Statement',
};

/**
 * No key or resource policy names, as its principal, an IAM role or user that may not exist when the policy is
 * created: KMS refuses such a key policy ("invalid principals"), and IAM, SNS, SQS, S3 and ECR refuse such policies too
 * ("Invalid principal in policy"). A principal exists for sure when it is an account, a service, `*`, or a role or user
 * that the same stack creates (a `Ref` or `Fn::GetAtt`, which CloudFormation creates first) or an earlier stack exports.
 * A role that may not exist yet, such as a service-linked role, goes in an `aws:PrincipalArn` condition instead.
 */
export const PRINCIPALS_EXIST: DeployRule = {
  id: 'policy-principals-exist',
  description: 'no key or resource policy names a role or user as principal that may not exist when the policy is created',
  docs: [
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
    'https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app)) {
      const property = POLICY_PROPERTIES[resource.Type];
      if (!property) continue;
      for (const statement of statementsOf(resource.Properties?.[property])) {
        for (const principal of awsPrincipals(statement.Principal)) {
          if (!surelyExists(principal, stack)) {
            violations.push(`${where(stack, logicalId, resource)} names the principal ${JSON.stringify(principal)}, which may not exist yet`);
          }
        }
      }
    }
    return violations;
  },
};

/** The statements of a policy document (or of a policy's `Statement`). */
function statementsOf(policy: unknown): Array<Record<string, any>> {
  if (policy === undefined || policy === null) return [];
  const document = typeof policy === 'string' ? JSON.parse(policy) : policy as Record<string, any>;
  const statements = document.Statement ?? document;
  return (Array.isArray(statements) ? statements : [statements]).filter((statement) => typeof statement === 'object');
}

/** The values of a statement's `Principal.AWS` (one or a list). */
function awsPrincipals(principal: unknown): unknown[] {
  if (principal === undefined || principal === '*' || typeof principal !== 'object' || principal === null) return [];
  const aws = (principal as Record<string, unknown>).AWS;
  if (aws === undefined) return [];
  return Array.isArray(aws) ? aws : [aws];
}

/**
 * Whether a principal exists before the policy is created: `*`, an account (its id or `:root`), a role or user of
 * the same stack or exported by an earlier one. Anything else that names a role or user may not.
 */
function surelyExists(principal: unknown, stack: DeployStack): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'string' && /^\d{12}$/.test(principal)) return true;
  if (typeof principal === 'object' && principal !== null) {
    const object = principal as Record<string, any>;
    if (Array.isArray(object['Fn::If'])) return object['Fn::If'].slice(1).every((branch: unknown) => surelyExists(branch, stack));
    if (object.Ref === 'AWS::NoValue') return true;
    const reference = object.Ref ?? (Array.isArray(object['Fn::GetAtt']) ? object['Fn::GetAtt'][0] : undefined);
    if (typeof reference === 'string') {
      const type = stack.template.Resources?.[reference]?.Type;
      // a role or user the stack creates first; `AWS::AccountId` and parameters are accounts or given ARNs
      return type === undefined ? reference === 'AWS::AccountId' : /^AWS::IAM::(Role|User)$/.test(type);
    }
    if (object['Fn::ImportValue'] !== undefined) return true;
  }
  // the literal parts of a joined ARN: an account root exists, a role or user may not
  const literal = [...walk(principal)].filter((part): part is string => typeof part === 'string').join('');
  return /:root$/.test(literal) && !/:(role|user)\//.test(literal);
}
