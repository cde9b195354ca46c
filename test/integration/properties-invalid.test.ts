/**
 * Property-based tests, invalid side: random invalid inputs fail with the library's own error naming the prop,
 * never a TypeError or an aws-cdk-lib internal error, and build nothing. properties-valid-a.test.ts and properties-valid-b.test.ts have the other side.
 *
 * Bounded and seeded, so CI stays fast and a failure reproduces: fast-check prints the seed and the shrunk input.
 */
import { App, CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { EcsPlatformStack, RouteMatch, TaskTrigger } from '../../src';

const SEED = 20261125;
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

/** One invalid input: a prop, a value outside what it allows, and how to build with it. */
interface InvalidCase {
  readonly prop: string;
  readonly build: (stack: EcsPlatformStack) => unknown;
}

const invalidCase: fc.Arbitrary<InvalidCase> = fc.oneof(
  fc.integer({ min: -100000, max: 127 }).map((cpu): InvalidCase => ({
    prop: 'cpu',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), cpu }),
  })),
  fc.integer({ min: 196609, max: 10_000_000 }).map((cpu): InvalidCase => ({
    prop: 'cpu',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), cpu }),
  })),
  fc.integer({ min: -1000, max: 0 }).map((maxCapacity): InvalidCase => ({
    prop: 'maxCapacity',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), maxCapacity }),
  })),
  fc.integer({ min: 65536, max: 1_000_000 }).map((containerPort): InvalidCase => ({
    prop: 'containerPort',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), containerPort }),
  })),
  fc.string({ minLength: 1, maxLength: 20 }).filter((healthCheckPath) => !healthCheckPath.startsWith('/')).map((healthCheckPath): InvalidCase => ({
    prop: 'healthCheckPath',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), healthCheckPath }),
  })),
  fc.integer({ min: 1001, max: 100000 }).map((maxCapacity): InvalidCase => ({
    prop: 'maxCapacity',
    build: (stack) => stack.addCapacity('Extra', { maxCapacity }),
  })),
  fc.constantFrom('m7g.large', 'c7g.xlarge', 't4g.medium').map((instanceType): InvalidCase => ({
    prop: 'instanceType',
    build: (stack) => stack.addCapacity('Extra', { instanceType: new ec2.InstanceType(instanceType) }),
  })),
  fc.integer({ min: 0, max: 1 }).map((maxReceiveCount): InvalidCase => ({
    prop: 'maxReceiveCount',
    build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, maxReceiveCount: maxReceiveCount - 1 }),
  })),
  fc.constantFrom('0 3 * * * *', '61 * * * ? *', 'every day', '* * * * *').map((expression): InvalidCase => ({
    prop: 'trigger',
    build: (stack) => stack.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cronExpression(expression) }),
  })),
);

describe('random invalid inputs', () => {
  test('fail with the library\'s own error naming the prop, and add nothing to the stack', () => {
    fc.assert(fc.property(invalidCase, (invalid) => {
      const stack = new EcsPlatformStack(new App(), 'Invalid', { monitoring: false, amiUpdateAlerts: false });
      const resources = () => stack.node.findAll().filter((construct) => CfnResource.isCfnResource(construct)).length;
      const before = resources();
      let error: unknown;
      try {
        invalid.build(stack);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('PlatformValidationError');
      expect((error as Error).message).toContain(`\`${invalid.prop}`);
      // a workload or capacity validates everything before it creates its first resource
      expect(resources()).toBe(before);
    }), { seed: SEED, numRuns: 200 });
  });
});
