import { Annotations, Aspects, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { enableAlbAccessLogs } from './private/alb-access-logs';
import { assertCertificateRegion } from './private/certificate-region';
import { networkAddressIfHostBits } from './private/cidr';
import { RouteMatch } from './route-match';
import { lazyModule } from '../shared/lazy-module';
import { acknowledgeNagRule } from '../shared/nag';
import { checkedRemovalPolicy, KEEP_STATEFUL } from '../shared/removal';
import { assertInRange, assertPattern, PlatformValidationError, validationError } from '../shared/validate';

/** AWS WAF, loaded on first use: only a load balancer with a web ACL needs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (lazyModule)
const wafv2 = lazyModule(() => require('aws-cdk-lib/aws-wafv2') as typeof import('aws-cdk-lib/aws-wafv2'));

/** ALB quota: listener rules per load balancer, not counting the default actions (the default; it can be raised). */
export const MAX_ROUTES_PER_LOAD_BALANCER = 100;
/** ALB quota: certificates per load balancer besides the default certificate (the default; it can be raised). */
const MAX_SNI_CERTIFICATES = 25;
/** Highest listener-rule priority that ALB accepts. */
const MAX_PRIORITY = 50_000;
/** Priorities are handed out in 10 bands of this size, the most specific routes in the lowest band. */
const BAND_SIZE = 5_000;
const ACCESS_LOGS_PREFIX = 'alb';
/** How long the access logs bucket keeps an access log after it was overwritten or deleted. */
const ACCESS_LOGS_NONCURRENT_RETENTION = Duration.days(30);
/** Open to the world: ingress from these needs the internet-facing acknowledgement. */
const WORLD_CIDRS = ['0.0.0.0/0', '::/0'];
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
const WEB_ACL_ARN = /^arn:[a-z-]+:wafv2:([a-z0-9-]+):\d{12}:regional\/webacl\/[\w-]{1,128}\/[\w-]{1,128}$/;

/** Options for a `PublicLoadBalancer`: everything but its VPC. */
export interface PublicLoadBalancerOptions {
  /**
   * An ACM certificate for HTTPS. With one, the load balancer serves HTTPS on 443 and redirects HTTP on 80 to
   * it; without one, it serves plain HTTP on 80 (for development only). It is the default certificate: the one
   * served to clients that send no SNI host name or one that no certificate covers.
   *
   * @default - the first of `certificates`; with neither, no HTTPS listener
   */
  readonly certificate?: acm.ICertificate;

  /**
   * More ACM certificates for HTTPS, for further domains: the load balancer picks one by the SNI host name the
   * client sends. They are added after `certificate` (both may be given; a certificate given twice is used once),
   * and without `certificate` the first of them is the default certificate. Any certificate turns on HTTPS
   * as `certificate` does. More than 25 besides the default exceed the default ALB quota (a synth warning).
   *
   * @default - only `certificate`
   */
  readonly certificates?: acm.ICertificate[];

  /**
   * The TLS security policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.3 and 1.2)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Whether the load balancer is reachable from the internet. An internal load balancer gets private addresses
   * in the VPC's private subnets (with egress, else isolated) and, unless `ingressCidrs` or
   * `ingressPrefixListIds` say otherwise, accepts its listener ports from the VPC's primary CIDR block only (an
   * imported VPC must then be imported with its CIDR block).
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * The IPv4 and IPv6 ranges (CIDR notation) that may reach the listener ports. Given (with or instead of
   * `ingressPrefixListIds`), they replace the default ingress; an empty list opens nothing, so that you can add
   * your own rules through `connections`.
   *
   * @default - any IPv4 address (`0.0.0.0/0`) when `internetFacing`, else the VPC's CIDR block (unless `ingressPrefixListIds` is given)
   */
  readonly ingressCidrs?: string[];

  /**
   * Managed prefix lists (`pl-...`) that may reach the listener ports, for example the CloudFront origin-facing
   * list `com.amazonaws.global.cloudfront.origin-facing` of your region. Given (with or instead of
   * `ingressCidrs`), they replace the default ingress. Each counts as many security group rules as the list's
   * maximum number of entries.
   *
   * @default - see `ingressCidrs`
   */
  readonly ingressPrefixListIds?: string[];

  /**
   * The ARN of a regional AWS WAF web ACL (`arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`)
   * in the load balancer's region, to inspect every request before routing.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * The most routes (listener rules) this load balancer may hold: the ALB quota "Rules per Application Load
   * Balancer" of your account (1 to 5000). Raise it only after the quota is raised; a route beyond it is a
   * synth error.
   *
   * @default 100
   */
  readonly maxRoutes?: number;

  /**
   * Seconds a connection may stay idle before the load balancer closes it (1 to 4000).
   *
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * Whether Elastic Load Balancing refuses to delete the load balancer.
   *
   * Off by default: ELB refuses every delete of a protected load balancer, CloudFormation's too, so a failed first
   * create ends in ROLLBACK_FAILED and `cdk destroy` in DELETE_FAILED. Protect a production platform with
   * CloudFormation termination protection on its stack (`terminationProtection: true`) instead, which blocks deleting
   * the stack but not rolling back a failed create or update. Turning this on gives a synth warning.
   *
   * @default false
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
   */
  readonly deletionProtection?: boolean;

  /**
   * The S3 bucket for access logs. It must use SSE-S3 encryption (ALB cannot write to KMS-encrypted buckets).
   *
   * @default - a new bucket: SSE-S3, TLS only, public access blocked, versioned; logs expire after
   *   `accessLogsRetention`, and overwritten or deleted logs 30 days later
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long the access logs in the bucket this construct creates are kept (1 to 3650 days).
   *
   * @default Duration.days(90)
   */
  readonly accessLogsRetention?: Duration;

  /**
   * What happens to the access logs bucket this construct creates when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept when the stack deletes or replaces it; deleted when the create
   *   that made it fails and rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties for a `PublicLoadBalancer`. */
export interface PublicLoadBalancerProps extends PublicLoadBalancerOptions {
  /** The VPC, in whose public subnets the load balancer is placed (private subnets when not `internetFacing`). */
  readonly vpc: ec2.IVpc;
}

/** Options for `PublicLoadBalancer.addRoute()`. */
export interface RouteOptions {
  /** The requests this route takes. */
  readonly match: RouteMatch;

  /** Where matching requests go. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;

  /**
   * A fixed listener-rule priority, from 1 to 50000, lower evaluated first.
   *
   * @default - derived from the route's id and how specific its match is: never changed by other routes (two routes on one priority, rare, fail at synth, naming the priority to pin)
   */
  readonly priority?: number;
}

/** A source that may reach the listener ports, and how its security group rules name it. */
interface IngressSource {
  readonly peer: ec2.IPeer;
  readonly name: string;
}

/** One registered route. */
interface Route {
  readonly id: string;
  readonly match: RouteMatch;
  /** `match._key()`, computed once. */
  readonly key: string;
  /** The fixed priority, if one was given. */
  readonly pinned?: number;
  /** The listener-rule priority: the fixed one, else the one derived from the route alone. */
  readonly priority: number;
}

/**
 * The platform's shared Application Load Balancer, internet-facing by default, and its route registry.
 *
 * The load balancer sits in the public subnets (the private ones when internal), drops invalid HTTP header
 * fields, writes access logs to S3 and answers every request that no route matches with a fixed 404. With a
 * certificate it serves HTTPS (more certificates are picked by SNI) and redirects HTTP to HTTPS. Its security
 * group accepts only its listener ports, from anywhere or from the given CIDR ranges and prefix lists, and sends
 * traffic only to the services that are routed to. A WAF web ACL can be attached.
 *
 * Services claim requests with `addRoute()`. This construct is the only code that creates listener rules: it
 * refuses two routes with the same match, keeps within the ALB quota of 100 rules (`maxRoutes`), and gives every
 * route a priority that depends only on the route itself (its id and how specific its match is), so adding or
 * removing a service never renumbers the others. More specific matches (host + path, longer literal paths,
 * extra header, query-string, source or method conditions) are evaluated first. Two routes whose priorities
 * would be the same (two ids that hash alike, or a derived priority that another route has fixed) fail when the
 * second is added, naming both and the nearest free priority to give one of them as a fixed `priority`: no route
 * is ever moved to make room. A route that another route, evaluated first, always takes from (ALB wildcards
 * understood) is a synth warning.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as acm from 'aws-cdk-lib/aws-certificatemanager';
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { PublicLoadBalancer } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const vpc: ec2.IVpc;
 * declare const certificate: acm.ICertificate;
 * const loadBalancer = new PublicLoadBalancer(stack, 'LoadBalancer', { vpc, certificate });
 */
export class PublicLoadBalancer extends Construct {
  /** The Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener that routes are added to: HTTPS with a certificate, else HTTP. */
  public readonly listener: elbv2.ApplicationListener;
  /** The HTTP listener (port 80): redirects to HTTPS when there is a certificate. */
  public readonly httpListener: elbv2.ApplicationListener;
  /** The HTTPS listener (port 443), when there is a certificate. */
  public readonly httpsListener?: elbv2.ApplicationListener;
  /** The security group of the load balancer. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The access logs bucket. */
  public readonly accessLogsBucket: s3.IBucket;

  private readonly routes = new Map<string, Route>();
  private readonly maxRoutes: number;
  /** Listener rules of routes whose workloads live in other stacks (and so do the rules). */
  private rulesElsewhere = 0;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);

    // Resolve
    const certificates = distinctCertificates([props.certificate, ...props.certificates ?? []]);
    const sslPolicy = props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS;
    const idleTimeout = props.idleTimeout ?? Duration.seconds(60);
    const deletionProtection = props.deletionProtection ?? false;
    const accessLogsRetention = props.accessLogsRetention ?? Duration.days(90);
    const removalPolicy = checkedRemovalPolicy(this, 'removalPolicy', props.removalPolicy, KEEP_STATEFUL);
    const internetFacing = props.internetFacing ?? true;
    const restricted = props.ingressCidrs !== undefined || props.ingressPrefixListIds !== undefined;
    const ingressCidrs = props.ingressCidrs ?? (!restricted && internetFacing ? ['0.0.0.0/0'] : []);
    const fromVpc = !restricted && !internetFacing;
    const ingressPrefixListIds = props.ingressPrefixListIds ?? [];
    this.maxRoutes = props.maxRoutes ?? MAX_ROUTES_PER_LOAD_BALANCER;

    // Validate
    this.validate(props, { certificates, idleTimeout, accessLogsRetention, ingressPrefixListIds });

    // Build
    const worldOpen = internetFacing && ingressCidrs.some((cidr) => WORLD_CIDRS.includes(cidr));
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      // the same for every ingress: a changed description replaces the security group, which the workloads' stacks
      // may import (CloudFormation refuses to change an export in use)
      description: 'Shared ALB: listener ports from its ingress sources; to routed services only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      internetFacing,
      // internal: the VPC's default selection, private subnets with egress, else isolated ones
      vpcSubnets: internetFacing ? { subnetType: ec2.SubnetType.PUBLIC } : {},
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection,
      idleTimeout,
      http2Enabled: true,
    });
    if (deletionProtection) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:PublicLoadBalancer.deletionProtection',
        '`deletionProtection` makes Elastic Load Balancing refuse CloudFormation\'s delete: a failed first create ends in ' +
        'ROLLBACK_FAILED and `cdk destroy` in DELETE_FAILED until it is turned off. Protect the stack with `terminationProtection: true` instead.');
    } else {
      acknowledgeNagRule(this.loadBalancer, 'LOAD_BALANCER_DELETION_PROTECTION');
    }

    this.accessLogsBucket = props.accessLogsBucket ?? this.newAccessLogsBucket(accessLogsRetention, removalPolicy);
    enableAlbAccessLogs(this.loadBalancer, this.accessLogsBucket, ACCESS_LOGS_PREFIX);

    const listeners = this.addListeners(certificates, sslPolicy);
    this.httpListener = listeners.httpListener;
    if (listeners.httpsListener) this.httpsListener = listeners.httpsListener;
    this.listener = listeners.listener;
    this.allowIngress(certificates.length > 0 ? [80, 443] : [80], [
      ...fromVpc ? [{ peer: ec2.Peer.ipv4(vpcCidrBlock(props.vpc)), name: 'VPC' }] : [],
      ...ingressCidrs.map((cidr) => cidrSource(cidr, internetFacing)),
      ...ingressPrefixListIds.map((prefixListId) => ({ peer: ec2.Peer.prefixList(prefixListId), name: prefixListId })),
    ]);
    // only an internet-facing load balancer open to everyone needs, and has a reason for, 0.0.0.0/0
    if (worldOpen) acknowledgeNagRule(this.securityGroup, 'PUBLIC_ALB_INGRESS');

    if (props.webAclArn !== undefined) {
      const { CfnWebACLAssociation } = wafv2();
      new CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.loadBalancer.loadBalancerArn,
        webAclArn: props.webAclArn,
      });
    }
    this.node.addValidation({ validate: () => this.validateRuleCount() });
  }

  /** The DNS name of the load balancer. */
  public get loadBalancerDnsName(): string {
    return this.loadBalancer.loadBalancerDnsName;
  }

  /** The connections of the load balancer, to open paths to targets. */
  public get connections(): ec2.Connections {
    return this.loadBalancer.connections;
  }

  /**
   * Routes the requests that `options.match` matches to `options.targetGroup`, with a listener rule on
   * `listener`.
   *
   * @param id an id for the route, unique on this load balancer (usually the service's id), from which its
   *   priority is derived
   * @param options the match, the target group and an optional fixed priority
   * @returns the listener rule
   */
  public addRoute(id: string, options: RouteOptions): elbv2.ApplicationListenerRule {
    this._assertRouteAvailable(this, id, options.match, options.priority, 'match', 'priority');
    return this._addRoute(this, id, options);
  }

  /**
   * `addRoute()` for a workload in `scope`. In this load balancer's stack the listener rule is
   * `<this>/<id>Route`, as with `addRoute()`; in another stack it is `<scope>/Route`, so that the rule lives with
   * its target group and this stack never refers to the workload's (which would be a cycle). The caller has
   * checked the route with `_assertRouteAvailable()`.
   *
   * @internal
   */
  public _addRoute(scope: Construct, id: string, options: RouteOptions): elbv2.ApplicationListenerRule {
    const priority = options.priority ?? derivedPriority(id, options.match);
    this.routes.set(id, { id, match: options.match, key: options.match._key(), pinned: options.priority, priority });
    if (this.routes.size === 1) {
      // once, at synthesis, when every route is known
      Aspects.of(this).add({ visit: (node) => { if (node === this) this.warnAboutShadowedRoutes(); } });
    }

    const here = Stack.of(scope) === Stack.of(this);
    if (!here) this.rulesElsewhere++;
    return new elbv2.ApplicationListenerRule(here ? this : scope, here ? `${id}Route` : 'Route', {
      listener: this.listener,
      priority,
      conditions: options.match._conditions(),
      action: elbv2.ListenerAction.forward([options.targetGroup]),
    });
  }

  /**
   * Throws, on `scope`, when a route cannot be added: a malformed match, a priority out of range, an id or match
   * or priority (fixed or derived) that another route already has, or a full load balancer. Lets a service check
   * its route before it builds anything.
   *
   * @internal
   */
  public _assertRouteAvailable(scope: Construct, id: string, match: RouteMatch, priority: number | undefined,
    matchProp: string, priorityProp: string): void {
    match._validate(scope, matchProp);
    if (priority !== undefined) assertInRange(scope, priorityProp, priority, 1, MAX_PRIORITY);
    if (this.routes.has(id)) {
      throw new PlatformValidationError(scope, `a route with id "${id}" already exists on ${this.node.path}; route ids must be unique on a load balancer`);
    }
    const key = match._key();
    for (const other of this.routes.values()) {
      if (other.key === key) {
        throw new PlatformValidationError(scope, `routes "${other.id}" and "${id}" both claim ${match}; each match can be routed to one target only`);
      }
    }
    this.assertPriorityFree(scope, id, match, priority, priorityProp);
    if (this.routes.size >= this.maxRoutes) {
      validationError(scope, 'routes',
        `at most ${this.maxRoutes} per load balancer (the ALB quota of rules per load balancer, \`maxRoutes\`); put "${id}" and further ` +
        'services behind a second PublicLoadBalancer, or raise the quota and `maxRoutes`',
        this.routes.size + 1);
    }
  }

  /**
   * The listener-rule priority of a route: its fixed priority, else `band(specificity) + hash(id) % 5000`.
   *
   * It depends on the route alone, never on the other routes: a route whose priority another route already has is
   * refused when it is added.
   */
  public priorityOf(routeId: string): number {
    const route = this.routes.get(routeId);
    if (route === undefined) throw new PlatformValidationError(this, `no route with id "${routeId}"`);
    return route.priority;
  }

  /** Checks every prop before the first resource; warns of more certificates than the default quota. */
  private validate(props: PublicLoadBalancerProps, settings: {
    certificates: acm.ICertificate[];
    idleTimeout: Duration;
    accessLogsRetention: Duration;
    ingressPrefixListIds: string[];
  }): void {
    const { certificates, idleTimeout, accessLogsRetention, ingressPrefixListIds } = settings;
    assertInRange(this, 'idleTimeout', idleTimeout.toSeconds({ integral: false }), 1, 4000);
    assertInRange(this, 'accessLogsRetention', accessLogsRetention.toDays({ integral: false }), 1, 3650);
    assertInRange(this, 'maxRoutes', this.maxRoutes, 1, 5000);
    for (const cidr of props.ingressCidrs ?? []) {
      if (!Token.isUnresolved(cidr) && !RouteMatch._isCidr(cidr)) {
        validationError(this, 'ingressCidrs', 'IPv4 or IPv6 ranges in CIDR notation, such as 203.0.113.0/24 or 2001:db8::/32', cidr);
      }
      const network = Token.isUnresolved(cidr) ? undefined : networkAddressIfHostBits(cidr);
      if (network !== undefined) {
        validationError(this, 'ingressCidrs', `CIDR blocks without host bits: give the network address ${network}`, cidr);
      }
    }
    for (const prefixListId of ingressPrefixListIds) {
      assertPattern(this, 'ingressPrefixListIds', prefixListId, PREFIX_LIST_ID, 'managed prefix list ids such as pl-12345678 or pl-0123456789abcdef0');
    }
    this.validateWebAclArn(props.webAclArn);
    certificates.forEach((certificate, index) => {
      const prop = index === 0 && props.certificate ? 'certificate' : 'certificates';
      assertCertificateRegion(this, prop, certificate.certificateArn);
    });
    if (certificates.length - 1 > MAX_SNI_CERTIFICATES) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:PublicLoadBalancer.sniCertificates',
        `${certificates.length - 1} certificates besides the default one exceed the default ALB quota of ${MAX_SNI_CERTIFICATES} ` +
        '("Certificates per Application Load Balancer"): raise the quota before you deploy');
    }
  }

  /**
   * The listeners: HTTPS with the certificates and an HTTP one that redirects to it, or HTTP only without a
   * certificate. Each answers 404 to a request that no route matches.
   */
  private addListeners(certificates: acm.ICertificate[], sslPolicy: elbv2.SslPolicy):
  { httpListener: elbv2.ApplicationListener; httpsListener?: elbv2.ApplicationListener; listener: elbv2.ApplicationListener } {
    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' });
    if (certificates.length > 0) {
      const httpsListener = this.loadBalancer.addListener('HttpsListener', {
        protocol: elbv2.ApplicationProtocol.HTTPS,
        port: 443,
        // the first is the default certificate; each further one becomes a listener certificate (SNI)
        certificates,
        sslPolicy,
        open: false,
        defaultAction: notFound,
      });
      const httpListener = this.loadBalancer.addListener('HttpListener', {
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: 80,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      // it only redirects: a plain-HTTP listener has no certificate to hold
      acknowledgeNagRule(httpListener, 'HTTP_REDIRECT_LISTENER');
      return { httpListener, httpsListener, listener: httpsListener };
    } else {
      const httpListener = this.loadBalancer.addListener('HttpListener', {
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: 80,
        open: false,
        defaultAction: notFound,
      });
      return { httpListener, listener: httpListener };
    }
  }

  /**
   * Throws when the priority that the route `id` would have, fixed or derived, is another route's. Neither may
   * move (one of them may be deployed), so the message names both and the nearest free priority to pin one at.
   */
  private assertPriorityFree(scope: Construct, id: string, match: RouteMatch, pinned: number | undefined, prop: string): void {
    const priority = pinned ?? derivedPriority(id, match);
    if (Token.isUnresolved(priority)) return;
    const other = [...this.routes.values()].find((route) => route.priority === priority);
    if (other === undefined) return;
    const free = this.nearestFreePriority(priority);
    const suggestion = free === undefined
      ? `no priority in ${priority}'s band of 5000 is free: pin one of them in another band`
      : `pin the one that is not deployed yet at \`${prop}: ${free}\`, the nearest free priority`;
    if (pinned === undefined && other.pinned === undefined) {
      validationError(scope, prop, `given for route "${id}" or route "${other.id}": both ids hash to priority ${priority}, and neither ` +
        `may move since one of them may be deployed; ${suggestion}`, pinned);
    }
    if (pinned === undefined) {
      validationError(scope, prop, `given for route "${id}": the priority derived from its id, ${priority}, is route "${other.id}"'s fixed ` +
        `priority; ${suggestion}`, pinned);
    }
    validationError(scope, prop, `a priority that no other route has: route "${other.id}" already has ${priority}` +
      `${other.pinned === undefined ? ' (derived from its id)' : ''}; ${suggestion}`, pinned);
  }

  /** The free priority nearest to `priority` in its band, the later one on a tie; undefined when the band is full. */
  private nearestFreePriority(priority: number): number | undefined {
    const taken = new Set([...this.routes.values()].map((route) => route.priority));
    const bandStart = priority - ((priority - 1) % BAND_SIZE);
    const bandEnd = Math.min(MAX_PRIORITY, bandStart + BAND_SIZE - 1);
    for (let distance = 1; distance < BAND_SIZE; distance++) {
      for (const candidate of [priority + distance, priority - distance]) {
        if (candidate >= bandStart && candidate <= bandEnd && !taken.has(candidate)) return candidate;
      }
    }
    return undefined;
  }

  /**
   * Warns about routes that can never match, because a route evaluated before them takes every request they match
   * (a `/*` route before `/api/*`, say).
   */
  private warnAboutShadowedRoutes(): void {
    const routes = [...this.routes.values()].filter((route) => !Token.isUnresolved(route.priority));
    for (const route of routes) {
      const priority = route.priority;
      for (const other of routes) {
        const before = other.priority;
        if (other !== route && before < priority && other.match._covers(route.match)) {
          Annotations.of(this).addWarningV2('cdk-ecs-platform:PublicLoadBalancer.routeShadowed',
            `route "${route.id}" (${route.match}, priority ${priority}) never matches: route "${other.id}" (${other.match}, ` +
            `priority ${before}) is evaluated first and takes every request it would match. Give "${route.id}" a fixed \`priority\` ` +
            `below ${before}, or narrow "${other.id}"`);
        }
      }
    }
  }

  /**
   * Counts every listener rule under this construct, also those added to its listeners directly, and throws the
   * library's own error (not one of aws-cdk-lib's "Validation failed" list) past `maxRoutes`.
   */
  private validateRuleCount(): string[] {
    const rules = this.node.findAll().filter((node) => node instanceof elbv2.ApplicationListenerRule).length + this.rulesElsewhere;
    if (rules > this.maxRoutes) {
      validationError(this, 'routes', `at most ${this.maxRoutes} listener rules on this load balancer, counting rules added to its ` +
        'listeners directly (the ALB quota of rules per load balancer, `maxRoutes`)', rules);
    }
    return [];
  }

  private allowIngress(ports: number[], sources: IngressSource[]): void {
    for (const port of ports) {
      for (const { peer, name } of sources) {
        this.securityGroup.addIngressRule(peer, ec2.Port.tcp(port), `${name} to listener port ${port}`);
      }
    }
  }

  private validateWebAclArn(webAclArn: string | undefined): void {
    if (webAclArn === undefined || Token.isUnresolved(webAclArn)) return;
    const match = WEB_ACL_ARN.exec(webAclArn);
    if (!match) {
      validationError(this, 'webAclArn',
        'the ARN of a regional AWS WAF web ACL (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>)', webAclArn);
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && match[1] !== region) {
      validationError(this, 'webAclArn', `a web ACL in the load balancer's region, ${region} (WAF attaches only web ACLs of the same region)`, webAclArn);
    }
  }

  private newAccessLogsBucket(retention: Duration, removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // versions keep overwritten and deleted logs for a while; the expiry of current logs leaves delete markers
      versioned: true,
      removalPolicy,
      lifecycleRules: [
        { id: 'ExpireAccessLogs', expiration: retention, noncurrentVersionExpiration: ACCESS_LOGS_NONCURRENT_RETENTION },
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
    acknowledgeNagRule(bucket, 'ACCESS_LOGS_BUCKET_NO_SERVER_ACCESS_LOGS');
    acknowledgeNagRule(bucket, 'ACCESS_LOGS_BUCKET_SSE_S3');
    acknowledgeNagRule(bucket, 'ACCESS_LOGS_BUCKET_NO_REPLICATION');
    return bucket;
  }
}

/** The certificates that are given, each once (by object, or by ARN when it is known), in order. */
function distinctCertificates(certificates: Array<acm.ICertificate | undefined>): acm.ICertificate[] {
  const distinct: acm.ICertificate[] = [];
  for (const certificate of certificates) {
    if (certificate === undefined) continue;
    const arn = certificate.certificateArn;
    const seen = distinct.some((other) => other === certificate || (!Token.isUnresolved(arn) && other.certificateArn === arn));
    if (!seen) distinct.push(certificate);
  }
  return distinct;
}

/**
 * The primary CIDR block of `vpc`: written out for a VPC of this app whose block is known at synth, so that the
 * rule is readable and cdk-nag can check it, else the VPC's reference to it (an imported VPC must know it).
 */
function vpcCidrBlock(vpc: ec2.IVpc): string {
  const resource = vpc.node.defaultChild;
  if (resource instanceof ec2.CfnVPC && resource.cidrBlock !== undefined && !Token.isUnresolved(resource.cidrBlock)) return resource.cidrBlock;
  return vpc.vpcCidrBlock;
}

/** The peer of a CIDR range, and how a security group rule names it: the internet, the VPC, or the range itself. */
function cidrSource(cidr: string, internetFacing: boolean): IngressSource {
  if (internetFacing && cidr === '0.0.0.0/0') return { peer: ec2.Peer.anyIpv4(), name: 'Internet' };
  if (internetFacing && cidr === '::/0') return { peer: ec2.Peer.anyIpv6(), name: 'Internet over IPv6' };
  const ipv6 = !Token.isUnresolved(cidr) && cidr.includes(':');
  // IPv6 in lower case: EC2 takes either, aws-cdk-lib's Peer.ipv6() only lower case
  return { peer: ipv6 ? ec2.Peer.ipv6(cidr.toLowerCase()) : ec2.Peer.ipv4(cidr), name: Token.isUnresolved(cidr) ? 'Allowed range' : cidr };
}

/**
 * The priority of a route without a fixed one: the band of its match's specificity (the most specific routes in
 * the lowest band) and a hash of its id within it. It depends on the route alone.
 */
function derivedPriority(id: string, match: RouteMatch): number {
  const bandStart = 1 + (9 - match._specificity()) * BAND_SIZE;
  return bandStart + (fnv1a(id) % BAND_SIZE);
}

/** 32-bit FNV-1a hash of a string: small, fast and the same on every machine. */
/* eslint-disable no-bitwise -- a hash is bit arithmetic */
function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
/* eslint-enable no-bitwise */
