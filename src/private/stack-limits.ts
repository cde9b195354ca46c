import * as fs from 'fs';
import * as path from 'path';
import { CfnOutput, CfnResource, ISynthesisSession, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PlatformValidationError } from '../shared/validate';

/**
 * CloudFormation's quotas per stack that a growing platform reaches first.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const STACK_QUOTAS = {
  /** Resources declared in one template. */
  resources: 500,
  /** Outputs declared in one template (the exports other stacks import are outputs). */
  outputs: 200,
  /** Bytes of a template uploaded to S3, as the CDK CLI does (aws-cdk-lib warns from 80 %). */
  templateBytes: 1_000_000,
};

/** aws-cdk-lib's context key that lifts (0) or changes its own resource check. */
const RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

/** The stacks checked so far, with the advice their messages give. */
const CHECKED = new WeakMap<Stack, string>();

/**
 * The resource quota to check: 500, or what `@aws-cdk/core:stackResourceLimit` says. 0 turns the checks of
 * resources and template size off, for measurements (bench/) that synthesize stacks no one deploys.
 */
function resourceLimitOf(stack: Stack): number {
  const context = stack.node.tryGetContext(RESOURCE_LIMIT_CONTEXT);
  return context === undefined ? STACK_QUOTAS.resources : Number(context);
}

/**
 * Fails synthesis of `stack`, in validation (before any template is written), when it declares more resources or
 * outputs than CloudFormation accepts, with `fix` (what to do) in the message. Once per stack: a second call
 * only replaces the advice. Honours `@aws-cdk/core:stackResourceLimit` for resources, as aws-cdk-lib does.
 */
export function checkStackQuotas(stack: Stack, fix: string): void {
  const checked = CHECKED.has(stack);
  CHECKED.set(stack, fix);
  if (checked) return;
  stack.node.addValidation({
    validate: () => {
      const advice = CHECKED.get(stack)!;
      const elements = stack.node.findAll().filter((node) => Stack.of(node) === stack);
      const resources = elements.filter((node) => CfnResource.isCfnResource(node)).length;
      const outputs = elements.filter((node) => node instanceof CfnOutput).length;
      const resourceLimit = resourceLimitOf(stack);
      return [
        ...resourceLimit > 0 && resources > resourceLimit
          ? [`the stack ${stack.stackName} must declare at most ${resourceLimit} resources (the CloudFormation quota per stack), got: ${resources}. ${advice}`]
          : [],
        ...outputs > STACK_QUOTAS.outputs
          ? [`the stack ${stack.stackName} must declare at most ${STACK_QUOTAS.outputs} outputs, exports included (the CloudFormation quota per stack), got: ${outputs}. ${advice}`]
          : [],
      ];
    },
  });
}

/**
 * Throws when the template `stack` has just written is larger than CloudFormation accepts. For stacks of the
 * library, from their `_synthesizeTemplate()`: the size is known only once the template is written. Off with
 * `@aws-cdk/core:stackResourceLimit` 0, like the resource check.
 */
export function assertTemplateSize(stack: Stack, session: ISynthesisSession): void {
  if (resourceLimitOf(stack) === 0) return;
  const bytes = fs.statSync(path.join(session.assembly.outdir, stack.templateFile)).size;
  if (bytes > STACK_QUOTAS.templateBytes) {
    const advice = CHECKED.get(stack) ?? 'Split the stack.';
    throw new PlatformValidationError(stack as IConstruct,
      `the template of the stack ${stack.stackName} must be at most ${STACK_QUOTAS.templateBytes} bytes (the CloudFormation quota for a template in S3), got: ${bytes}. ${advice}`);
  }
}
