import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { validationError } from '../shared/validate';

/** ALB: at most this many condition values in one listener rule. */
export const MAX_CONDITION_VALUES_PER_RULE = 5;
/** ALB: at most this many wildcard characters (`*`, `?`) in all the values of one listener rule. */
const MAX_WILDCARDS_PER_RULE = 5;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/;
const HOST_HEADER = /^(?=.{1,128}$)(?=.*\.)[A-Za-z0-9\-.*?]+$/;
/** An RFC 7230 token (the characters of a header name) without `*`, which ALB would read as a wildcard; at most 40. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'+\-.^_`|~]{1,40}$/;
/** Visible ASCII and space, 1 to 128 characters: what ALB compares a header value with. */
const HEADER_VALUE = /^[\x20-\x7e]{1,128}$/;
/** Visible ASCII but the query-string delimiters `&`, `=` and `#`, 1 to 128 characters. */
const QUERY_STRING_PART = /^[\x21-\x22\x24-\x25\x27-\x3c\x3e-\x7e]{1,128}$/;
const HTTP_REQUEST_METHOD = /^[A-Z_-]{1,40}$/;

/**
 * One key/value pair (or a value alone) that a query string must contain, for `RouteMatch.queryStrings()`.
 *
 * Keys and values are compared case-insensitively and may hold the wildcards `*` (any characters) and `?` (exactly
 * one character); write `\*` and `\?` for the literal characters.
 */
export interface QueryStringMatch {
  /**
   * The key, the part before `=` (at most 128 characters).
   *
   * @default - any key: the value alone is looked for
   */
  readonly key?: string;

  /** The value, the part after `=` (at most 128 characters). */
  readonly value: string;
}

/** An HTTP header that a request must carry with one of the given values, as in `RouteMatch.httpHeader()`. */
export interface HttpHeaderMatch {
  /** The name of the header, for example `X-Environment` (case-insensitive). */
  readonly name: string;

  /** The values the header may have, case-insensitive, with `*` and `?` wildcards. */
  readonly values: string[];
}

/** The kinds of listener-rule condition, in the order they are rendered, described and counted. */
enum Kind {
  HOST = 'host-header',
  PATH = 'path-pattern',
  HEADER = 'http-header',
  QUERY = 'query-string',
  SOURCE = 'source-ip',
  METHOD = 'http-request-method',
}

/** How messages name a kind of condition, and whether a rule may hold it only once. */
interface KindInfo {
  /** The `RouteMatch` factory that makes it. */
  readonly factory: string;
  /** A short label for `toString()`. */
  readonly label: string;
  /** What one of its values is called. */
  readonly noun: string;
  /** Its place in `toString()`. */
  readonly order: number;
  /** Whether an ALB rule holds at most one condition of this kind. */
  readonly once: boolean;
}

const KINDS: Record<Kind, KindInfo> = {
  [Kind.PATH]: { factory: 'pathPatterns', label: 'path', noun: 'path pattern', order: 0, once: true },
  [Kind.HOST]: { factory: 'hostHeaders', label: 'host', noun: 'host name', order: 1, once: true },
  [Kind.HEADER]: { factory: 'httpHeader', label: 'header', noun: 'header value', order: 2, once: false },
  [Kind.QUERY]: { factory: 'queryStrings', label: 'query', noun: 'key/value pair', order: 3, once: false },
  [Kind.SOURCE]: { factory: 'sourceIps', label: 'source', noun: 'CIDR range', order: 4, once: true },
  [Kind.METHOD]: { factory: 'httpRequestMethods', label: 'method', noun: 'method', order: 5, once: true },
};

/** The order conditions are rendered in: host before path, as this construct always did, then the newer kinds. */
const RENDER_ORDER: Kind[] = [Kind.HOST, Kind.PATH, Kind.HEADER, Kind.QUERY, Kind.SOURCE, Kind.METHOD];

