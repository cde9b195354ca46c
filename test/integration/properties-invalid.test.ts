/**
 * Property-based tests, invalid side: random invalid inputs fail with the library's own error naming the prop,
 * never a TypeError or an aws-cdk-lib internal error, and build nothing (or, for inputs whole only at synthesis, fail it). properties-valid-a.test.ts and properties-valid-b.test.ts have the other side.
 *
 * Bounded and seeded, so CI stays fast and a failure reproduces: fast-check prints the seed and the shrunk input.
 */
import { App } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { invalidCase } from './support/invalid-inputs';
import { EcsPlatformStack } from '../../src';
import { cfnResourceCount } from '../util';

const SEED = 20261125;

describe('random invalid inputs', () => {
  test('fail with the library\'s own error naming the prop, and add nothing to the stack', () => {
    fc.assert(fc.property(invalidCase, (invalid) => {
      const stack = new EcsPlatformStack(new App(), 'Invalid', { monitoring: false, amiUpdateAlerts: false });
      invalid.setup?.(stack);
      const before = cfnResourceCount(stack);
      let error: unknown;
      try {
        invalid.build(stack);
        if (invalid.atSynth) (stack.node.root as App).synth();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('PlatformValidationError');
      expect((error as Error).message).toContain(`\`${invalid.prop}`);
      // a workload or capacity validates everything before it creates its first resource
      if (!invalid.atSynth) expect(cfnResourceCount(stack)).toBe(before);
    }), { seed: SEED, numRuns: 200 });
  });
});
