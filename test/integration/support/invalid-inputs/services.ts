import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { IMAGE, InvalidCase, InvalidCaseClass } from './case';
import { EcsPlatformStack, RouteMatch, ServicePlacementConstraint, TaskTrigger, WebService, WebServiceOptions } from '../../../../src';

/** A web service with `options` on top of the minimum. */
function web(stack: EcsPlatformStack, options: Partial<WebServiceOptions>): unknown {
  return stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), ...options });
}

/** An upper-case word for names: `DB`, `APP2`. */
const word = fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}$/);
/** A lower-case value for expressions and repositories. */
const value = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);

/** Invalid inputs of workloads: containers, environment, images, users, health checks, schedules, placement. */
export const SERVICE_CASES: InvalidCaseClass[] = [
  // a memberOf expression that excludes the workload's OS (Linux here), alone or in a conjunction
  fc.tuple(
    fc.constantFrom('attribute:ecs.os-type == windows', 'attribute:ecs.os-type != linux', 'attribute:ecs.os-type in [windows]',
      'not(attribute:ecs.os-type == linux)', 'attribute:ecs.os-type !in [linux, windows]', 'attribute:ecs.os-type == WINDOWS'),
    fc.option(value, { nil: undefined }),
  ).map(([os, other]): InvalidCase => ({
    prop: 'placementConstraints[0]',
    build: (stack) => web(stack, {
      placementConstraints: [ServicePlacementConstraint.memberOf(other === undefined ? os : `attribute:stack == ${other} and ${os}`)],
    }),
  })),
  // a memberOf expression with a quote that is never closed
  fc.tuple(fc.constantFrom('\'', '"'), value, fc.boolean()).map(([quote, text, before]): InvalidCase => ({
    prop: 'placementConstraints[0]',
    build: (stack) => web(stack, {
      placementConstraints: [ServicePlacementConstraint.memberOf(`attribute:stack == ${before ? quote + text : text + quote}`)],
    }),
  })),
  // a cron expression whose days of the month exist in none of its months
  fc.oneof(
    fc.tuple(fc.integer({ min: 30, max: 31 }), fc.constant([2])),
    fc.tuple(fc.constant(31), fc.subarray([2, 4, 6, 9, 11], { minLength: 1 })),
  ).map(([day, months]): InvalidCase => ({
    prop: 'trigger',
    build: (stack) => stack.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cronExpression(`0 3 ${day} ${months.join(',')} ? *`) }),
  })),
  // a queue whose visibility timeout (jobTimeout + 30 s) ends before a stopping task's stopTimeout
  fc.integer({ min: 32, max: 120 }).chain((stop) => fc.tuple(fc.constant(stop), fc.integer({ min: 1, max: stop - 31 })))
    .map(([stop, job]): InvalidCase => ({
      prop: 'jobTimeout',
      build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, jobTimeout: Duration.seconds(job), stopTimeout: Duration.seconds(stop) }),
    })),
  // service names: empty, blank, with a character outside [A-Za-z0-9_-], or longer than 255
  fc.oneof(
    fc.stringMatching(/^\s*$/),
    fc.tuple(value, fc.constantFrom(' ', '.', '/', ':', 'é', '!'), value).map(([a, bad, b]) => `${a}${bad}${b}`),
    fc.integer({ min: 256, max: 400 }).map((length) => 'a'.repeat(length)),
  ).chain((serviceName) => fc.constantFrom<InvalidCase>(
    { prop: 'serviceName', build: (stack) => web(stack, { serviceName }) },
    { prop: 'serviceName', build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, serviceName }) },
  )),
  // ALB matchers: codes outside 200-499, or a range high to low
  fc.oneof(
    fc.oneof(fc.integer({ min: 100, max: 199 }), fc.integer({ min: 500, max: 999 })).map(String),
    fc.tuple(fc.integer({ min: 201, max: 499 }), fc.integer({ min: 200, max: 498 })).filter(([low, high]) => low > high)
      .map(([low, high]) => `${low}-${high}`),
    fc.tuple(fc.integer({ min: 100, max: 199 }), fc.integer({ min: 500, max: 999 })).map(([low, high]) => `${low}-${high}`),
  ).map((healthCheckHealthyHttpCodes): InvalidCase => ({
    prop: 'healthCheckHealthyHttpCodes',
    build: (stack) => web(stack, { healthCheckHealthyHttpCodes }),
  })),
  // environment variable names that are empty or hold a space or `=`
  fc.oneof(fc.constant(''), fc.tuple(word, fc.constantFrom(' ', '=', '\t'), word).map(([a, bad, b]) => `${a}${bad}${b}`))
    .map((name): InvalidCase => ({ prop: 'environment', build: (stack) => web(stack, { environment: { [name]: 'x' } }) })),
  // secret-looking variables: a PW word, a provider key in the value, a switch name with no switch value; on a sidecar too
  fc.tuple(
    fc.oneof(
      word.map((prefix) => [`${prefix}_PW`, 'x']),
      fc.tuple(word, fc.constantFrom('sk_live_', 'rk_test_'), fc.stringMatching(/^[A-Za-z0-9]{8,24}$/))
        .map(([name, prefix, key]) => [`${name}_KEY`, `${prefix}${key}`]),
      fc.tuple(word, fc.stringMatching(/^[a-z]{2,5}[0-9]{1,3}$/)).map(([prefix, secret]) => [`${prefix}_PASSWORD_ENABLED`, secret]),
    ),
    fc.boolean(),
  ).map(([[name, secret], sidecar]): InvalidCase => sidecar
    ? {
      prop: `sidecars[0].environment.${name}`,
      build: (stack) => web(stack, { sidecars: [{ name: 'side', image: IMAGE, memoryLimitMiB: 64, environment: { [name]: secret } }] }),
    }
    : { prop: `environment.${name}`, build: (stack) => web(stack, { environment: { [name]: secret } }) }),
  // images from a registry without a tag, or with `latest`
  fc.tuple(fc.option(fc.constantFrom('public.ecr.aws/team', 'localhost:5000', 'docker.io/library'), { nil: undefined }), value, fc.boolean())
    .map(([registry, repository, latest]): InvalidCase => ({
      prop: 'image',
      build: (stack) => web(stack, {
        image: ecs.ContainerImage.fromRegistry(`${registry ? `${registry}/` : ''}${repository}${latest ? ':latest' : ''}`),
      }),
    })),
  // root, however many zeros spell it, with or without a group
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.option(fc.constantFrom('0', '1000', 'app'), { nil: undefined })).map(([zeros, group]): InvalidCase => ({
    prop: 'user',
    build: (stack) => web(stack, { user: `${'0'.repeat(zeros)}${group === undefined ? '' : `:${group}`}` }),
  })),
  // a command whose executable is empty or blank
  fc.tuple(fc.stringMatching(/^ {0,3}$/), fc.array(value, { maxLength: 3 })).map(([executable, args]): InvalidCase => ({
    prop: 'command',
    build: (stack) => web(stack, { command: [executable, ...args] }),
  })),
  // a scratch volume mounted on or below a path the container runtime reserves
  fc.tuple(fc.constantFrom('/proc', '/sys', '/dev'), fc.array(value, { maxLength: 3 })).map(([root, below]): InvalidCase => ({
    prop: 'scratchVolumes[0].containerPath',
    build: (stack) => web(stack, { scratchVolumes: [{ name: 'v', containerPath: [root, ...below].join('/') }] }),
  })),
  // a container health check whose timeout outlasts its interval
  fc.integer({ min: 5, max: 59 }).chain((interval) => fc.tuple(fc.constant(interval), fc.integer({ min: interval + 1, max: 60 })))
    .map(([interval, timeout]): InvalidCase => ({
      prop: 'healthCheck.timeout',
      build: (stack) => web(stack, {
        healthCheck: { command: ['CMD', 'true'], interval: Duration.seconds(interval), timeout: Duration.seconds(timeout) },
      }),
    })),
  // scheduled scaling at a time zone that does not exist, or on a day that never comes: the service exists first
  fc.constantFrom('Mars/Olympus', 'CEST', 'utc', 'Europe/Atlantis').map((name): InvalidCase => {
    let service: WebService;
    return {
      prop: "addScheduledScaling('Night').timeZone",
      setup: (stack) => { service = stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*') }); },
      build: () => service.addScheduledScaling('Night', {
        schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), minCapacity: 0, timeZone: TimeZone.of(name),
      }),
    };
  }),
  fc.constantFrom(['30', '2'], ['31', '4'], ['31', '6'], ['31', '9'], ['31', '11'], ['30', '2,4']).map(([day, month]): InvalidCase => {
    let service: WebService;
    return {
      prop: "addScheduledScaling('Night').schedule",
      setup: (stack) => { service = stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*') }); },
      build: () => service.addScheduledScaling('Night', { schedule: appscaling.Schedule.cron({ minute: '0', hour: '3', day, month }), minCapacity: 0 }),
    };
  }),
];