/** One condition of a match: a kind, its values and, for a header, its name. */
interface Condition {
  readonly kind: Kind;
  /** The values; for a query string, `key=value` or `value`, only for messages and keys (see `pairs`). */
  readonly values: string[];
  readonly headerName?: string;
  readonly pairs?: QueryStringMatch[];
}

/**
 * What requests a route of the shared load balancer matches: path patterns, host headers, HTTP headers, query
 * strings, source IP ranges and HTTP methods, alone or combined.
 *
 * Each factory makes one listener-rule condition, which a request meets when it matches one of the condition's
 * values. Combine conditions with `and()`: a request must then meet every one of them. ALB allows at most one
 * path-pattern, host-header, source-ip and http-request-method condition per rule, so give every alternative of
 * one kind in one call (`pathPatterns('/a/*', '/b/*')`); http-header conditions (one per header name) and
 * query-string conditions may repeat. A rule holds at most 5 values in all and at most 5 wildcard characters.
 * These limits are checked at synth, when the match is routed.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 * @example
 * import { RouteMatch } from 'cdk-ecs-platform';
 *
 * const api = RouteMatch.pathPatterns('/api/*');
 * const admin = RouteMatch.hostHeaders('admin.example.com').and(RouteMatch.sourceIps('203.0.113.0/24'));
 * const canary = RouteMatch.pathPatterns('/api/*').and(RouteMatch.httpHeader('X-Canary', 'true'));
 */
export class RouteMatch {
  /**
   * Matches requests whose URL path matches one of `patterns`, case-sensitive. `*` matches any characters,
   * `?` exactly one. Each pattern starts with `/` and has at most 128 characters.
   */
  public static pathPatterns(...patterns: string[]): RouteMatch {
    return new RouteMatch([{ kind: Kind.PATH, values: [...patterns] }]);
  }

  /**
   * Matches requests whose `Host` header matches one of `hosts`, case-insensitive, with `*` and `?` wildcards.
   */
  public static hostHeaders(...hosts: string[]): RouteMatch {
    return new RouteMatch([{ kind: Kind.HOST, values: [...hosts] }]);
  }

  /**
   * Matches requests that carry the HTTP header `name` with one of `values`, case-insensitive. `*` matches any
   * characters, `?` exactly one, so `*` alone matches any value.
   *
   * The name has at most 40 characters of an HTTP token and no wildcard; it cannot be `Host` (use
   * `hostHeaders()`). Each value has at most 128 characters. To require two headers, combine two
   * `httpHeader()` matches with `and()`.
   *
   * @param name the name of the header, for example `X-Environment`
   * @param values the values it may have
   */
  public static httpHeader(name: string, ...values: string[]): RouteMatch {
    return new RouteMatch([{ kind: Kind.HEADER, headerName: name, values: [...values] }]);
  }

  /**
   * Matches requests whose query string contains one of `pairs`: `{ key: 'version', value: '2' }` matches
   * `?version=2`, `{ value: 'beta' }` matches any key with the value `beta` (case-insensitive; `*` and `?`
   * wildcards, `\*` and `\?` for the literal characters).
   *
   * Each pair counts as one of the 5 values of a rule. To require two pairs at once, combine two `queryStrings()`
   * matches with `and()`.
   */
  public static queryStrings(...pairs: QueryStringMatch[]): RouteMatch {
    const copies = pairs.map((pair) => ({ ...pair }));
    return new RouteMatch([{ kind: Kind.QUERY, pairs: copies, values: copies.map(describePair) }]);
  }

  /**
   * Matches requests whose source IP address is in one of `cidrs`, IPv4 (`203.0.113.0/24`) or IPv6
   * (`2001:db8::/32`) ranges in CIDR notation.
   *
   * This is the address the load balancer sees (the client, or the last proxy before it), not
   * `X-Forwarded-For`: behind a CDN or proxy, match that header with `httpHeader()` instead.
   */
  public static sourceIps(...cidrs: string[]): RouteMatch {
    return new RouteMatch([{ kind: Kind.SOURCE, values: [...cidrs] }]);
  }

