import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { IMAGE, InvalidCase, InvalidCaseClass } from './case';
import { RouteMatch, TaskTrigger } from '../../../../src';

/** Numbers out of range, paths, instance architectures, receive counts and cron expressions. */
export const BASE_CASES: InvalidCaseClass[] = [
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
];
