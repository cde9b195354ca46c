import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fc from 'fast-check';
import { IMAGE, InvalidCase, InvalidCaseClass } from './case';
import { RouteMatch } from '../../../../src';

/** The retention periods CloudWatch Logs accepts. */
const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((days): days is number => typeof days === 'number');
/** Any number CloudWatch Logs refuses as a retention period, as plain JavaScript or a cast passes it. */
const badRetention = fc.oneof(fc.integer({ min: -1000, max: 20000 }), fc.double({ noNaN: true, min: -1000, max: 20000 }))
  .filter((days) => !RETENTION_DAYS.includes(days))
  .map((days) => days as logs.RetentionDays);
/** Any string that is not a RemovalPolicy. */
const badRemovalPolicy = fc.string({ maxLength: 30 })
  .filter((policy) => !(Object.values(RemovalPolicy) as string[]).includes(policy))
  .map((policy) => policy as RemovalPolicy);
/** Ids with no character other than whitespace. */
const blankId = fc.array(fc.constantFrom(' ', '\t', '\n'), { maxLength: 4 }).map((chars) => chars.join(''));

/** Invalid inputs of the platform, its capacities, load balancer and secrets. */
export const PLATFORM_CASES: InvalidCaseClass[] = [
  badRetention.map((logRetention): InvalidCase => ({
    prop: 'logRetention',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), logRetention }),
  })),
  badRetention.map((instanceLogRetention): InvalidCase => ({
    prop: 'instanceLogRetention',
    build: (stack) => stack.addCapacity('Extra', { instanceLogRetention }),
  })),
  badRemovalPolicy.map((removalPolicy): InvalidCase => ({
    prop: 'removalPolicy',
    build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, removalPolicy }),
  })),
  badRemovalPolicy.map((removalPolicy): InvalidCase => ({
    prop: 'removalPolicy',
    build: (stack) => stack.addImageRepository('Repo', { removalPolicy }),
  })),
  fc.tuple(blankId, fc.constantFrom('web', 'worker', 'capacity', 'repository')).map(([id, kind]): InvalidCase => ({
    prop: 'id',
    build: (stack) => {
      if (kind === 'web') return stack.addWebService(id, { image: IMAGE, route: RouteMatch.pathPatterns('/x/*') });
      if (kind === 'worker') return stack.addQueueWorker(id, { image: IMAGE });
      if (kind === 'capacity') return stack.addCapacity(id);
      return stack.addImageRepository(id);
    },
  })),
  fc.nat().map((index): InvalidCase => ({
    prop: 'id',
    // an id the platform already uses, for one of its parts or (in the pinned unit test) an earlier workload
    build: (stack) => {
      const taken = stack.platform.node.children.map((child) => child.node.id);
      return stack.addQueueWorker(taken[index % taken.length], { image: IMAGE });
    },
  })),
];