  /**
   * Matches requests whose HTTP method is one of `methods`, for example `GET`, `HEAD` or `POST`. Methods are
   * case-sensitive: uppercase letters, `-` and `_`, at most 40 characters, no wildcards.
   */
  public static httpRequestMethods(...methods: string[]): RouteMatch {
    return new RouteMatch([{ kind: Kind.METHOD, values: [...methods] }]);
  }

  /**
   * @internal whether `value` is an IPv4 or IPv6 range in CIDR notation (the address bits beyond the prefix are
   * not checked).
   */
  public static _isCidr(value: string): boolean {
    const [address, prefix, ...rest] = value.split('/');
    if (rest.length > 0 || prefix === undefined || !/^(0|[1-9]\d{0,2})$/.test(prefix)) return false;
    if (isIpv4(address)) return Number(prefix) <= 32;
    return isIpv6(address) && Number(prefix) <= 128;
  }

  /** The path patterns of this match (empty: any path). */
  public readonly paths: string[];
  /** The host headers of this match (empty: any host). */
  public readonly hosts: string[];
  /** The HTTP header conditions of this match, one per header (empty: any headers). */
  public readonly headers: HttpHeaderMatch[];
  /** The query-string pairs of this match, of all its query-string conditions (empty: any query string). */
  public readonly queryPairs: QueryStringMatch[];
  /** The source IP ranges of this match (empty: any source). */
  public readonly sourceCidrs: string[];
  /** The HTTP request methods of this match (empty: any method). */
  public readonly methods: string[];

  private readonly conditions: Condition[];

  private constructor(conditions: Condition[]) {
    this.conditions = [...conditions];
    const valuesOf = (kind: Kind) => this.ofKind(kind).flatMap((condition) => condition.values);
    this.paths = valuesOf(Kind.PATH);
    this.hosts = valuesOf(Kind.HOST);
    this.headers = this.ofKind(Kind.HEADER).map((condition) => ({ name: condition.headerName!, values: [...condition.values] }));
    this.queryPairs = this.ofKind(Kind.QUERY).flatMap((condition) => condition.pairs!.map((pair) => ({ ...pair })));
    this.sourceCidrs = valuesOf(Kind.SOURCE);
    this.methods = valuesOf(Kind.METHOD);
  }

  /** A match that requires both this match and `other`: a request must meet the conditions of both. */
  public and(other: RouteMatch): RouteMatch {
    return new RouteMatch([...this.conditions, ...other.conditions]);
  }

  /**
   * A readable form for messages, for example `path /api/* and host api.example.com and header X-Canary: true`.
   */
  public toString(): string {
    return this.sorted().filter((condition) => condition.values.length > 0).map(describeCondition).join(' and ');
  }

