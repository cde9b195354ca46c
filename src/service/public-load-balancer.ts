import { Annotations, Aspects, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RouteMatch } from './route-match';
import { enableAlbAccessLogs } from '../private/alb-access-logs';
import { acknowledgeNagRule } from '../private/nag';
import { assertInRange, PlatformValidationError, validationError } from '../private/validate';

/** ALB quota: listener rules per load balancer, not counting the default actions. */
export const MAX_ROUTES_PER_LOAD_BALANCER = 100;
/** Highest listener-rule priority that ALB accepts. */
const MAX_PRIORITY = 50_000;
/** Priorities are handed out in 10 bands of this size, the most specific routes in the lowest band. */
const BAND_SIZE = 5_000;
const ACCESS_LOGS_PREFIX = 'alb';

/** Options for a `PublicLoadBalancer`: everything but its VPC. */
export interface PublicLoadBalancerOptions {
  /**
   * An ACM certificate for HTTPS. With one, the load balancer serves HTTPS on 443 and redirects HTTP on 80 to
   * it; without one, it serves plain HTTP on 80 (for development only).
   *
   * @default - no HTTPS listener
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The TLS security policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.3 and 1.2)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Seconds a connection may stay idle before the load balancer closes it (1 to 4000).
   *
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * Whether the load balancer is protected from deletion. Turn it off before you delete a stack on purpose.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * The S3 bucket for access logs. It must use SSE-S3 encryption (ALB cannot write to KMS-encrypted buckets).
   *
   * @default - a new bucket: SSE-S3, TLS only, public access blocked, logs expire after `accessLogsRetention`
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
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties for a `PublicLoadBalancer`. */
export interface PublicLoadBalancerProps extends PublicLoadBalancerOptions {
  /** The VPC; the load balancer is placed in its public subnets. */
  readonly vpc: ec2.IVpc;
}

/** Options for `PublicLoadBalancer.addRoute()`. */
export interface RouteOptions {
  /** The requests this route takes. */
  readonly match: RouteMatch;

  /** Where matching requests go. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;

  /**
   * A fixed listener-rule priority (1 to 50000; lower is evaluated first).
   *
   * @default - derived from the route's id and how specific its match is: stable when other routes are added or removed (a hash collision, rare, is a synth warning)
   */
  readonly priority?: number;
}

/** One registered route. */
interface Route {
  readonly id: string;
  readonly match: RouteMatch;
  readonly priority?: number;
}

/**
 * The platform's shared, internet-facing Application Load Balancer and its route registry.
 *
 * The load balancer sits in the public subnets, drops invalid HTTP header fields, writes access logs to S3 and
 * answers every request that no route matches with a fixed 404. With a certificate it serves HTTPS and redirects
 * HTTP to HTTPS. Its security group accepts only its listener ports and sends traffic only to the services that
 * are routed to.
 *
 * Services claim requests with `addRoute()`. This construct is the only code that creates listener rules: it
 * refuses two routes with the same match, keeps within the ALB quota of 100 rules, and gives every route a
 * priority that depends only on the route itself (its id and how specific its match is), so adding or removing a
 * service does not renumber the others. More specific matches (host + path, longer literal paths) are evaluated
 * first. The one exception is two routes whose ids hash to the same priority: the later one (by id) takes the
 * next free priority, and a synth warning names both so that the deployed one can be pinned with `priority`.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const certificate: acm.ICertificate;
 * const loadBalancer = new PublicLoadBalancer(this, 'LoadBalancer', { vpc, certificate });
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
  private assigned?: Map<string, number>;
  private collisions: string[] = [];

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);

    // Resolve
    const sslPolicy = props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS;
    const idleTimeout = props.idleTimeout ?? Duration.seconds(60);
    const deletionProtection = props.deletionProtection ?? true;
    const accessLogsRetention = props.accessLogsRetention ?? Duration.days(90);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Validate
    assertInRange(this, 'idleTimeout', idleTimeout.toSeconds({ integral: false }), 1, 4000);
    assertInRange(this, 'accessLogsRetention', accessLogsRetention.toDays({ integral: false }), 1, 3650);

    // Build
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Shared ALB: listener ports from the internet; to routed services only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection,
      idleTimeout,
      http2Enabled: true,
    });

    this.accessLogsBucket = props.accessLogsBucket ?? this.newAccessLogsBucket(accessLogsRetention, removalPolicy);
    enableAlbAccessLogs(this.loadBalancer, this.accessLogsBucket, ACCESS_LOGS_PREFIX);

    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' });
    if (props.certificate) {
      this.httpsListener = this.loadBalancer.addListener('HttpsListener', {
        protocol: elbv2.ApplicationProtocol.HTTPS,
        port: 443,
        certificates: [props.certificate],
        sslPolicy,
        open: false,
        defaultAction: notFound,
      });
      this.httpListener = this.loadBalancer.addListener('HttpListener', {
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: 80,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      this.listener = this.httpsListener;
    } else {
      this.httpListener = this.loadBalancer.addListener('HttpListener', {
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: 80,
        open: false,
        defaultAction: notFound,
      });
      this.listener = this.httpListener;
    }
    for (const port of props.certificate ? [80, 443] : [80]) {
      this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `Internet to listener port ${port}`);
    }
    acknowledgeNagRule(this.securityGroup, 'PUBLIC_ALB_INGRESS');
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
   * @param id an id for the route, unique on this load balancer (usually the service's id); its priority is
   *   derived from it
   * @param options the match, the target group and an optional fixed priority
   * @returns the listener rule
   */
  public addRoute(id: string, options: RouteOptions): elbv2.ApplicationListenerRule {
    this._assertRouteAvailable(this, id, options.match, options.priority, 'match', 'priority');
    this.routes.set(id, { id, match: options.match, priority: options.priority });
    this.assigned = undefined;
    if (this.routes.size === 1) {
      // once, at synthesis, when every route is known
      Aspects.of(this).add({ visit: (node) => { if (node === this) this.warnAboutCollisions(); } });
    }

    return new elbv2.ApplicationListenerRule(this, `${id}Route`, {
      listener: this.listener,
      priority: Lazy.number({ produce: () => this.priorityOf(id) }),
      conditions: options.match._conditions(),
      action: elbv2.ListenerAction.forward([options.targetGroup]),
    });
  }

