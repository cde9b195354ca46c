import { CfnElement, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PublicLoadBalancer, PublicLoadBalancerOptions, RouteMatch } from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const NOT_FOUND = {
  Type: 'fixed-response',
  FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
};

/** A regular expression that matches exactly `message`. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
}

/** First band (lowest priorities) and last possible priority of the routes with specificity `s`. */
function band(specificity: number): [number, number] {
  const start = 1 + (9 - specificity) * 5000;
  return [start, start + 4999];
}

describe('PublicLoadBalancer', () => {
  let stack: Stack;
  let vpc: ec2.Vpc;
  beforeEach(() => {
    stack = testStack();
    vpc = testVpc(stack);
  });

  function certificate(scope: Stack = stack): acm.ICertificate {
    return acm.Certificate.fromCertificateArn(scope, 'Certificate', CERTIFICATE_ARN);
  }

  function targetGroup(scope: Stack = stack, id = 'Tg', inVpc: ec2.IVpc = vpc): elbv2.ApplicationTargetGroup {
    return new elbv2.ApplicationTargetGroup(scope, id, {
      vpc: inVpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
    });
  }

  function logicalId(element: { node: { defaultChild?: unknown } }): string {
    return stack.getLogicalId(element.node.defaultChild as CfnElement);
  }

  function attribute(key: string, value: unknown) {
    return { Key: key, Value: value };
  }

  describe('defaults', () => {
    test('creates one internet-facing application load balancer in the public subnets', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: vpc.publicSubnets.map((subnet) => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as CfnElement) })),
      });
    });

    test.each<[string, string]>([
      ['dropping invalid header fields', 'routing.http.drop_invalid_header_fields.enabled'],
      ['HTTP/2', 'routing.http2.enabled'],
    ])('turns on %s', (_name, key) => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute(key, 'true')]),
      });
    });

    test('closes idle connections after 60 seconds', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute('idle_timeout.timeout_seconds', '60')]),
      });
    });

    test('writes access logs with the prefix alb to the new access logs bucket', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          attribute('access_logs.s3.enabled', 'true'),
          attribute('access_logs.s3.bucket', { Ref: logicalId(lb.accessLogsBucket) }),
          attribute('access_logs.s3.prefix', 'alb'),
        ]),
      });
    });

    test('creates exactly one access logs bucket, encrypted with SSE-S3 and with public access blocked', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::Bucket', 1);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });

    test('versions the access logs bucket', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
    });

    test('expires access logs after 90 days, overwritten or deleted ones 30 days later, and then their delete markers', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            { Id: 'ExpireAccessLogs', Status: 'Enabled', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
            { Id: 'RemoveExpiredDeleteMarkers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
          ],
        },
      });
    });

    test('retains the access logs bucket', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    });

    test('refuses requests to the access logs bucket without TLS', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const bucket = logicalId(lb.accessLogsBucket);
      Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [
              { 'Fn::GetAtt': [bucket, 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
            ],
          }]),
        },
      });
    });

    test('lets the regional ELB account write the access logs', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const bucket = logicalId(lb.accessLogsBucket);
      Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::127311923021:root']] } },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/alb/AWSLogs/123456789012/*']] },
          }]),
        },
      });
    });

    test('serves HTTP on 80 with a fixed 404 when there is no certificate', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: { Ref: logicalId(lb.loadBalancer) },
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [NOT_FOUND],
        Certificates: Match.absent(),
        SslPolicy: Match.absent(),
      });
      expect(lb.listener).toBe(lb.httpListener);
      expect(lb.httpsListener).toBeUndefined();
    });

    test('accepts only port 80 from anywhere when there is no certificate', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        SecurityGroupIngress: [
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Internet to listener port 80' },
        ],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('sends no traffic anywhere until a service is routed to', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        // aws-cdk-lib's placeholder rule for allowAllOutbound: false, which matches no traffic
        SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
      expect(lb.securityGroup.allowAllOutbound).toBe(false);
    });

    test('exposes the load balancer DNS name and connections', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      expect(stack.resolve(lb.loadBalancerDnsName)).toEqual({ 'Fn::GetAtt': [logicalId(lb.loadBalancer), 'DNSName'] });
      expect(lb.connections.securityGroups).toEqual([lb.securityGroup]);
    });
  });

  describe('with a certificate', () => {
    test('serves HTTPS on 443 with the certificate, the recommended TLS policy and a fixed 404', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: { Ref: logicalId(lb.loadBalancer) },
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        DefaultActions: [NOT_FOUND],
      });
      expect(elbv2.SslPolicy.RECOMMENDED_TLS).toEqual('ELBSecurityPolicy-TLS13-1-2-2021-06');
      expect(lb.listener).toBe(lb.httpsListener);
    });

    test('redirects HTTP on 80 to HTTPS on 443 permanently', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: { Ref: logicalId(lb.loadBalancer) },
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
      expect(lb.httpListener).not.toBe(lb.httpsListener);
    });

    test('accepts only ports 80 and 443 from anywhere', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        SecurityGroupIngress: [
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Internet to listener port 80' },
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'Internet to listener port 443' },
        ],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });
  });

  describe('configuration', () => {
    test('uses the provided sslPolicy', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate(), sslPolicy: elbv2.SslPolicy.TLS13_13 });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      });
    });

    test.each([1, 120, 4000])('uses the provided idleTimeout of %s seconds', (seconds) => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, idleTimeout: Duration.seconds(seconds) });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute('idle_timeout.timeout_seconds', `${seconds}`)]),
      });
    });

    // ELB refuses to delete a protected load balancer, CloudFormation's rollback and stack delete included:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
    test('leaves deletion protection off by default, so that a failed create rolls back and the stack can be destroyed', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.not(Match.arrayWith([attribute('deletion_protection.enabled', 'true')])),
      });
    });

    test('turns deletion protection on when asked, with a warning that names what it blocks and the alternative', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, deletionProtection: true });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute('deletion_protection.enabled', 'true')]),
      });
      Annotations.fromStack(stack).hasWarning('/TestStack/Lb',
        Match.stringLikeRegexp('ROLLBACK_FAILED.*`terminationProtection: true`'));
    });

    test('uses the provided accessLogsBucket and creates no bucket', () => {
      const bucket = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, accessLogsBucket: bucket });
      const template = Template.fromStack(stack);
      expect(lb.accessLogsBucket).toBe(bucket);
      template.resourceCountIs('AWS::S3::Bucket', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute('access_logs.s3.bucket', { Ref: logicalId(bucket) })]),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Action: 's3:PutObject', Principal: { AWS: Match.anyValue() } })]),
        },
      });
    });

    test('uses an imported accessLogsBucket', () => {
      const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-alb-logs');
      new PublicLoadBalancer(stack, 'Lb', { vpc, accessLogsBucket: bucket });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::Bucket', 0);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute('access_logs.s3.bucket', 'my-alb-logs')]),
      });
    });

    test.each([1, 30, 3650])('uses the provided accessLogsRetention of %s days', (days) => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, accessLogsRetention: Duration.days(days) });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireAccessLogs', ExpirationInDays: days })]) },
      });
    });

    test('uses the provided removalPolicy for the access logs bucket', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(stack).hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });
  });

  describe('validation', () => {
    test.each([0, 4001])('fails when idleTimeout is %s seconds', (seconds) => {
      expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, idleTimeout: Duration.seconds(seconds) }))
        .toThrow(new RegExp(`^\\[TestStack/Lb\\] \`idleTimeout\` must be an integer between 1 and 4000, got: ${seconds}$`));
    });

    test.each([0, 3651])('fails when accessLogsRetention is %s days', (days) => {
      expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, accessLogsRetention: Duration.days(days) }))
        .toThrow(new RegExp(`^\\[TestStack/Lb\\] \`accessLogsRetention\` must be an integer between 1 and 3650, got: ${days}$`));
    });
  });

  describe('routes', () => {
    test('adds a listener rule on the HTTP listener when there is no certificate', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      const rule = lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: logicalId(lb.httpListener) },
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: logicalId(tg) } }],
        Priority: lb.priorityOf('api'),
      });
      expect(rule).toBeInstanceOf(elbv2.ApplicationListenerRule);
    });

    test('adds a listener rule on the HTTPS listener when there is a certificate', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      const tg = targetGroup();
      lb.addRoute('api', {
        match: RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/v1/*', '/v2/*')),
        targetGroup: tg,
      });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: logicalId(lb.httpsListener!) },
        Conditions: [
          { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/*', '/v2/*'] } },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: logicalId(tg) } }],
      });
    });

    test('uses the provided priority', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup(), priority: 7 });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 7 });
      expect(lb.priorityOf('api')).toEqual(7);
    });

    test('gives every route its own listener rule and priority', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg });
      lb.addRoute('web', { match: RouteMatch.pathPatterns('/*'), targetGroup: tg });
      lb.addRoute('admin', { match: RouteMatch.hostHeaders('admin.example.com'), targetGroup: tg });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 3);
      const priorities = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
        .map((rule) => rule.Properties.Priority);
      expect(priorities.sort()).toEqual(['api', 'web', 'admin'].map((id) => lb.priorityOf(id)).sort());
      expect(new Set(priorities).size).toEqual(3);
    });

    test('renders the priority known at synth time, also for routes added after priorityOf()', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg });
      const api = lb.priorityOf('api');
      lb.addRoute('web', { match: RouteMatch.pathPatterns('/*'), targetGroup: tg });
      const priority = new Capture();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Priority: priority,
      });
      expect(priority.asNumber()).toEqual(lb.priorityOf('web'));
      expect(lb.priorityOf('api')).toEqual(api);
    });

    test('fails when two routes have the same match', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('orders', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg });
      expect(() => lb.addRoute('billing', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg }))
        .toThrow(/^\[TestStack\/Lb\] routes "orders" and "billing" both claim path \/api\/\*; each match can be routed to one target only$/);
    });

    test('fails when two routes have the same match in another order and host case', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('orders', {
        match: RouteMatch.pathPatterns('/a/*', '/b/*').and(RouteMatch.hostHeaders('API.example.com')),
        targetGroup: tg,
      });
      expect(() => lb.addRoute('billing', {
        match: RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/b/*', '/a/*')),
        targetGroup: tg,
      })).toThrow(/routes "orders" and "billing" both claim path \/b\/\* \| \/a\/\* and host api\.example\.com/);
    });

    test('fails when a route id is used twice', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg });
      expect(() => lb.addRoute('api', { match: RouteMatch.pathPatterns('/v2/*'), targetGroup: tg }))
        .toThrow(/^\[TestStack\/Lb\] a route with id "api" already exists on TestStack\/Lb; route ids must be unique on a load balancer$/);
    });

    test('fails when two routes ask for the same priority', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('orders', { match: RouteMatch.pathPatterns('/orders/*'), targetGroup: tg, priority: 10 });
      expect(() => lb.addRoute('billing', { match: RouteMatch.pathPatterns('/billing/*'), targetGroup: tg, priority: 10 }))
        .toThrow(exactly('[TestStack/Lb] `priority` must be a priority that no other route has: route "orders" already has 10; ' +
          'pin the one that is not deployed yet at `priority: 11`, the nearest free priority, got: 10'));
    });

    test.each([0, 50001, 1.5, -3])('fails when the priority is %s', (priority) => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      expect(() => lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup(), priority }))
        .toThrow(new RegExp(`^\\[TestStack/Lb\\] \`priority\` must be an integer between 1 and 50000, got: ${priority}$`));
    });

    test.each([1, 50000])('accepts the priority %s', (priority) => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup(), priority });
      expect(lb.priorityOf('api')).toEqual(priority);
    });

    test('accepts an unresolved priority and renders it', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const priority = Lazy.number({ produce: () => 42 });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup(), priority });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 42 });
    });

    test('fails when the match of a route is invalid, naming the route', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      expect(() => lb.addRoute('api', { match: RouteMatch.pathPatterns('api/*'), targetGroup: targetGroup() }))
        .toThrow(/^\[TestStack\/Lb\] `match\.pathPatterns` must be path patterns that start with `\/`.*, got: "api\/\*"$/);
      expect(() => lb.addRoute('web', { match: RouteMatch.hostHeaders(), targetGroup: targetGroup(stack, 'Tg2') }))
        .toThrow(/`match` must be a match with at least one path pattern or host header/);
    });

    test('fails when the 101st route is added, naming the ALB quota and a second PublicLoadBalancer', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      for (let i = 0; i < 100; i++) {
        lb.addRoute(`r${i}`, { match: RouteMatch.pathPatterns(`/x${i}/*`), targetGroup: tg });
      }
      expect(() => lb.addRoute('r100', { match: RouteMatch.pathPatterns('/x100/*'), targetGroup: tg }))
        .toThrow(exactly('[TestStack/Lb] `routes` must be at most 100 per load balancer (the ALB quota of rules per load balancer, `maxRoutes`); ' +
          'put "r100" and further services behind a second PublicLoadBalancer, or raise the quota and `maxRoutes`, got: 101'));
      Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 100);
    });

    test('fails, naming both routes and the priority to pin, when two ids hash to the same priority', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('svc2174', { match: RouteMatch.pathPatterns('/a/*'), targetGroup: tg });
      expect(() => lb.addRoute('svc11345', { match: RouteMatch.pathPatterns('/b/*'), targetGroup: tg }))
        .toThrow(exactly('[TestStack/Lb] `priority` must be given for route "svc11345" or route "svc2174": both ids hash to priority 43696, ' +
          'and neither may move since one of them may be deployed; pin the one that is not deployed yet at `priority: 43697`, ' +
          'the nearest free priority, got: undefined'));
      expect(lb.priorityOf('svc2174')).toEqual(43696);
      Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
    });

    test('does not warn when no priorities collide', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Lb', Match.stringLikeRegexp('priority'));
    });

    test('fails when asked for the priority of an unknown route', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      expect(() => lb.priorityOf('nope')).toThrow(/^\[TestStack\/Lb\] no route with id "nope"$/);
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      expect(() => lb.priorityOf('nope')).toThrow(/no route with id "nope"/);
    });
  });

  describe('route priorities', () => {
    type RouteSpec = [id: string, match: RouteMatch, priority?: number];

    /** The priorities of `routes` on a load balancer in a stack of its own. */
    function prioritiesOf(routes: RouteSpec[], options: PublicLoadBalancerOptions = {}): Record<string, number> {
      const own = testStack('Own');
      const ownVpc = testVpc(own);
      const lb = new PublicLoadBalancer(own, 'Lb', { vpc: ownVpc, ...options });
      const tg = targetGroup(own, 'Tg', ownVpc);
      for (const [id, match, priority] of routes) lb.addRoute(id, { match, targetGroup: tg, priority });
      return Object.fromEntries(routes.map(([id]) => [id, lb.priorityOf(id)]));
    }

    const a: RouteSpec = ['a', RouteMatch.pathPatterns('/a/*')];
    const b: RouteSpec = ['b', RouteMatch.pathPatterns('/b/*')];
    const c: RouteSpec = ['c', RouteMatch.hostHeaders('c.example.com')];
    const d: RouteSpec = ['d', RouteMatch.pathPatterns('/d/*')];

    test('are the same for the same routes in two stacks', () => {
      expect(prioritiesOf([a, b, c])).toEqual(prioritiesOf([a, b, c]));
    });

    test('do not depend on the order the routes are added in', () => {
      expect(prioritiesOf([c, b, a])).toEqual(prioritiesOf([a, b, c]));
    });

    test('do not depend on the certificate', () => {
      const withCertificate = testStack('WithCertificate');
      expect(prioritiesOf([a, b, c], { certificate: certificate(withCertificate) })).toEqual(prioritiesOf([a, b, c]));
    });

    test('stay the same for the other routes when a route is added', () => {
      const before = prioritiesOf([a, b, c]);
      const after = prioritiesOf([a, b, c, d]);
      expect(after).toEqual(expect.objectContaining(before));
    });

    test('stay the same for the other routes when a route is added first', () => {
      const before = prioritiesOf([a, b, c]);
      const after = prioritiesOf([d, a, b, c]);
      expect(after).toEqual(expect.objectContaining(before));
    });

    test('stay the same for the other routes when a route is removed', () => {
      const before = prioritiesOf([a, b, c, d]);
      const after = prioritiesOf([a, c, d]);
      expect(before).toEqual(expect.objectContaining(after));
    });

    test('stay the same for the other routes when a route with a fixed priority is added', () => {
      const before = prioritiesOf([a, b, c]);
      const after = prioritiesOf([a, b, c, ['fixed', RouteMatch.pathPatterns('/fixed/*'), 1]]);
      expect(after).toEqual({ ...before, fixed: 1 });
    });

    test('depend on the route id', () => {
      const one = prioritiesOf([['one', RouteMatch.pathPatterns('/x/*')]]).one;
      const two = prioritiesOf([['two', RouteMatch.pathPatterns('/x/*')]]).two;
      expect(one).not.toEqual(two);
    });

    test.each<[string, RouteMatch, number]>([
      ['/*', RouteMatch.pathPatterns('/*'), 0],
      ['/api/*', RouteMatch.pathPatterns('/api/*'), 1],
      ['/api/v1/*', RouteMatch.pathPatterns('/api/v1/*'), 2],
      ['/a/b/c/d/e/*', RouteMatch.pathPatterns('/a/b/c/d/e/*'), 4],
      ['a host', RouteMatch.hostHeaders('api.example.com'), 5],
      ['a host and /api/*', RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/api/*')), 6],
      ['a host and /a/b/c/d/*', RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/a/b/c/d/*')), 9],
    ])('put %s in the band of its specificity', (_name, match, specificity) => {
      const [low, high] = band(specificity);
      const { route } = prioritiesOf([['route', match]]);
      expect(route).toBeGreaterThanOrEqual(low);
      expect(route).toBeLessThanOrEqual(high);
    });

    test('are lower for more specific matches', () => {
      const priorities = prioritiesOf([
        ['root', RouteMatch.pathPatterns('/*')],
        ['api', RouteMatch.pathPatterns('/api/*')],
        ['v1', RouteMatch.pathPatterns('/api/v1/*')],
        ['host', RouteMatch.hostHeaders('api.example.com')],
        ['hostPath', RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/api/*'))],
      ]);
      expect(priorities.v1).toBeLessThan(priorities.api);
      expect(priorities.api).toBeLessThan(priorities.root);
      expect(priorities.host).toBeLessThan(priorities.v1);
      expect(priorities.hostPath).toBeLessThan(priorities.host);
      expect(priorities.hostPath).toBeLessThan(priorities.api);
    });

    test('are distinct and valid for 100 routes', () => {
      const routes: RouteSpec[] = [];
      for (let i = 0; i < 100; i++) routes.push([`r${i}`, RouteMatch.pathPatterns(`/x${i}/*`)]);
      const priorities = Object.values(prioritiesOf(routes));
      expect(new Set(priorities).size).toEqual(100);
      for (const priority of priorities) {
        expect(Number.isInteger(priority)).toBe(true);
        expect(priority).toBeGreaterThanOrEqual(1);
        expect(priority).toBeLessThanOrEqual(50000);
      }
    });

    // svc0, svc888 and svc2174 hash to the same slot of a band (FNV-1a modulo 5000 = 3695)
    test('never move a route for another whose id hashes to its priority: the second fails, naming the priority to pin', () => {
      const match = (i: number) => RouteMatch.pathPatterns(`/s${i}/*`);
      const alone = prioritiesOf([['svc0', match(0)]]).svc0;
      expect(prioritiesOf([['svc888', match(1)]]).svc888).toEqual(alone);
      expect(() => prioritiesOf([['svc888', match(1)], ['svc0', match(0)]]))
        .toThrow(`\`priority\` must be given for route "svc0" or route "svc888": both ids hash to priority ${alone}`);
      expect(() => prioritiesOf([['svc0', match(0)], ['svc888', match(1)]]))
        .toThrow(`\`priority\` must be given for route "svc888" or route "svc0": both ids hash to priority ${alone}`);

      // pinned as told, in either order, the other keeps its priority
      expect(prioritiesOf([['svc0', match(0)], ['svc888', match(1), alone + 1]])).toEqual({ svc0: alone, svc888: alone + 1 });
      expect(prioritiesOf([['svc888', match(1), alone + 1], ['svc0', match(0)]])).toEqual({ svc0: alone, svc888: alone + 1 });
      // a third suggests the next free priority
      expect(() => prioritiesOf([['svc0', match(0)], ['svc888', match(1), alone + 1], ['svc2174', match(2)]]))
        .toThrow(`pin the one that is not deployed yet at \`priority: ${alone - 1}\``);
    });

    // the case of the issue: Ab5112 hashes to Api's 44520, and once moved Api's deployed rule to 44521
    test('keep Api at 44520 when Ab5112 is added: the addition fails with the priority to pin', () => {
      const api: RouteSpec = ['Api', RouteMatch.pathPatterns('/api/*')];
      expect(prioritiesOf([api]).Api).toEqual(44520);
      expect(() => prioritiesOf([api, ['Ab5112', RouteMatch.pathPatterns('/ab5112/*')]]))
        .toThrow(/`priority` must be given for route "Ab5112" or route "Api": both ids hash to priority 44520, .*`priority: 44521`/);
      expect(prioritiesOf([api, ['Ab5112', RouteMatch.pathPatterns('/ab5112/*'), 44521]])).toEqual({ Api: 44520, Ab5112: 44521 });
    });

    // svc9294 and svc14993 both hash to the last slot of their band
    test('suggest a priority in the band of the collision, below it at the end of the band', () => {
      const [, high] = band(1);
      expect(() => prioritiesOf([['svc9294', RouteMatch.pathPatterns('/p/*')], ['svc14993', RouteMatch.pathPatterns('/q/*')]]))
        .toThrow(`both ids hash to priority ${high}, and neither may move since one of them may be deployed; ` +
          `pin the one that is not deployed yet at \`priority: ${high - 1}\``);
    });

    test('refuse a fixed priority that another route derives, and a route that derives another\'s fixed priority', () => {
      const { svc0 } = prioritiesOf([['svc0', RouteMatch.pathPatterns('/s/*')]]);
      expect(() => prioritiesOf([['svc0', RouteMatch.pathPatterns('/s/*')], ['fixed', RouteMatch.pathPatterns('/f/*'), svc0]]))
        .toThrow(`\`priority\` must be a priority that no other route has: route "svc0" already has ${svc0} (derived from its id); ` +
          `pin the one that is not deployed yet at \`priority: ${svc0 + 1}\`, the nearest free priority, got: ${svc0}`);
      expect(() => prioritiesOf([['fixed', RouteMatch.pathPatterns('/f/*'), svc0], ['svc0', RouteMatch.pathPatterns('/s/*')]]))
        .toThrow(`\`priority\` must be given for route "svc0": the priority derived from its id, ${svc0}, is route "fixed"'s fixed priority; ` +
          `pin the one that is not deployed yet at \`priority: ${svc0 + 1}\``);
    });
  });

  describe('certificates', () => {
    const OTHER_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-3333-4444-555555555555';
    const THIRD_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/33333333-2222-3333-4444-555555555555';

    function imported(id: string, arn: string): acm.ICertificate {
      return acm.Certificate.fromCertificateArn(stack, id, arn);
    }

    test('serves HTTPS with the first of certificates as the default and the others for SNI', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificates: [imported('A', CERTIFICATE_ARN), imported('B', OTHER_ARN), imported('C', THIRD_ARN)] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerCertificate', 2);
      for (const arn of [OTHER_ARN, THIRD_ARN]) {
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerCertificate', {
          ListenerArn: { Ref: logicalId(lb.httpsListener!) },
          Certificates: [{ CertificateArn: arn }],
        });
      }
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTP', Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect' })],
      });
      expect(lb.listener).toBe(lb.httpsListener);
    });

    test('puts certificate first and adds certificates after it, each once', () => {
      const a = imported('A', CERTIFICATE_ARN);
      new PublicLoadBalancer(stack, 'Lb', {
        vpc,
        certificate: a,
        certificates: [imported('B', OTHER_ARN), a, imported('AAgain', CERTIFICATE_ARN), imported('BAgain', OTHER_ARN)],
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERTIFICATE_ARN }] });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerCertificate', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerCertificate', { Certificates: [{ CertificateArn: OTHER_ARN }] });
    });

    test('keeps certificates with unresolved ARNs apart', () => {
      const first = acm.Certificate.fromCertificateArn(stack, 'A', Lazy.string({ produce: () => CERTIFICATE_ARN }));
      const second = acm.Certificate.fromCertificateArn(stack, 'B', Lazy.string({ produce: () => OTHER_ARN }));
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificates: [first, second] });
      Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerCertificate', 1);
    });

    test('creates no listener certificate for a single certificate', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerCertificate', 0);
    });

    test('serves plain HTTP when certificates is empty', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificates: [] });
      Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      expect(lb.httpsListener).toBeUndefined();
    });

    test('warns when there are more SNI certificates than the default ALB quota', () => {
      const certificates = Array.from({ length: 27 }, (_, i) =>
        imported(`C${i}`, `arn:aws:acm:us-east-1:123456789012:certificate/${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`));
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificates });
      Annotations.fromStack(stack).hasWarning('/TestStack/Lb', Match.stringLikeRegexp(
        '26 certificates besides the default one exceed the default ALB quota of 25 \\("Certificates per Application Load Balancer"\\)'));
    });

    test('does not warn for 25 SNI certificates', () => {
      const certificates = Array.from({ length: 26 }, (_, i) =>
        imported(`C${i}`, `arn:aws:acm:us-east-1:123456789012:certificate/${String(i).padStart(8, '0')}-2222-3333-4444-555555555555`));
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificates });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Lb', Match.stringLikeRegexp('quota'));
    });
  });

  describe('ingress', () => {
    test('is internet-facing by default', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
      });
    });

    test('puts an internal load balancer in the private subnets', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, internetFacing: false });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internal',
        Subnets: vpc.privateSubnets.map((subnet) => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as CfnElement) })),
      });
    });

    test('accepts the listener ports of an internal load balancer from the VPC CIDR block only', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, internetFacing: false, certificate: certificate() });
      const template = Template.fromStack(stack);
      const cidr = '10.0.0.0/16';
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        SecurityGroupIngress: [
          { CidrIp: cidr, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'VPC to listener port 80' },
          { CidrIp: cidr, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'VPC to listener port 443' },
        ],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('refers to the CIDR block of an imported VPC', () => {
      const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-12345678',
        vpcCidrBlock: '10.50.0.0/16',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        privateSubnetIds: ['subnet-11111111', 'subnet-22222222'],
      });
      new PublicLoadBalancer(stack, 'Lb', { vpc: imported, internetFacing: false });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [{ CidrIp: '10.50.0.0/16', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'VPC to listener port 80' }],
      });
    });

    test('refers to the CIDR block of a VPC whose block is not known at synth', () => {
      const ipamVpc = new ec2.Vpc(stack, 'IpamVpc', { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false });
      (ipamVpc.node.defaultChild as ec2.CfnVPC).cidrBlock = Lazy.string({ produce: () => '10.60.0.0/16' });
      new PublicLoadBalancer(stack, 'Lb', { vpc: ipamVpc, internetFacing: false });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [Match.objectLike({ CidrIp: { 'Fn::GetAtt': [stack.getLogicalId(ipamVpc.node.defaultChild as CfnElement), 'CidrBlock'] } })],
      });
    });

    test('accepts the listener ports from the given IPv4 and IPv6 ranges only', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate(), ingressCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        SecurityGroupIngress: [
          { CidrIp: '203.0.113.0/24', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: '203.0.113.0/24 to listener port 80' },
          { CidrIpv6: '2001:db8::/32', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: '2001:db8::/32 to listener port 80' },
          { CidrIp: '203.0.113.0/24', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: '203.0.113.0/24 to listener port 443' },
          { CidrIpv6: '2001:db8::/32', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: '2001:db8::/32 to listener port 443' },
        ],
      });
    });

    test('accepts the listener ports from the given prefix lists only', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate(), ingressPrefixListIds: ['pl-3b927c52'] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
      for (const port of [80, 443]) {
        template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
          GroupId: { 'Fn::GetAtt': [stack.getLogicalId(lb.securityGroup.node.defaultChild as CfnElement), 'GroupId'] },
          SourcePrefixListId: 'pl-3b927c52',
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          Description: `pl-3b927c52 to listener port ${port}`,
        });
      }
    });

    test('accepts the listener ports from given ranges and prefix lists together', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, ingressCidrs: ['10.1.0.0/16'], ingressPrefixListIds: ['pl-0123456789abcdef0'] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 80 })],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourcePrefixListId: 'pl-0123456789abcdef0', FromPort: 80 });
    });

    test('restricts an internal load balancer to the given ranges instead of the VPC', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, internetFacing: false, ingressCidrs: ['10.20.0.0/16'] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: '10.20.0.0/16 to listener port 80' }],
      });
    });

    test('names a range given as a token neutrally', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, ingressCidrs: [Lazy.string({ produce: () => '10.9.0.0/16' })] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [{ CidrIp: '10.9.0.0/16', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Allowed range to listener port 80' }],
      });
    });

    test('opens nothing for an empty ingressCidrs, so that rules can be added through connections', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, ingressCidrs: [] });
      lb.connections.allowFrom(ec2.Peer.ipv4('192.0.2.0/24'), ec2.Port.tcp(80), 'Partner');
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        SecurityGroupIngress: [{ CidrIp: '192.0.2.0/24', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Partner' }],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('treats an explicit 0.0.0.0/0 like the default on an internet-facing load balancer', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc, ingressCidrs: ['0.0.0.0/0', '::/0'] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Shared ALB: listener ports from its ingress sources; to routed services only',
        SecurityGroupIngress: [
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Internet to listener port 80' },
          { CidrIpv6: '::/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Internet over IPv6 to listener port 80' },
        ],
      });
    });
  });

  describe('web ACL', () => {
    const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/platform-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

    test('attaches no web ACL by default', () => {
      new PublicLoadBalancer(stack, 'Lb', { vpc });
      Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    });

    test('attaches the given web ACL to the load balancer', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, webAclArn: WEB_ACL_ARN });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: logicalId(lb.loadBalancer) }, WebACLArn: WEB_ACL_ARN });
    });

    test('accepts a web ACL ARN token, such as that of a web ACL in the same stack', () => {
      const webAclArn = Lazy.string({ produce: () => WEB_ACL_ARN });
      new PublicLoadBalancer(stack, 'Lb', { vpc, webAclArn });
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL_ARN });
    });

    test('accepts a web ACL of any region in an environment-agnostic stack', () => {
      const agnostic = new Stack(undefined, 'Agnostic');
      const arn = WEB_ACL_ARN.replace('us-east-1', 'eu-west-1');
      new PublicLoadBalancer(agnostic, 'Lb', { vpc: testVpc(agnostic), webAclArn: arn });
      Template.fromStack(agnostic).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
    });

    test.each([
      'arn:aws:wafv2:us-east-1:123456789012:global/webacl/platform-acl/a1b2c3d4',
      'arn:aws:waf-regional:us-east-1:123456789012:webacl/a1b2c3d4',
      'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/platform-acl',
      'arn:aws:wafv2:us-east-1:12345:regional/webacl/platform-acl/a1b2c3d4',
      'platform-acl',
    ])('fails when webAclArn is %s', (webAclArn) => {
      expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, webAclArn })).toThrow(exactly('[TestStack/Lb] `webAclArn` must be the ARN of a ' +
        `regional AWS WAF web ACL (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got: "${webAclArn}"`));
    });

    test('fails when the web ACL is in another region', () => {
      const webAclArn = WEB_ACL_ARN.replace('us-east-1', 'eu-west-1');
      expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, webAclArn })).toThrow(exactly('[TestStack/Lb] `webAclArn` must be a web ACL in ' +
        `the load balancer's region, us-east-1 (WAF attaches only web ACLs of the same region), got: "${webAclArn}"`));
    });
  });

  describe('ingress validation', () => {
    test.each(['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'sg-12345678', '2001:db8::/129', ''])('fails when ingressCidrs holds %j', (cidr) => {
      expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, ingressCidrs: ['10.1.0.0/16', cidr] })).toThrow(exactly('[TestStack/Lb] `ingressCidrs` ' +
        `must be IPv4 or IPv6 ranges in CIDR notation, such as 203.0.113.0/24 or 2001:db8::/32, got: ${JSON.stringify(cidr)}`));
    });

    test.each(['pl-123', 'pl-ABCDEF12', 'sg-12345678', 'pl-0123456789abcdef01', 'com.amazonaws.global.cloudfront.origin-facing'])(
      'fails when ingressPrefixListIds holds %j', (prefixListId) => {
        expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, ingressPrefixListIds: [prefixListId] })).toThrow(exactly('[TestStack/Lb] ' +
          `\`ingressPrefixListIds\` must be managed prefix list ids such as pl-12345678 or pl-0123456789abcdef0, got: "${prefixListId}"`));
      });

    test('accepts prefix list ids given as tokens', () => {
      const prefixListId = Lazy.string({ produce: () => 'pl-3b927c52' });
      new PublicLoadBalancer(stack, 'Lb', { vpc, ingressPrefixListIds: [prefixListId] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourcePrefixListId: 'pl-3b927c52' });
    });
  });

  describe('route limit', () => {
    test.each([0, 5001, 1.5])('fails when maxRoutes is %s', (maxRoutes) => {
      expect(() => new PublicLoadBalancer(stack, 'Lb', { vpc, maxRoutes }))
        .toThrow(exactly(`[TestStack/Lb] \`maxRoutes\` must be an integer between 1 and 5000, got: ${maxRoutes}`));
    });

    test('fails, naming the route and the count, when a route goes beyond maxRoutes', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, maxRoutes: 2 });
      const tg = targetGroup();
      lb.addRoute('a', { match: RouteMatch.pathPatterns('/a/*'), targetGroup: tg });
      lb.addRoute('b', { match: RouteMatch.pathPatterns('/b/*'), targetGroup: tg });
      expect(() => lb.addRoute('c', { match: RouteMatch.pathPatterns('/c/*'), targetGroup: tg }))
        .toThrow(exactly('[TestStack/Lb] `routes` must be at most 2 per load balancer (the ALB quota of rules per load balancer, `maxRoutes`); ' +
          'put "c" and further services behind a second PublicLoadBalancer, or raise the quota and `maxRoutes`, got: 3'));
    });

    test('holds more than 100 routes when maxRoutes is raised', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, maxRoutes: 150 });
      const tg = targetGroup();
      for (let i = 0; i < 150; i++) lb.addRoute(`r${i}`, { match: RouteMatch.pathPatterns(`/x${i}/*`), targetGroup: tg });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 150);
      const priorities = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')).map((rule) => rule.Properties.Priority);
      expect(new Set(priorities).size).toEqual(150);
    });

    test('fails at synth when rules added to the listener directly go beyond maxRoutes', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, maxRoutes: 1 });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      lb.listener.addAction('Extra', {
        priority: 1,
        conditions: [elbv2.ListenerCondition.pathPatterns(['/extra'])],
        action: elbv2.ListenerAction.fixedResponse(200),
      });
      expect(() => Template.fromStack(stack)).toThrow(/`routes` must be at most 1 listener rules on this load balancer, counting rules added to its listeners directly \(the ALB quota of rules per load balancer, `maxRoutes`\), got: 2/);
    });
  });

  describe('routes with more condition kinds', () => {
    test('renders header, query-string, source-ip and method conditions', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      lb.addRoute('canary', {
        match: RouteMatch.pathPatterns('/api/*').and(RouteMatch.httpHeader('X-Canary', 'true'))
          .and(RouteMatch.queryStrings({ key: 'v', value: '2' })).and(RouteMatch.sourceIps('10.0.0.0/8')).and(RouteMatch.httpRequestMethods('GET')),
        targetGroup: targetGroup(),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Conditions: [
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } },
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] } },
          { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '2' }] } },
          { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        ],
        Priority: lb.priorityOf('canary'),
      });
    });

    test('fails, naming the prop, when a route joins two path conditions', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      expect(() => lb.addRoute('api', { match: RouteMatch.pathPatterns('/a/*').and(RouteMatch.pathPatterns('/b/*')), targetGroup: targetGroup() }))
        .toThrow(/^\[TestStack\/Lb\] `match\.pathPatterns` must be given in one `RouteMatch\.pathPatterns\(\.\.\.\)` call: .*, got: "path \/a\/\* and path \/b\/\*"$/);
    });

    test('fails when two routes have the same header match in another case, naming both', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('blue', { match: RouteMatch.httpHeader('X-Env', 'Blue'), targetGroup: tg });
      expect(() => lb.addRoute('green', { match: RouteMatch.httpHeader('x-env', 'blue'), targetGroup: tg }))
        .toThrow(exactly('[TestStack/Lb] routes "blue" and "green" both claim header x-env: blue; each match can be routed to one target only'));
    });

    test('routes a canary (path and header) before its base route (path only)', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg });
      lb.addRoute('apiCanary', { match: RouteMatch.pathPatterns('/api/*').and(RouteMatch.httpHeader('X-Canary', 'true')), targetGroup: tg });
      expect(lb.priorityOf('apiCanary')).toBeLessThan(lb.priorityOf('api'));
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Lb', Match.anyValue());
    });
  });

  describe('unreachable routes', () => {
    test('warns when a route evaluated first takes every request of another, naming both', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('broad', { match: RouteMatch.pathPatterns('/a/*', '/b/*'), targetGroup: tg, priority: 1 });
      lb.addRoute('narrow', { match: RouteMatch.pathPatterns('/a/*'), targetGroup: tg });
      const narrow = lb.priorityOf('narrow');
      Annotations.fromStack(stack).hasWarning('/TestStack/Lb', Match.stringLikeRegexp(
        `route "narrow" \\(path /a/\\*, priority ${narrow}\\) never matches: route "broad" \\(path /a/\\* \\| /b/\\*, priority 1\\) is evaluated first ` +
        'and takes every request it would match. Give "narrow" a fixed `priority` below 1, or narrow "broad"'));
    });

    test('does not warn when the narrower route is evaluated first', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('broad', { match: RouteMatch.pathPatterns('/a/*', '/b/*'), targetGroup: tg });
      lb.addRoute('narrow', { match: RouteMatch.pathPatterns('/a/*'), targetGroup: tg, priority: 1 });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Lb', Match.stringLikeRegexp('never matches'));
    });

    test('warns when a derived /* route comes before a fixed /api/*, reading the wildcards', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: tg, priority: 50000 });
      lb.addRoute('root', { match: RouteMatch.pathPatterns('/*'), targetGroup: tg });
      const root = lb.priorityOf('root');
      expect(root).toBeLessThan(50000);
      Annotations.fromStack(stack).hasWarning('/TestStack/Lb', Match.stringLikeRegexp(
        `route "api" \\(path /api/\\*, priority 50000\\) never matches: route "root" \\(path /\\*, priority ${root}\\) is evaluated first`));
    });

    test('warns when a host wildcard comes before a host it covers', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('any', { match: RouteMatch.hostHeaders('*.example.com'), targetGroup: tg, priority: 1 });
      lb.addRoute('api', { match: RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/v?/*')), targetGroup: tg });
      Annotations.fromStack(stack).hasWarning('/TestStack/Lb', Match.stringLikeRegexp('route "api" .* never matches: route "any" .* is evaluated first'));
    });

    test.each<[string, string, number | undefined, string, number | undefined]>([
      ['derived /api/* before derived /*', '/api/*', undefined, '/*', undefined],
      ['fixed /api/* before derived /*', '/api/*', 1, '/*', undefined],
      ['/api/* before /*, both fixed', '/api/*', 2, '/*', 3],
      ['/*/v1 after /api/*', '/api/*', 2, '/*/v1', 3],
      ['/v?/* before /v10/*', '/v?/*', 2, '/v10/*', 3],
      ['/api/* before /apiv2/*', '/api/*', 2, '/apiv2/*', 3],
    ])('does not warn for %s', (_name, first, firstPriority, second, secondPriority) => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('first', { match: RouteMatch.pathPatterns(first), targetGroup: tg, priority: firstPriority });
      lb.addRoute('second', { match: RouteMatch.pathPatterns(second), targetGroup: tg, priority: secondPriority });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Lb', Match.stringLikeRegexp('never matches'));
    });

    test('does not compare priorities that are unresolved tokens', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const tg = targetGroup();
      lb.addRoute('broad', { match: RouteMatch.pathPatterns('/a/*', '/b/*'), targetGroup: tg, priority: Lazy.number({ produce: () => 1 }) });
      lb.addRoute('narrow', { match: RouteMatch.pathPatterns('/a/*'), targetGroup: tg });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Lb', Match.stringLikeRegexp('never matches'));
    });
  });

  describe('priority stability in a platform-sized setup', () => {
    type Spec = [id: string, match: RouteMatch, priority?: number];

    /** Some 60 routes of every kind, as a platform of many services would have. */
    function platformRoutes(): Spec[] {
      const routes: Spec[] = [];
      for (let i = 0; i < 30; i++) routes.push([`orders${i}`, RouteMatch.pathPatterns(`/orders${i}/*`)]);
      for (let i = 0; i < 10; i++) routes.push([`site${i}`, RouteMatch.hostHeaders(`site${i}.example.com`)]);
      for (let i = 0; i < 8; i++) {
        routes.push([`canary${i}`, RouteMatch.pathPatterns(`/orders${i}/*`).and(RouteMatch.httpHeader('X-Canary', 'true'))]);
      }
      for (let i = 0; i < 5; i++) routes.push([`v${i}`, RouteMatch.pathPatterns(`/api/v${i}/*`).and(RouteMatch.queryStrings({ key: 'beta', value: '1' }))]);
      routes.push(['office', RouteMatch.hostHeaders('admin.example.com').and(RouteMatch.sourceIps('203.0.113.0/24'))]);
      routes.push(['readOnly', RouteMatch.pathPatterns('/reports/*').and(RouteMatch.httpRequestMethods('GET', 'HEAD'))]);
      routes.push(['pinned', RouteMatch.pathPatterns('/legacy/*'), 7]);
      routes.push(['root', RouteMatch.pathPatterns('/*')]);
      return routes;
    }

    /** The priority of every listener rule of a load balancer with `routes`, by logical id, from the template. */
    function rulePriorities(routes: Spec[]): Record<string, number> {
      const own = testStack('Platform');
      const ownVpc = testVpc(own);
      const lb = new PublicLoadBalancer(own, 'Lb', { vpc: ownVpc, certificate: acm.Certificate.fromCertificateArn(own, 'Certificate', CERTIFICATE_ARN) });
      const tg = targetGroup(own, 'Tg', ownVpc);
      for (const [id, match, priority] of routes) lb.addRoute(id, { match, targetGroup: tg, priority });
      // stability is promised for routes whose preferred priorities do not collide: this set has no collision
      Annotations.fromStack(own).hasNoWarning('/Platform/Lb', Match.anyValue());
      const rules = Template.fromStack(own).findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
      return Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.Properties.Priority]));
    }

    test('gives every route a distinct priority', () => {
      const priorities = Object.values(rulePriorities(platformRoutes()));
      expect(priorities).toHaveLength(57);
      expect(new Set(priorities).size).toEqual(57);
    });

    test('keeps every priority when a route is added', () => {
      const before = rulePriorities(platformRoutes());
      const after = rulePriorities([...platformRoutes(), ['newService', RouteMatch.pathPatterns('/new-service/*')]]);
      expect(Object.keys(after)).toHaveLength(58);
      expect(after).toEqual(expect.objectContaining(before));
    });

    test('keeps every priority when a route of a newer kind is added', () => {
      const before = rulePriorities(platformRoutes());
      const after = rulePriorities([...platformRoutes(), ['partners', RouteMatch.pathPatterns('/*').and(RouteMatch.sourceIps('198.51.100.0/24'))]]);
      expect(after).toEqual(expect.objectContaining(before));
    });

    test('keeps every other priority when a route is removed', () => {
      const before = rulePriorities(platformRoutes());
      const after = rulePriorities(platformRoutes().filter(([id]) => id !== 'orders17' && id !== 'canary3'));
      expect(Object.keys(after)).toHaveLength(55);
      expect(before).toEqual(expect.objectContaining(after));
    });

    test('keeps a fixed priority, whatever else is added', () => {
      const before = rulePriorities(platformRoutes());
      const after = rulePriorities([...platformRoutes(), ['another', RouteMatch.pathPatterns('/another/*'), 8]]);
      const pinned = Object.keys(before).find((id) => id.startsWith('LbpinnedRoute'))!;
      expect(before[pinned]).toEqual(7);
      expect(after[pinned]).toEqual(7);
      expect(after).toEqual(expect.objectContaining(before));
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings without a certificate', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      expect(nagFindings(lb)).toEqual([]);
    });

    test('has no AwsSolutions findings with a certificate', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, certificate: certificate() });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      expect(nagFindings(lb)).toEqual([]);
    });

    test('has no AwsSolutions findings with several certificates and a web ACL', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', {
        vpc,
        certificates: [certificate(), acm.Certificate.fromCertificateArn(stack, 'Other', CERTIFICATE_ARN.replace('11111111', '22222222'))],
        webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/platform-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*').and(RouteMatch.httpHeader('X-A', '1')), targetGroup: targetGroup() });
      expect(nagFindings(lb)).toEqual([]);
    });

    test('has no AwsSolutions findings when internal', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, internetFacing: false, certificate: certificate() });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      expect(nagFindings(lb)).toEqual([]);
    });

    test.each<[string, PublicLoadBalancerOptions]>([
      ['ranges', { ingressCidrs: ['203.0.113.0/24', '2001:db8::/32'] }],
      ['prefix lists', { ingressPrefixListIds: ['pl-3b927c52'] }],
      ['nothing', { ingressCidrs: [] }],
    ])('has no AwsSolutions findings when ingress is restricted to %s', (_name, options) => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, ...options });
      lb.addRoute('api', { match: RouteMatch.pathPatterns('/api/*'), targetGroup: targetGroup() });
      expect(nagFindings(lb)).toEqual([]);
    });

    test('acknowledges, on the access logs bucket only, the compliance findings that ALB access logs cannot avoid', () => {
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc });
      const acknowledged = (lb.accessLogsBucket as s3.Bucket).node.metadata
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.keys(entry.data).map((id) => id.replace(/^annotation::/i, '')));
      const packs = (rule: string) => [`NIST.800.53.R5-${rule}`, `HIPAA.Security-${rule}`, `PCI.DSS.321-${rule}`];
      expect(acknowledged).toEqual([
        'AwsSolutions-S1', ...packs('S3BucketLoggingEnabled'), ...packs('S3DefaultEncryptionKMS'), ...packs('S3BucketReplicationEnabled'),
      ]);
      expect(lb.node.metadata).toEqual([]);
    });

    test('acknowledges the missing certificate on the HTTP listener only when it redirects to HTTPS', () => {
      const acknowledgedOn = (listener: elbv2.ApplicationListener) => listener.node.metadata
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.keys(entry.data).map((id) => id.replace(/^annotation::/i, '')));
      const redirecting = new PublicLoadBalancer(stack, 'Redirecting', { vpc, certificate: certificate() });
      expect(acknowledgedOn(redirecting.httpListener)).toEqual([
        'NIST.800.53.R5-ELBv2ACMCertificateRequired', 'HIPAA.Security-ELBv2ACMCertificateRequired', 'PCI.DSS.321-ELBv2ACMCertificateRequired',
      ]);
      expect(acknowledgedOn(redirecting.httpsListener!)).toEqual([]);
      const plain = new PublicLoadBalancer(stack, 'Plain', { vpc });
      expect(acknowledgedOn(plain.httpListener)).toEqual([]);
    });

    test('acknowledges open ingress only when the load balancer is internet-facing and open to everyone', () => {
      // an internal load balancer opened to 0.0.0.0/0 is the user's choice to acknowledge, not this construct's
      const lb = new PublicLoadBalancer(stack, 'Lb', { vpc, internetFacing: false, ingressCidrs: ['0.0.0.0/0'] });
      expect(nagFindings(lb)).toEqual([{ rule: 'AwsSolutions-EC23', path: 'TestStack/Lb/SecurityGroup/Resource' }]);
    });
  });
});
