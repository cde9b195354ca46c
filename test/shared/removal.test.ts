import { App, RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsPlatformStack, OpsTopic, PublicLoadBalancer, RouteMatch, TaskTrigger } from '../../src';
import { testStack, testVpc } from '../util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
/** What plain JavaScript can pass. */
const BOGUS = 'bogus' as RemovalPolicy;
const ALLOWED = /`removalPolicy` must be a RemovalPolicy \(RemovalPolicy\.DESTROY, RemovalPolicy\.RETAIN, RemovalPolicy\.SNAPSHOT, RemovalPolicy\.RETAIN_ON_UPDATE_OR_DELETE\), got: "bogus"/;

function platformStack(): EcsPlatformStack {
  return new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, monitoring: false, amiUpdateAlerts: false });
}

describe('`removalPolicy: \'bogus\'` from plain JavaScript', () => {
  test('fails on a web service, a queue worker and a scheduled task, listing the RemovalPolicy values', () => {
    const stack = platformStack();
    expect(() => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), removalPolicy: BOGUS })).toThrow(ALLOWED);
    expect(() => stack.addQueueWorker('Worker', { image: IMAGE, removalPolicy: BOGUS })).toThrow(ALLOWED);
    expect(() => stack.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cronExpression('0 3 * * ? *'), removalPolicy: BOGUS }))
      .toThrow(ALLOWED);
  });

  test('fails on an image repository', () => {
    expect(() => platformStack().addImageRepository('Repo', { removalPolicy: BOGUS })).toThrow(ALLOWED);
  });

  test('fails on the load balancer and the operations topic', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    expect(() => new PublicLoadBalancer(stack, 'Alb', { vpc, removalPolicy: BOGUS })).toThrow(ALLOWED);
    expect(() => new OpsTopic(stack, 'Ops', { removalPolicy: BOGUS })).toThrow(ALLOWED);
  });

  test.each(Object.values(RemovalPolicy))('%s is accepted', (removalPolicy) => {
    const stack = testStack();
    expect(() => new OpsTopic(stack, 'Ops', { removalPolicy })).not.toThrow();
  });
});
