import { App, Aws, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EcsPlatformStack, PublicLoadBalancer } from '../../src';
import { cfnResourceCount, testStack, testVpc } from '../util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const arnIn = (region: string, partition = 'aws') =>
  `arn:${partition}:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;

describe('`ingressCidrs` with host bits set', () => {
  test.each([
    ['10.0.0.1/8', '10.0.0.0/8'],
    ['203.0.113.7/24', '203.0.113.0/24'],
    ['2001:db8::1/32', '2001:db8::/32'],
  ])('%s fails, giving the network address %s', (cidr, network) => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const before = cfnResourceCount(stack);
    expect(() => new PublicLoadBalancer(stack, 'Alb', { vpc, ingressCidrs: [cidr] }))
      .toThrow(`[TestStack/Alb] \`ingressCidrs\` must be CIDR blocks without host bits: give the network address ${network}, got: "${cidr}"`);
    expect(cfnResourceCount(stack)).toBe(before);
  });

  test('network addresses, host routes and tokens are accepted', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    expect(() => new PublicLoadBalancer(stack, 'Alb', {
      vpc, ingressCidrs: ['10.0.0.0/8', '198.51.100.7/32', '2001:0db8:0::/32', Token.asString({ Ref: 'Cidr' })],
    })).not.toThrow();
  });

  test('IPv6 ranges in upper case are accepted, and given to EC2 in lower case', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    new PublicLoadBalancer(stack, 'Alb', { vpc, ingressCidrs: ['2001:0DB8::/32'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIpv6: '2001:0db8::/32' })],
    });
  });
});

describe('a certificate from another region than the stack', () => {
  test('`certificateArn` of another region fails before anything is built', () => {
    expect(() => new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, certificateArn: arnIn('eu-west-1') }))
      .toThrow('[EcsPlatform] `certificateArn` must be an ACM certificate in the stack\'s region us-east-1 (a load balancer can only ' +
        `use a certificate of its own region: request or import one in us-east-1), got: "${arnIn('eu-west-1')}"`);
  });

  test('`certificateArn` with a token partition is checked too', () => {
    expect(() => new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, certificateArn: arnIn('eu-west-1', Aws.PARTITION) }))
      .toThrow(/`certificateArn` must be an ACM certificate in the stack's region us-east-1/);
  });

  test('`certificate` and `certificates` of PublicLoadBalancer with a literal ARN of another region fail', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const own = acm.Certificate.fromCertificateArn(stack, 'Own', arnIn('us-east-1'));
    const foreign = acm.Certificate.fromCertificateArn(stack, 'Foreign', arnIn('eu-central-1'));
    expect(() => new PublicLoadBalancer(stack, 'Alb1', { vpc, certificate: foreign }))
      .toThrow(/\[TestStack\/Alb1\] `certificate` must be an ACM certificate in the stack's region us-east-1/);
    expect(() => new PublicLoadBalancer(stack, 'Alb2', { vpc, certificate: own, certificates: [foreign] }))
      .toThrow(/`certificates` must be an ACM certificate in the stack's region us-east-1.*eu-central-1/);
  });

  test('the stack\'s region, an environment-agnostic stack and a token region are accepted', () => {
    expect(() => new EcsPlatformStack(new App(), 'A', { env: ENV, certificateArn: arnIn('us-east-1') })).not.toThrow();
    expect(() => new EcsPlatformStack(new App(), 'B', { certificateArn: arnIn('eu-west-1') })).not.toThrow();
    expect(() => new EcsPlatformStack(new App(), 'C', { env: ENV, certificateArn: arnIn(Aws.REGION) })).not.toThrow();
    const stack = testStack();
    const certificate = new acm.Certificate(stack, 'New', { domainName: 'example.com' });
    expect(() => new PublicLoadBalancer(stack, 'Alb', { vpc: testVpc(stack), certificate })).not.toThrow();
  });
});

describe('more listener rules than `maxRoutes`, one added straight to the listener', () => {
  function withListenerRules(count: number): Stack {
    const stack = testStack();
    const lb = new PublicLoadBalancer(stack, 'Lb', { vpc: testVpc(stack) });
    for (let i = 0; i < count; i++) {
      lb.listener.addAction(`Rule${i}`, {
        priority: i + 1,
        conditions: [elbv2.ListenerCondition.pathPatterns([`/x${i}`])],
        action: elbv2.ListenerAction.fixedResponse(200),
      });
    }
    return stack;
  }

  test('fails at synth with the library\'s own error, not under aws-cdk-lib\'s "Validation failed" heading', () => {
    expect(() => Template.fromStack(withListenerRules(100))).not.toThrow();
    let error: unknown;
    try {
      Template.fromStack(withListenerRules(101));
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).name).toBe('PlatformValidationError');
    expect((error as Error).message).toBe('[TestStack/Lb] `routes` must be at most 100 listener rules on this load balancer, counting rules ' +
      'added to its listeners directly (the ALB quota of rules per load balancer, `maxRoutes`), got: 101');
  });
});
