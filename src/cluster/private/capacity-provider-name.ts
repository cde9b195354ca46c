import * as crypto from 'crypto';
import { Fn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from '../../shared/validate';

/**
 * ECS refuses a capacity provider name that starts with `aws`, `ecs` or `fargate`, in any case (aws-cdk-lib checks
 * lower case only: aws/aws-cdk#29151). Names are 1 to 255 letters, digits, `_` and `-`.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html
 */
export const RESERVED_CAPACITY_PROVIDER_PREFIX = /^(aws|ecs|fargate)/i;
const CAPACITY_PROVIDER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const MAX_LENGTH = 255;
/** Prepended to a name that would start with a reserved word, and to every name built from a token stack name. */
const SAFE_PREFIX = 'cp-';
/** A CloudFormation stack name has at most 128 characters. */
const MAX_STACK_NAME_LENGTH = 128;

/** Fails unless `name` is a capacity provider name ECS accepts. Tokens are skipped. */
export function assertCapacityProviderName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!CAPACITY_PROVIDER_NAME.test(name) || RESERVED_CAPACITY_PROVIDER_PREFIX.test(name)) {
    validationError(scope, prop, '1 to 255 letters, digits, `_` or `-`, not starting with `aws`, `ecs` or `fargate` in any case ' +
      '(ECS refuses those)', name);
  }
}

/**
 * A capacity provider name for `scope` that ECS accepts, whatever the stack is called: the stack name, the construct
 * path below the stack and a hash of that path (so that sanitized paths cannot collide), with `cp-` in front when it
 * would start with a reserved word. Capacity provider names are unique per account and region, like stack names, so
 * the stack name keeps two deployments of one app apart. A token stack name (a nested stack) is always prefixed
 * with `cp-`, since its first letters are known only at deploy time.
 */
export function defaultCapacityProviderName(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const below = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((construct) => construct.node.id);
  const hash = crypto.createHash('md5').update(below.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const path = below.join('-').replace(/[^A-Za-z0-9_-]/g, '');
  const suffix = (maxLength: number) => `${path.slice(0, Math.max(0, maxLength - hash.length - 1))}-${hash}`.replace(/^-/, '');

  if (Token.isUnresolved(stack.stackName)) {
    const maxSuffix = MAX_LENGTH - SAFE_PREFIX.length - MAX_STACK_NAME_LENGTH - 1;
    return Fn.join('', [SAFE_PREFIX, stack.stackName, `-${suffix(maxSuffix)}`]);
  }
  const stackName = stack.stackName.replace(/[^A-Za-z0-9_-]/g, '').slice(0, MAX_STACK_NAME_LENGTH);
  const name = `${stackName}-${suffix(MAX_LENGTH - SAFE_PREFIX.length - stackName.length - 1)}`;
  return RESERVED_CAPACITY_PROVIDER_PREFIX.test(name) ? `${SAFE_PREFIX}${name}` : name;
}
