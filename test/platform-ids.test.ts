import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsPlatformStack, RouteMatch, TaskTrigger } from '../src';
import { cfnResourceCount } from './util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

function platformStack(stackPerWorkload = false): EcsPlatformStack {
  return new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, monitoring: false, amiUpdateAlerts: false, stackPerWorkload });
}

describe('construct ids of what EcsPlatform adds', () => {
  test.each(['', ' ', '\t'])('a blank id %j fails with the library\'s error for each add* method', (id) => {
    const stack = platformStack();
    const before = cfnResourceCount(stack);
    const blank = /\[EcsPlatform\/Platform\] `id` must be a construct id with at least one character other than whitespace, got: /;
    expect(() => stack.addWebService(id, { image: IMAGE, route: RouteMatch.pathPatterns('/x/*') })).toThrow(blank);
    expect(() => stack.addQueueWorker(id, { image: IMAGE })).toThrow(blank);
    expect(() => stack.addScheduledTask(id, { image: IMAGE, trigger: TaskTrigger.cronExpression('0 3 * * ? *') })).toThrow(blank);
    expect(() => stack.addCapacity(id)).toThrow(blank);
    expect(() => stack.addImageRepository(id)).toThrow(blank);
    expect(cfnResourceCount(stack)).toBe(before);
  });

  test('the same workload id twice fails naming the id, whatever the kinds of workload', () => {
    const stack = platformStack();
    stack.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*') });
    const before = cfnResourceCount(stack);
    expect(() => stack.addQueueWorker('Api', { image: IMAGE }))
      .toThrow('[EcsPlatform/Platform] `id` must be unique among the platform\'s workloads (web services, queue workers and scheduled tasks), got: "Api"');
    expect(cfnResourceCount(stack)).toBe(before);
  });

  test('the same workload id twice fails with `stackPerWorkload` too', () => {
    const stack = platformStack(true);
    stack.addQueueWorker('Jobs', { image: IMAGE });
    expect(() => stack.addQueueWorker('Jobs', { image: IMAGE })).toThrow(/`id` must be unique among the platform's workloads.*got: "Jobs"/);
  });

  test('a workload id taken by a part of the platform fails naming it', () => {
    const stack = platformStack();
    expect(() => stack.addQueueWorker('Cluster', { image: IMAGE }))
      .toThrow('`id` must be an id not used yet in the platform, where "Cluster" already exists, got: "Cluster"');
  });

  test('the same capacity or repository id twice fails naming the id', () => {
    const stack = platformStack();
    stack.addCapacity('Extra');
    expect(() => stack.addCapacity('Extra')).toThrow('`id` must be an id not used yet in the cluster, where "Extra" already exists, got: "Extra"');
    stack.addImageRepository('Repo');
    expect(() => stack.addImageRepository('Repo')).toThrow('`id` must be an id not used yet in the images stack, where "Repo" already exists, got: "Repo"');
  });
});
