import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { EcsPlatformStack } from '../../../../src';

/** One invalid input: a prop, a value outside what it allows, and how to build with it. */
export interface InvalidCase {
  /** The prop the library's error must name (`\`prop` must …`). */
  readonly prop: string;
  /** Valid workloads that the invalid one meets (a route whose priority is taken, say), built before it. */
  readonly setup?: (stack: EcsPlatformStack) => unknown;
  readonly build: (stack: EcsPlatformStack) => unknown;
  /**
   * Whether the error comes when the app synthesizes rather than from `build`: for inputs that are whole only then
   * (rules added to a listener directly, beyond the ALB quota). `build` then builds, and the synthesis must fail.
   */
  readonly atSynth?: boolean;
}

/** A public image that is valid everywhere, for cases about other props. */
export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

/** A class of invalid inputs: an arbitrary of cases. */
export type InvalidCaseClass = fc.Arbitrary<InvalidCase>;