  /**
   * Throws a clear error when this match cannot be a listener rule: no condition, more condition values or
   * wildcards than the ALB allows, two conditions of a kind that a rule holds once, an empty condition, or a
   * malformed value.
   *
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    const count = this.conditions.reduce((sum, condition) => sum + condition.values.length, 0);
    const pathsAndHostsOnly = this.conditions.every((condition) => condition.kind === Kind.PATH || condition.kind === Kind.HOST);
    // an empty `pathPatterns()` or `hostHeaders()` says nothing; an empty condition of another kind is named below
    if (count === 0 && pathsAndHostsOnly) validationError(scope, prop, 'a match with at least one path pattern or host header', count);
    if (count > MAX_CONDITION_VALUES_PER_RULE) {
      validationError(scope, prop, `at most ${MAX_CONDITION_VALUES_PER_RULE} condition values in all: path patterns, hosts, header values, ` +
        'query-string pairs, source IP ranges and methods (an ALB limit per rule)', count);
    }
    for (const kind of Object.values(Kind)) {
      const { factory, noun, once } = KINDS[kind];
      const conditions = this.ofKind(kind);
      if (once && conditions.length > 1) {
        validationError(scope, `${prop}.${factory}`, `given in one \`RouteMatch.${factory}(...)\` call: an ALB rule holds one ${kind} ` +
          `condition (joined with \`and()\`, a request would have to match each); put every ${noun} of the route in that call`,
        conditions.map(describeCondition).join(' and '));
      }
      for (const condition of conditions) {
        if (condition.values.length === 0) validationError(scope, `${prop}.${factory}`, `at least one ${noun} in each \`${factory}()\` call`, []);
      }
    }
    this.validateHeaderNames(scope, `${prop}.httpHeader`);
    this.validateValues(scope, prop);
    const wildcards = this.conditions
      .flatMap((condition) => condition.kind === Kind.QUERY ? condition.pairs!.flatMap(pairParts) : condition.values)
      .filter((value) => !Token.isUnresolved(value))
      .reduce((sum, value) => sum + countWildcards(value), 0);
    if (wildcards > MAX_WILDCARDS_PER_RULE) {
      validationError(scope, prop, `a match with at most ${MAX_WILDCARDS_PER_RULE} wildcard characters (\`*\`, \`?\`) in all its values ` +
        '(an ALB limit per rule)', wildcards);
    }
  }

  /** @internal the listener rule conditions of this match. */
  public _conditions(): elbv2.ListenerCondition[] {
    const conditions: elbv2.ListenerCondition[] = [];
    for (const kind of RENDER_ORDER) {
      for (const condition of this.ofKind(kind)) conditions.push(toListenerCondition(condition));
    }
    return conditions;
  }

  /**
   * @internal how specific this match is, from 0 (least) to 9 (most): a host header adds 5, each literal path
   * segment before the first wildcard adds 1 (up to 4; for several patterns, the least specific counts), and each
   * http-header, query-string, source-ip and http-request-method condition adds 1; the sum is capped at 9.
   * More specific routes get lower rule priorities, so ALB evaluates them first.
   */
  public _specificity(): number {
    const host = this.hosts.length ? 5 : 0;
    const path = this.paths.length ? Math.min(4, ...this.paths.map(literalSegments)) : 0;
    const narrowing = this.conditions.filter((condition) => condition.kind !== Kind.PATH && condition.kind !== Kind.HOST).length;
    return Math.min(9, host + path + narrowing);
  }

  /** @internal a key that is equal for two matches exactly when they have the same conditions (so match the same requests). */
  public _key(): string {
    return this.conditions.map(conditionKey).sort().join(';');
  }

  /**
   * @internal whether this match meets every request that `other` meets, judged conservatively: each condition of
   * this match has a counterpart in `other` of the same kind each of whose values one of its own values covers.
   * Path patterns, host names and header values are ALB wildcard patterns (`*` any characters, `?` one), so
   * `/*` covers `/api/*`; other values cover only themselves.
   */
  public _covers(other: RouteMatch): boolean {
    return this.conditions.every((mine) => {
      const patterns = canonicalValues(mine);
      const covers = WILDCARD_KINDS.has(mine.kind)
        ? (value: string) => patterns.some((pattern) => patternCovers(pattern, value))
        : (value: string) => patterns.includes(value);
      return other.conditions.some((theirs) => sameField(mine, theirs) && canonicalValues(theirs).every(covers));
    });
  }

  private ofKind(kind: Kind): Condition[] {
    return this.conditions.filter((condition) => condition.kind === kind);
  }

  /** The conditions in the order messages describe them: path, host, header, query, source, method. */
  private sorted(): Condition[] {
    return [...this.conditions].sort((a, b) => KINDS[a.kind].order - KINDS[b.kind].order);
  }

  private validateHeaderNames(scope: IConstruct, prop: string): void {
    const seen = new Set<string>();
    for (const { headerName } of this.ofKind(Kind.HEADER)) {
      const name = headerName!;
      if (Token.isUnresolved(name)) continue;
      if (!HEADER_NAME.test(name)) {
        validationError(scope, prop, 'a header name of 1 to 40 of the characters A-Z a-z 0-9 ! # $ % & \' + - . ^ _ ` | ~ (no wildcards)', name);
      }
      if (name.toLowerCase() === 'host') validationError(scope, prop, 'a header other than Host (match hosts with `RouteMatch.hostHeaders()`)', name);
      if (seen.has(name.toLowerCase())) {
        validationError(scope, prop, `one condition per header name: give every value of a header in one \`httpHeader('${name}', ...)\` call`, name);
      }
      seen.add(name.toLowerCase());
    }
  }

