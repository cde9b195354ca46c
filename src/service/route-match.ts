import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { validationError } from '../private/validate';

/** ALB: at most this many condition values in one listener rule. */
export const MAX_CONDITION_VALUES_PER_RULE = 5;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/;
const HOST_HEADER = /^(?=.{1,128}$)(?=.*\.)[A-Za-z0-9\-.*?]+$/;

/**
 * What requests a route of the shared load balancer matches: path patterns, host headers, or both.
 *
 * A request matches when it matches one of the path patterns (if any are given) and one of the host headers
 * (if any are given). Combine matches with `and()`.
 *
 * @example
 * const api = RouteMatch.pathPatterns('/api/*');
 * const admin = RouteMatch.hostHeaders('admin.example.com').and(RouteMatch.pathPatterns('/*'));
 */
export class RouteMatch {
  /**
   * Matches requests whose URL path matches one of `patterns` (case-sensitive; `*` matches any characters,
   * `?` exactly one). Each pattern starts with `/` and has at most 128 characters.
   */
  public static pathPatterns(...patterns: string[]): RouteMatch {
    return new RouteMatch(patterns, []);
  }

  /**
   * Matches requests whose `Host` header matches one of `hosts` (case-insensitive; `*` and `?` wildcards).
   */
  public static hostHeaders(...hosts: string[]): RouteMatch {
    return new RouteMatch([], hosts);
  }

  /** The path patterns of this match (empty: any path). */
  public readonly paths: string[];
  /** The host headers of this match (empty: any host). */
  public readonly hosts: string[];

  private constructor(pathPatterns: string[], hostHeaders: string[]) {
    this.paths = [...pathPatterns];
    this.hosts = [...hostHeaders];
  }

  /** A match that requires both this match and `other`. */
  public and(other: RouteMatch): RouteMatch {
    return new RouteMatch([...this.paths, ...other.paths], [...this.hosts, ...other.hosts]);
  }

  /** A readable form for messages, for example `path /api/* and host api.example.com`. */
  public toString(): string {
    const parts = [];
    if (this.paths.length) parts.push(`path ${this.paths.join(' | ')}`);
    if (this.hosts.length) parts.push(`host ${this.hosts.join(' | ')}`);
    return parts.join(' and ');
  }

  /**
   * Throws a clear error when this match cannot be a listener rule: no condition, a malformed pattern, or more
   * condition values than the ALB allows.
   *
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    const count = this.paths.length + this.hosts.length;
    if (count === 0) validationError(scope, prop, 'a match with at least one path pattern or host header', count);
    if (count > MAX_CONDITION_VALUES_PER_RULE) {
      validationError(scope, prop, `at most ${MAX_CONDITION_VALUES_PER_RULE} path patterns and host headers in all (an ALB limit per rule)`, count);
    }
    for (const pattern of this.paths) {
      if (!Token.isUnresolved(pattern) && !PATH_PATTERN.test(pattern)) {
        validationError(scope, `${prop}.pathPatterns`,
          'path patterns that start with `/` and have at most 128 of the characters A-Z a-z 0-9 _ - . $ / ~ " \' @ : + & * ?', pattern);
      }
    }
    for (const host of this.hosts) {
      if (!Token.isUnresolved(host) && !HOST_HEADER.test(host)) {
        validationError(scope, `${prop}.hostHeaders`,
          'host names of at most 128 of the characters A-Z a-z 0-9 - . * ?, with at least one `.`', host);
      }
    }
  }

  /** @internal the listener rule conditions of this match. */
  public _conditions(): elbv2.ListenerCondition[] {
    const conditions: elbv2.ListenerCondition[] = [];
    if (this.hosts.length) conditions.push(elbv2.ListenerCondition.hostHeaders(this.hosts));
    if (this.paths.length) conditions.push(elbv2.ListenerCondition.pathPatterns(this.paths));
    return conditions;
  }

  /**
   * @internal how specific this match is, from 0 (least) to 9 (most): a host header adds 5, and each literal
   * path segment before the first wildcard adds 1 (up to 4; for several patterns, the least specific counts).
   * More specific routes get lower rule priorities, so ALB evaluates them first.
   */
  public _specificity(): number {
    const host = this.hosts.length ? 5 : 0;
    if (!this.paths.length) return host;
    const segments = Math.min(...this.paths.map(literalSegments));
    return host + Math.min(4, segments);
  }

  /** @internal a key that is equal for two matches exactly when they match the same requests. */
  public _key(): string {
    const sorted = (values: string[]) => [...new Set(values)].sort().join('|');
    return `path=${sorted(this.paths)};host=${sorted(this.hosts.map((h) => h.toLowerCase()))}`;
  }
}

/** Number of non-empty path segments before the first wildcard: `/api/v1/*` → 2, `/*` → 0. */
function literalSegments(pattern: string): number {
  const wildcard = pattern.search(/[*?]/);
  const literal = wildcard === -1 ? pattern : pattern.slice(0, wildcard);
  const segments = literal.split('/');
  // a trailing partial segment (`/api*`) still narrows the match
  return segments.filter((segment) => segment.length > 0).length;
}
