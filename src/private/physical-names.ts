import { Aws, Fn } from 'aws-cdk-lib';

/**
 * The unique id of this stack's CloudFormation instance: the UUID at the end of `AWS::StackId`, which is the same for
 * every update of the stack and new for every stack created again under the same name (after a failed create rolled
 * back, or after a destroy).
 *
 * For a resource that must have a fixed name (a WAF log group must be named `aws-waf-logs-…`) and is retained: with
 * this id in its name, the next stack of the same name creates a resource of its own instead of colliding with the
 * one its predecessor left ("already exists").
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-stackid
 */
export function stackInstanceId(): string {
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>
  return Fn.select(2, Fn.split('/', Aws.STACK_ID));
}