  private validateValues(scope: IConstruct, prop: string): void {
    const check = (kind: Kind, valid: (value: string) => boolean, allowed: string) => {
      for (const condition of this.ofKind(kind)) {
        for (const value of condition.values) {
          if (!Token.isUnresolved(value) && !valid(value)) validationError(scope, `${prop}.${KINDS[kind].factory}`, allowed, value);
        }
      }
    };
    check(Kind.PATH, (value) => PATH_PATTERN.test(value),
      'path patterns that start with `/` and have at most 128 of the characters A-Z a-z 0-9 _ - . $ / ~ " \' @ : + & * ?');
    check(Kind.HOST, (value) => HOST_HEADER.test(value),
      'host names of at most 128 of the characters A-Z a-z 0-9 - . * ?, with at least one `.`');
    check(Kind.HEADER, (value) => HEADER_VALUE.test(value), 'header values of 1 to 128 visible ASCII characters or spaces');
    check(Kind.SOURCE, RouteMatch._isCidr, 'IPv4 or IPv6 ranges in CIDR notation, such as 203.0.113.0/24 or 2001:db8::/32');
    check(Kind.METHOD, (value) => HTTP_REQUEST_METHOD.test(value),
      'HTTP methods of 1 to 40 of the characters A-Z - _ (case-sensitive, such as GET or POST)');
    for (const condition of this.ofKind(Kind.QUERY)) {
      for (const part of condition.pairs!.flatMap(pairParts)) {
        if (!Token.isUnresolved(part) && !QUERY_STRING_PART.test(part)) {
          validationError(scope, `${prop}.queryStrings`,
            'keys and values of 1 to 128 visible ASCII characters other than & = # (give the part before `=` as `key`)', part);
        }
      }
    }
  }
}

function toListenerCondition(condition: Condition): elbv2.ListenerCondition {
  switch (condition.kind) {
    case Kind.HOST: return elbv2.ListenerCondition.hostHeaders(condition.values);
    case Kind.PATH: return elbv2.ListenerCondition.pathPatterns(condition.values);
    case Kind.HEADER: return elbv2.ListenerCondition.httpHeader(condition.headerName!, condition.values);
    case Kind.QUERY: return elbv2.ListenerCondition.queryStrings(condition.pairs!);
    case Kind.SOURCE: return elbv2.ListenerCondition.sourceIps(condition.values);
    case Kind.METHOD: return elbv2.ListenerCondition.httpRequestMethods(condition.values);
  }
}

function describeCondition(condition: Condition): string {
  const values = condition.values.join(' | ');
  const { label } = KINDS[condition.kind];
  return condition.kind === Kind.HEADER ? `${label} ${condition.headerName}: ${values}` : `${label} ${values}`;
}

function describePair(pair: QueryStringMatch): string {
  return pair.key === undefined ? pair.value : `${pair.key}=${pair.value}`;
}

/** The strings of a query-string pair that ALB compares: its key, if any, and its value. */
function pairParts(pair: QueryStringMatch): string[] {
  return pair.key === undefined ? [pair.value] : [pair.key, pair.value];
}

/** Whether ALB compares the values of a kind regardless of case. */
function caseInsensitive(kind: Kind): boolean {
  return kind !== Kind.PATH && kind !== Kind.METHOD;
}

/** The distinct values of a condition as ALB compares them, sorted. */
function canonicalValues(condition: Condition): string[] {
  const values = condition.kind === Kind.QUERY
    // a pair without a key is not the same as one with an empty key: mark the key's presence
    ? condition.pairs!.map((pair) => pair.key === undefined ? `=${pair.value}` : `${pair.key}=${pair.value}`)
    : condition.values;
  const canonical = caseInsensitive(condition.kind) ? values.map((value) => value.toLowerCase()) : values;
  return [...new Set(canonical)].sort();
}

