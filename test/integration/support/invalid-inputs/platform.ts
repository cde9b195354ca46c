import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fc from 'fast-check';
import { IMAGE, InvalidCase, InvalidCaseClass } from './case';
import { AmiFamily, EcsPlatform, EcsPlatformStack, PublicLoadBalancer, RouteMatch, TaskSecret, TaskTrigger } from '../../../../src';
import { isKnownInstanceType } from '../../../../src/cluster/private/instance-type-facts';

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

/** One level of an SSM parameter name that is fine on its own (not starting with `aws` or `ssm`). */
const level = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((text) => !/^(aws|ssm)/i.test(text));
/** SSM parameter names SSM refuses: a trailing `/`, an empty level, a reserved prefix, more than 15 levels. */
const badParameterName = fc.oneof(
  fc.array(level, { minLength: 1, maxLength: 5 }).map((levels) => `/${levels.join('/')}/`),
  fc.tuple(fc.array(level, { minLength: 1, maxLength: 3 }), fc.array(level, { minLength: 1, maxLength: 3 }))
    .map(([head, tail]) => `/${head.join('/')}//${tail.join('/')}`),
  fc.tuple(fc.constantFrom('', '/'), fc.constantFrom('aws', 'AWS', 'Aws', 'ssm', 'SSM', 'sSm'), fc.stringMatching(/^[A-Za-z0-9_.-]{0,10}$/))
    .map(([slash, reserved, rest]) => `${slash}${reserved}${rest}`),
  fc.array(level, { minLength: 16, maxLength: 30 }).map((levels) => `/${levels.join('/')}`),
);

/** Instance type names one edit away from a known one (a typo), that the library does not know. */
const KNOWN_TYPES = ['m5', 'm6i', 'm7i', 'm6g', 'm7g', 'c6i', 'c7g', 'r6i', 'r7g'].flatMap((family) => ['large', 'xlarge', '2xlarge'].map((size) => `${family}.${size}`));
const typoInstanceType = fc.tuple(fc.constantFrom(...KNOWN_TYPES), fc.nat(), fc.constantFrom('', 'a', 'e', 'x', '1', '.'))
  .map(([known, at, replacement]) => {
    const index = at % known.length;
    return `${known.slice(0, index)}${replacement}${known.slice(index + 1)}`;
  })
  .filter((name) => name !== '' && !isKnownInstanceType(name));

/** IPv4 CIDR blocks with at least one host bit set. */
const hostBitsCidr = fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 31 }))
  .filter(([octets, prefix]) => octets.some((octet, index) => octet % 2 ** (8 - Math.max(0, Math.min(8, prefix - index * 8))) !== 0))
  .map(([octets, prefix]) => `${octets.join('.')}/${prefix}`);
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
/** A stack region and a certificate region other than it. */
const regionPair = fc.tuple(fc.constantFrom(...REGIONS), fc.constantFrom(...REGIONS)).filter(([stack, certificate]) => stack !== certificate);
const certificateArn = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;

/** A stack next to `stack` whose region is known (the invalid-input stack is environment-agnostic). */
function stackInRegion(stack: EcsPlatformStack, region: string): Stack {
  return new Stack(stack.node.scope as App, `In-${region}`, { env: { account: '123456789012', region } });
}

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
  fc.tuple(badRetention, fc.boolean()).map(([retention, flowLogs]): InvalidCase => ({
    prop: flowLogs ? 'flowLogRetention' : 'webAclLogRetention',
    build: (stack) => new EcsPlatform(stack, 'Second', flowLogs ? { flowLogRetention: retention } : { webAclLogRetention: retention }),
  })),
  badRemovalPolicy.map((removalPolicy): InvalidCase => ({
    prop: 'removalPolicy',
    build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, removalPolicy }),
  })),
  badRemovalPolicy.map((removalPolicy): InvalidCase => ({
    prop: 'removalPolicy',
    build: (stack) => stack.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cronExpression('0 3 * * ? *'), removalPolicy }),
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
  hostBitsCidr.map((cidr): InvalidCase => ({
    prop: 'ingressCidrs',
    build: (stack) => new PublicLoadBalancer(stack, 'Alb', { vpc: stack.platform.vpc, ingressCidrs: [cidr] }),
  })),
  regionPair.map(([stackRegion, certificateRegion]): InvalidCase => ({
    prop: 'certificateArn',
    build: (stack) => new EcsPlatformStack(stack.node.scope as App, 'Regional', {
      env: { account: '123456789012', region: stackRegion }, certificateArn: certificateArn(certificateRegion),
    }),
  })),
  fc.tuple(regionPair, fc.boolean()).map(([[stackRegion, certificateRegion], sni]): InvalidCase => ({
    prop: sni ? 'certificates' : 'certificate',
    build: (stack) => {
      const regional = stackInRegion(stack, stackRegion);
      const vpc = ec2.Vpc.fromVpcAttributes(regional, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a', 'b'], publicSubnetIds: ['s-1', 's-2'] });
      const foreign = acm.Certificate.fromCertificateArn(regional, 'Foreign', certificateArn(certificateRegion));
      const own = acm.Certificate.fromCertificateArn(regional, 'Own', certificateArn(stackRegion));
      return new PublicLoadBalancer(regional, 'Alb', sni ? { vpc, certificate: own, certificates: [foreign] } : { vpc, certificate: foreign });
    },
  })),
  fc.constantFrom(
    { instanceType: 't3.small', registered: 1986 },
    { instanceType: 'm6i.large', registered: 7946 },
    { instanceType: 'c7g.xlarge', registered: 7946 },
    { instanceType: 'r6i.xlarge', registered: 31784 },
  ).chain(({ instanceType, registered }) => fc.integer({ min: registered, max: 65536 }).map((reservedMemoryMiB): InvalidCase => ({
    prop: 'agentSettings.reservedMemoryMiB',
    build: (stack) => stack.addCapacity('Extra', {
      instanceType: new ec2.InstanceType(instanceType),
      amiFamily: instanceType.startsWith('c7g') ? AmiFamily.AMAZON_LINUX_2023_ARM64 : undefined,
      agentSettings: { reservedMemoryMiB },
    }),
  }))),
  badParameterName.map((name): InvalidCase => ({
    prop: 'secrets.DB',
    build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, secrets: { DB: name } }),
  })),
  badParameterName.map((name): InvalidCase => ({
    prop: 'taskSecrets.DB',
    build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, taskSecrets: { DB: TaskSecret.fromParameter(name) } }),
  })),
  fc.tuple(typoInstanceType, fc.boolean()).map(([name, additional]): InvalidCase => ({
    prop: additional ? 'additionalInstanceTypes[0]' : 'instanceType',
    build: (stack) => stack.addCapacity('Extra', additional
      ? { instanceType: new ec2.InstanceType('m6i.large'), additionalInstanceTypes: [new ec2.InstanceType(name)] }
      : { instanceType: new ec2.InstanceType(name) }),
  })),
];
