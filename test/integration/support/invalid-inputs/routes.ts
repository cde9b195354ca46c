import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as fc from 'fast-check';
import { IMAGE, InvalidCase, InvalidCaseClass } from './case';
import { EcsPlatformStack, RouteMatch } from '../../../../src';

/** Pairs of route ids that hash to the same priority in a band (FNV-1a modulo 5000). */
const COLLIDING_IDS: Array<[string, string]> = [['Api', 'Ab5112'], ['svc0', 'svc888'], ['svc888', 'svc2174'], ['svc2174', 'svc11345']];
/** The priority derived for a web service `Api` routed at `/api/*`. */
const API_PRIORITY = 44520;

/** Invalid routes: fixed priorities out of range, and priorities (fixed or derived) that another route has. */
export const ROUTE_CASES: InvalidCaseClass[] = [
  fc.oneof(fc.integer({ min: -100000, max: 0 }), fc.integer({ min: 50001, max: 10_000_000 }),
    fc.double({ min: 1.01, max: 49999.99, noInteger: true, noNaN: true })).map((routePriority): InvalidCase => ({
    prop: 'routePriority',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), routePriority }),
  })),
  fc.integer({ min: 1, max: 50000 }).map((routePriority): InvalidCase => ({
    prop: 'routePriority',
    setup: (stack) => stack.addWebService('First', { image: IMAGE, route: RouteMatch.pathPatterns('/first/*'), routePriority }),
    build: (stack) => stack.addWebService('Second', { image: IMAGE, route: RouteMatch.pathPatterns('/second/*'), routePriority }),
  })),
  fc.tuple(fc.constantFrom(...COLLIDING_IDS), fc.boolean()).map(([[one, other], swap]): InvalidCase => ({
    prop: 'routePriority',
    setup: (stack) => stack.addWebService(swap ? other : one, { image: IMAGE, route: RouteMatch.pathPatterns('/first/*') }),
    build: (stack) => stack.addWebService(swap ? one : other, { image: IMAGE, route: RouteMatch.pathPatterns('/second/*') }),
  })),
  fc.boolean().map((pinnedFirst): InvalidCase => {
    const api = (stack: EcsPlatformStack) => stack.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
    const pinned = (stack: EcsPlatformStack) =>
      stack.addWebService('Pinned', { image: IMAGE, route: RouteMatch.pathPatterns('/pinned/*'), routePriority: API_PRIORITY });
    return { prop: 'routePriority', setup: pinnedFirst ? pinned : api, build: pinnedFirst ? api : pinned };
  }),
  // more listener rules than the ALB quota, some added to the listener directly: whole only at synthesis
  fc.integer({ min: 101, max: 104 }).map((count): InvalidCase => ({
    prop: 'routes',
    atSynth: true,
    build: (stack) => {
      for (let index = 0; index < count; index++) {
        stack.platform.loadBalancer.listener.addAction(`Rule${index}`, {
          priority: index + 1,
          conditions: [elbv2.ListenerCondition.pathPatterns([`/rule-${index}`])],
          action: elbv2.ListenerAction.fixedResponse(200),
        });
      }
    },
  })),
];