  /**
   * Throws, on `scope`, when a route cannot be added: a malformed match, a priority out of range, an id or match
   * or fixed priority that another route already has, or a full load balancer. Lets a service check its route
   * before it builds anything.
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
      if (other.match._key() === key) {
        throw new PlatformValidationError(scope, `routes "${other.id}" and "${id}" both claim ${match}; each match can be routed to one target only`);
      }
      if (priority !== undefined && other.priority === priority) {
        throw new PlatformValidationError(scope, `routes "${other.id}" and "${id}" both ask for priority ${priority}; priorities must be unique`);
      }
    }
    if (this.routes.size >= MAX_ROUTES_PER_LOAD_BALANCER) {
      validationError(scope, 'routes',
        `at most ${MAX_ROUTES_PER_LOAD_BALANCER} per load balancer (an ALB quota); put "${id}" and further services behind a second PublicLoadBalancer`,
        this.routes.size + 1);
    }
  }

  /**
   * The listener-rule priority of a route. Fixed priorities are kept; every other route prefers the slot
   * `band(specificity) + hash(id) % 5000` and takes the next free one in its band when that is taken, with the
   * routes placed in (preferred slot, id) order, so the result depends on the set of routes only.
   */
  public priorityOf(routeId: string): number {
    const priority = this.assignments().get(routeId);
    if (priority === undefined) throw new PlatformValidationError(this, `no route with id "${routeId}"`);
    return priority;
  }

  /** The priorities of all routes, computed once per set of routes. */
  private assignments(): Map<string, number> {
    if (!this.assigned) this.assigned = this.assignPriorities();
    return this.assigned;
  }

  private assignPriorities(): Map<string, number> {
    const assigned = new Map<string, number>();
    const taken = new Set<number>();
    for (const route of this.routes.values()) {
      if (route.priority !== undefined) {
        assigned.set(route.id, route.priority);
        taken.add(route.priority);
      }
    }
    const derived = [...this.routes.values()]
      .filter((route) => route.priority === undefined)
      .map((route) => {
        const bandStart = 1 + (9 - route.match._specificity()) * BAND_SIZE;
        return { route, bandStart, preferred: bandStart + (fnv1a(route.id) % BAND_SIZE) };
      })
      .sort((a, b) => a.preferred - b.preferred || (a.route.id < b.route.id ? -1 : 1));
    this.collisions = [];
    const holder = new Map<number, string>();
    for (const [id, priority] of assigned) holder.set(priority, id);
    for (const { route, bandStart, preferred } of derived) {
      let slot = preferred;
      while (taken.has(slot)) slot = bandStart + ((slot - bandStart + 1) % BAND_SIZE);
      if (slot !== preferred) {
        this.collisions.push(`route "${route.id}" wanted priority ${preferred}, held by "${holder.get(preferred)}", and got ${slot}`);
      }
      assigned.set(route.id, slot);
      taken.add(slot);
      holder.set(slot, route.id);
    }
    return assigned;
  }

  /**
   * Warns about routes that could not have their preferred priority. Such a route's priority depends on which
   * other routes exist, so adding one of those may renumber it: pin it to keep it where it is deployed.
   */
  private warnAboutCollisions(): void {
    this.assignments();
    for (const collision of this.collisions) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:routePriorityCollision',
        `${collision}. Their priorities now depend on each other: pin the one that is already deployed with a fixed ` +
        '`priority` (`routePriority` of a WebService) at its deployed value, so that adding or removing the other never renumbers it.');
    }
  }

  private newAccessLogsBucket(retention: Duration, removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: retention }],
    });
    acknowledgeNagRule(bucket, 'ACCESS_LOGS_BUCKET_NO_SERVER_ACCESS_LOGS');
    return bucket;
  }
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