function sameField(a: Condition, b: Condition): boolean {
  return a.kind === b.kind && (a.headerName ?? '').toLowerCase() === (b.headerName ?? '').toLowerCase();
}

function conditionKey(condition: Condition): string {
  const name = condition.kind === Kind.HEADER ? `:${condition.headerName!.toLowerCase()}` : '';
  return `${condition.kind}${name}=${canonicalValues(condition).join('|')}`;
}

/** The kinds whose values are wildcard patterns without escapes: `*` matches any characters, `?` exactly one. */
const WILDCARD_KINDS = new Set<Kind>([Kind.PATH, Kind.HOST, Kind.HEADER]);

/**
 * Whether every string that the wildcard pattern `value` matches is matched by the wildcard pattern `pattern`.
 * Sound, never a false yes: it checks that `pattern` matches `value` read as symbols, its `*` taking any symbols
 * (wildcards of `value` too), its `?` one literal character or `?`, and its literal characters only themselves.
 */
function patternCovers(pattern: string, value: string): boolean {
  const wildcard = pattern.search(/[*?]/);
  // a pattern without wildcards matches one string only
  if (wildcard === -1) return pattern === value;
  // the literal characters before the first wildcard match only themselves: most pairs of routes differ there,
  // and need no table (`/orders/*` and `/users/*`)
  const literal = pattern.slice(0, wildcard);
  if (!value.startsWith(literal)) return false;
  return wildcardsCover(pattern.slice(wildcard), value.slice(wildcard));
}

/** `patternCovers()` from the first wildcard of `pattern` on. */
function wildcardsCover(pattern: string, value: string): boolean {
  // covered[i][j]: pattern from i covers value from j; filled from the ends
  const covered: boolean[][] = Array.from({ length: pattern.length + 1 }, () => new Array<boolean>(value.length + 1).fill(false));
  covered[pattern.length][value.length] = true;
  for (let i = pattern.length - 1; i >= 0; i--) {
    for (let j = value.length; j >= 0; j--) {
      const p = pattern[i];
      const v = j < value.length ? value[j] : undefined;
      if (p === '*') covered[i][j] = covered[i + 1][j] || (v !== undefined && covered[i][j + 1]);
      else if (p === '?') covered[i][j] = v !== undefined && v !== '*' && covered[i + 1][j + 1];
      else covered[i][j] = v === p && covered[i + 1][j + 1];
    }
  }
  return covered[0][0];
}

/** Number of unescaped `*` and `?` in a value. */
function countWildcards(value: string): number {
  return (value.match(/(?<!\\)[*?]/g) ?? []).length;
}

/** Number of non-empty path segments before the first wildcard: `/api/v1/*` → 2, `/*` → 0. */
function literalSegments(pattern: string): number {
  const wildcard = pattern.search(/[*?]/);
  const literal = wildcard === -1 ? pattern : pattern.slice(0, wildcard);
  const segments = literal.split('/');
  // a trailing partial segment (`/api*`) still narrows the match
  return segments.filter((segment) => segment.length > 0).length;
}

function isIpv4(address: string): boolean {
  const octets = address.split('.');
  return octets.length === 4 && octets.every((octet) => /^(0|[1-9]\d{0,2})$/.test(octet) && Number(octet) <= 255);
}

function isIpv6(address: string): boolean {
  // an IPv4 address at the end (`::ffff:192.0.2.1`) stands for the last two groups
  const lastColon = address.lastIndexOf(':');
  if (lastColon === -1) return false;
  const tail = address.slice(lastColon + 1);
  let groups = address;
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    groups = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const split = (half: string) => half === '' ? [] : half.split(':');
  const all = halves.flatMap(split);
  if (!all.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? all.length <= 7 : all.length === 8;
}
