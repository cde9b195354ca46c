import { App, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EcsPlatformStack, RouteMatch } from '../../src';
import { cfnResourceCount } from '../util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
/** A retention CloudWatch Logs refuses, as plain JavaScript or a cast passes it. */
const SEVENTEEN_DAYS = 17 as logs.RetentionDays;

function platformStack(props: Record<string, unknown> = {}): EcsPlatformStack {
  return new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, monitoring: false, amiUpdateAlerts: false, ...props });
}

describe('log retention CloudWatch Logs does not accept', () => {
  test('a workload\'s `logRetention` of 17 days fails before the workload builds anything', () => {
    const stack = platformStack();
    const before = cfnResourceCount(stack);
    expect(() => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), logRetention: SEVENTEEN_DAYS }))
      .toThrow(/\[EcsPlatform\/Platform\/Web\] `logRetention` must be one of 1, 3, 5, 7, 14, .*, 9999, got: 17/);
    expect(cfnResourceCount(stack)).toBe(before);
  });

  test('a queue worker\'s and a scheduled task\'s `logRetention` are checked too', () => {
    const stack = platformStack();
    expect(() => stack.addQueueWorker('Worker', { image: IMAGE, logRetention: SEVENTEEN_DAYS })).toThrow(/`logRetention` must be one of/);
  });

  test('a capacity\'s `instanceLogRetention` of 17 days fails', () => {
    const stack = platformStack();
    expect(() => stack.addCapacity('Extra', { instanceLogRetention: SEVENTEEN_DAYS }))
      .toThrow(/`instanceLogRetention` must be one of 1, 3, .*, got: 17/);
  });

  test.each(['flowLogRetention', 'webAclLogRetention'])('the platform\'s `%s` of 17 days fails', (prop) => {
    expect(() => platformStack({ [prop]: SEVENTEEN_DAYS })).toThrow(new RegExp(`\`${prop}\` must be one of 1, 3, .*, got: 17`));
  });

  test('errors are PlatformValidationError', () => {
    let error: unknown;
    try {
      platformStack({ flowLogRetention: 0.5 });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).name).toBe('PlatformValidationError');
  });

  test('every RetentionDays value and a token are accepted', () => {
    const stack = platformStack({ flowLogRetention: logs.RetentionDays.INFINITE, webAclLogRetention: logs.RetentionDays.TEN_YEARS });
    stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), logRetention: Token.asNumber({ Ref: 'Days' }) });
    stack.addCapacity('Extra', { instanceLogRetention: logs.RetentionDays.ONE_DAY });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
