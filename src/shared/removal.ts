import { RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './validate';

/**
 * How the library keeps a stateful resource (a log group, a key, a repository, a bucket, a queue) by default: retained
 * when the stack deletes it or replaces it, so that no data is lost by a destroy or a refactor, but deleted when the
 * operation that created it fails and rolls back (CloudFormation's `RetainExceptOnCreate`): a failed first create
 * rolls back to nothing, and leaves nothing that a second deploy would have to clean up.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export const KEEP_STATEFUL = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/** Whether `policy` keeps the resource when the stack deletes it. */
export function isRetained(policy: RemovalPolicy): boolean {
  return policy === RemovalPolicy.RETAIN || policy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
}

const REMOVAL_POLICIES: readonly string[] = Object.values(RemovalPolicy);

/**
 * Returns `policy`, or `fallback` when it is undefined, after asserting that it is a `RemovalPolicy`.
 *
 * TypeScript refuses anything else, but plain JavaScript and casts do not: `'bogus'` would reach CloudFormation as a
 * deletion policy it refuses at deploy.
 */
export function checkedRemovalPolicy(scope: IConstruct, prop: string, policy: RemovalPolicy | undefined,
  fallback: RemovalPolicy): RemovalPolicy {
  if (policy !== undefined && !REMOVAL_POLICIES.includes(policy)) {
    validationError(scope, prop, `a RemovalPolicy (${Object.keys(RemovalPolicy).map((key) => `RemovalPolicy.${key}`).join(', ')})`, policy);
  }
  return policy ?? fallback;
}
