/**
 * Listener-rule priorities of deployed routes are API: adding or removing a route never changes another route's
 * priority, whatever the ids. Routes are added one at a time, at random (seeded, so a failure reproduces); when the
 * library refuses one because its priority is another route's, the message names the priority to pin, the route
 * is pinned there, as a user would, and the run goes on.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EcsPlatformStack, PublicLoadBalancer, RouteMatch } from '../../src';

const SEED = 20261207;
const ROUTES = 200;
const PIN = /pin the one that is not deployed yet at `priority: (\d+)`, the nearest free priority/;

/** A small seeded PRNG (mulberry32): the same sequence on every machine. */
/* eslint-disable no-bitwise -- a PRNG is bit arithmetic */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

interface Spec {
  readonly id: string;
  readonly match: RouteMatch;
  priority?: number;
}

/** A load balancer in a stack of its own, with room for every route. */
function loadBalancer(): { stack: Stack; lb: PublicLoadBalancer; tg: elbv2.ApplicationTargetGroup } {
  const stack = new Stack(new App(), 'Routes', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, maxRoutes: 1000 });
  const tg = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc, port: 80 });
  return { stack, lb, tg };
}

/** The priorities of `specs` on a new load balancer, added in the given order. */
function prioritiesOf(specs: Spec[]): Map<string, number> {
  const { lb, tg } = loadBalancer();
  for (const { id, match, priority } of specs) lb.addRoute(id, { match, targetGroup: tg, priority });
  return new Map(specs.map(({ id }) => [id, lb.priorityOf(id)]));
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('route priorities under random additions and removals', () => {
  test(`${ROUTES} random routes, one at a time: no priority assigned earlier ever changes`, () => {
    const random = prng(SEED);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const word = (min: number, max: number) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      const length = min + Math.floor(random() * (max - min + 1));
      return Array.from({ length }, () => pick([...alphabet])).join('');
    };
    // mostly one band, so that hash collisions happen; the index keeps every match distinct
    const matchFor = (index: number): RouteMatch => {
      const path = `/${word(1, 6).toLowerCase()}${index}`;
      switch (pick(['path', 'path', 'path', 'deep', 'host', 'root', 'header'])) {
        case 'deep': return RouteMatch.pathPatterns(`${path}/${word(1, 4).toLowerCase()}/*`);
        case 'host': return RouteMatch.hostHeaders(`${word(1, 6).toLowerCase()}${index}.example.com`);
        case 'root': return RouteMatch.pathPatterns(`${path}*`);
        case 'header': return RouteMatch.pathPatterns(`${path}/*`).and(RouteMatch.httpHeader('X-Route', `${index}`));
        default: return RouteMatch.pathPatterns(`${path}/*`);
      }
    };

    const { stack, lb, tg } = loadBalancer();
    const specs: Spec[] = [];
    const assigned = new Map<string, number>();
    const ids = new Set<string>();
    let pins = 0;
    for (let index = 0; index < ROUTES; index++) {
      let id = word(2, 8);
      while (ids.has(id)) id = word(2, 8);
      ids.add(id);
      // one route in ten asks for a fixed priority, which may be taken too
      const spec: Spec = { id, match: matchFor(index), priority: random() < 0.1 ? 1 + Math.floor(random() * 50000) : undefined };
      try {
        lb.addRoute(spec.id, { match: spec.match, targetGroup: tg, priority: spec.priority });
      } catch (error) {
        expect((error as Error).name).toBe('PlatformValidationError');
        const message = (error as Error).message;
        const pin = PIN.exec(message);
        expect(pin).not.toBeNull();
        // both routes are named
        const other = /route "([^"]+)"(?: or route "([^"]+)")?/g;
        const named = [...message.matchAll(other)].flatMap((found) => [found[1], found[2]]).filter((name) => name !== undefined);
        expect(named.some((name) => name !== spec.id && assigned.has(name))).toBe(true);
        spec.priority = Number(pin![1]);
        lb.addRoute(spec.id, { match: spec.match, targetGroup: tg, priority: spec.priority });
        pins++;
      }
      specs.push(spec);
      assigned.set(spec.id, lb.priorityOf(spec.id));
      for (const [earlier, priority] of assigned) expect(lb.priorityOf(earlier)).toBe(priority);

      if (index % 25 === 24) {
        // the same routes added in another order, and with some removed, keep every priority
        expect(prioritiesOf(shuffled(specs, random))).toEqual(assigned);
        const kept = specs.filter(() => random() < 0.7);
        expect(prioritiesOf(kept)).toEqual(new Map(kept.map(({ id: keptId }) => [keptId, assigned.get(keptId)])));
      }
    }

    // the run met collisions and went through them
    expect(pins).toBeGreaterThan(0);
    expect(new Set(assigned.values()).size).toBe(ROUTES);
    const rendered = Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
      .map((rule) => rule.Properties.Priority as number).sort((a, b) => a - b);
    expect(rendered).toEqual([...assigned.values()].sort((a, b) => a - b));
  });
});

describe('a route whose id hashes to a deployed route\'s priority, on a platform with a stack per workload', () => {
  const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

  /** The template of the Api workload's stack, on a platform with `others` web services besides it. */
  function apiTemplate(others: Array<[id: string, route: string, routePriority?: number]>): Record<string, unknown> {
    const app = new App();
    const platform = new EcsPlatformStack(app, 'Shop', { stackPerWorkload: true, monitoring: false, amiUpdateAlerts: false });
    platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
    for (const [id, route, routePriority] of others) {
      platform.addWebService(id, { image: IMAGE, route: RouteMatch.pathPatterns(route), routePriority });
    }
    const api = app.node.children.find((child): child is Stack => Stack.isStack(child) && child.node.id.endsWith('Api'))!;
    return Template.fromStack(api).toJSON();
  }

  test('Ab5112 fails, naming Api and the routePriority to pin; pinned as told, the Api stack keeps its bytes', () => {
    const before = apiTemplate([]);
    expect(JSON.stringify(before)).toContain('"Priority":44520');
    expect(() => apiTemplate([['Ab5112', '/ab5112/*']])).toThrow(
      /`routePriority` must be given for route "Ab5112" or route "Api": both ids hash to priority 44520, .*`routePriority: 44521`, the nearest free priority/);
    expect(apiTemplate([['Ab5112', '/ab5112/*', 44521]])).toEqual(before);
  });
});
