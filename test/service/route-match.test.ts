import { Lazy, Stack } from 'aws-cdk-lib';
import { RouteMatch } from '../../src';
import { testStack } from '../util';

/** A regular expression that matches exactly `message`. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
}

describe('RouteMatch', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });

  describe('construction', () => {
    test('pathPatterns() keeps the given patterns in order and no hosts', () => {
      const match = RouteMatch.pathPatterns('/api/*', '/v2/*');
      expect(match.paths).toEqual(['/api/*', '/v2/*']);
      expect(match.hosts).toEqual([]);
    });

    test('hostHeaders() keeps the given hosts in order and no paths', () => {
      const match = RouteMatch.hostHeaders('api.example.com', '*.example.org');
      expect(match.hosts).toEqual(['api.example.com', '*.example.org']);
      expect(match.paths).toEqual([]);
    });

    test('and() combines the paths and hosts of both matches', () => {
      const match = RouteMatch.hostHeaders('admin.example.com').and(RouteMatch.pathPatterns('/*', '/admin/*'));
      expect(match.paths).toEqual(['/*', '/admin/*']);
      expect(match.hosts).toEqual(['admin.example.com']);
    });

    test('and() leaves both operands unchanged', () => {
      const paths = RouteMatch.pathPatterns('/api/*');
      const hosts = RouteMatch.hostHeaders('api.example.com');
      paths.and(hosts);
      expect(paths.paths).toEqual(['/api/*']);
      expect(paths.hosts).toEqual([]);
      expect(hosts.paths).toEqual([]);
      expect(hosts.hosts).toEqual(['api.example.com']);
    });
  });

  describe('toString', () => {
    test.each<[string, RouteMatch, string]>([
      ['a path', RouteMatch.pathPatterns('/api/*'), 'path /api/*'],
      ['several paths', RouteMatch.pathPatterns('/api/*', '/v2/*'), 'path /api/* | /v2/*'],
      ['a host', RouteMatch.hostHeaders('api.example.com'), 'host api.example.com'],
      ['several hosts', RouteMatch.hostHeaders('a.example.com', 'b.example.com'), 'host a.example.com | b.example.com'],
      ['a path and a host', RouteMatch.pathPatterns('/api/*').and(RouteMatch.hostHeaders('api.example.com')), 'path /api/* and host api.example.com'],
      ['no condition', RouteMatch.pathPatterns(), ''],
    ])('reads well for %s', (_name, match, expected) => {
      expect(match.toString()).toEqual(expected);
      expect(`${match}`).toEqual(expected);
    });
  });

  describe('validation', () => {
    test.each<[string, RouteMatch]>([
      ['a path pattern', RouteMatch.pathPatterns('/api/*')],
      ['the root pattern', RouteMatch.pathPatterns('/*')],
      ['a bare slash', RouteMatch.pathPatterns('/')],
      ['every allowed path character', RouteMatch.pathPatterns('/a-Z_0.9$~"\'@:+&*?/x')],
      ['a 128-character path', RouteMatch.pathPatterns(`/${'a'.repeat(127)}`)],
      ['a host header', RouteMatch.hostHeaders('api.example.com')],
      ['a wildcard host header', RouteMatch.hostHeaders('*.example.com', 'api-?.example.com')],
      ['a 128-character host header', RouteMatch.hostHeaders(`${'a'.repeat(120)}.example`)],
      ['5 values in all', RouteMatch.pathPatterns('/a/*', '/b/*', '/c/*').and(RouteMatch.hostHeaders('a.example.com', 'b.example.com'))],
    ])('accepts %s', (_name, match) => {
      expect(() => match._validate(stack, 'route')).not.toThrow();
    });

    test('accepts unresolved tokens as path patterns and host headers', () => {
      const path = Lazy.string({ produce: () => 'no-slash' });
      const host = Lazy.string({ produce: () => 'localhost' });
      expect(() => RouteMatch.pathPatterns(path).and(RouteMatch.hostHeaders(host))._validate(stack, 'route')).not.toThrow();
    });

    test('fails when the match has no condition', () => {
      expect(() => RouteMatch.pathPatterns()._validate(stack, 'route'))
        .toThrow(/^\[TestStack\] `route` must be a match with at least one path pattern or host header, got: 0$/);
    });

    test('fails when the match has more than 5 values', () => {
      const match = RouteMatch.pathPatterns('/a/*', '/b/*', '/c/*', '/d/*').and(RouteMatch.hostHeaders('a.example.com', 'b.example.com'));
      expect(() => match._validate(stack, 'route')).toThrow(exactly('[TestStack] `route` must be at most 5 condition values in all: path patterns, ' +
        'hosts, header values, query-string pairs, source IP ranges and methods (an ALB limit per rule), got: 6'));
    });

    test.each(['api/*', '*', 'api', ' /api'])('fails when a path pattern does not start with / (%j)', (pattern) => {
      const escaped = pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(() => RouteMatch.pathPatterns('/ok/*', pattern)._validate(stack, 'route'))
        .toThrow(new RegExp(`\`route\\.pathPatterns\` must be path patterns that start with \`/\`.*, got: "${escaped}"$`));
    });

    test('names the prop it was given in the message', () => {
      expect(() => RouteMatch.pathPatterns('api/*')._validate(stack, 'route api'))
        .toThrow(/`route api\.pathPatterns` must be path patterns that start with `\/`.*, got: "api\/\*"/);
    });

    test('fails when a path pattern is longer than 128 characters', () => {
      const pattern = `/${'a'.repeat(128)}`;
      expect(() => RouteMatch.pathPatterns(pattern)._validate(stack, 'route'))
        .toThrow(new RegExp(`\`route\\.pathPatterns\` must be path patterns .*at most 128 .*, got: "${pattern}"$`));
    });

    test.each(['/api/ *', '/api/#', '/api/%20', '/pfad/ä'])('fails when a path pattern has a character ALB refuses (%j)', (pattern) => {
      expect(() => RouteMatch.pathPatterns(pattern)._validate(stack, 'route')).toThrow(/`route\.pathPatterns` must be path patterns/);
    });

    test.each([
      ['localhost', 'has no dot'],
      ['api .example.com', 'has a space'],
      ['api_v1.example.com', 'has an underscore'],
      ['', 'is empty'],
    ])('fails when a host header %#: %j %s', (host) => {
      const escaped = host.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(() => RouteMatch.hostHeaders(host)._validate(stack, 'route'))
        .toThrow(new RegExp(`\`route\\.hostHeaders\` must be host names of at most 128 .*with at least one \`\\.\`, got: "${escaped}"$`));
    });

    test('fails when a host header is longer than 128 characters', () => {
      const host = `${'a'.repeat(121)}.example`;
      expect(host).toHaveLength(129);
      expect(() => RouteMatch.hostHeaders(host)._validate(stack, 'route')).toThrow(/`route\.hostHeaders` must be host names of at most 128/);
    });

    test('checks the count before the patterns', () => {
      const match = RouteMatch.pathPatterns('a', 'b', 'c', 'd', 'e', 'f');
      expect(() => match._validate(stack, 'route')).toThrow(/`route` must be at most 5 .*, got: 6$/);
    });
  });

  describe('_specificity', () => {
    test.each<[string, RouteMatch, number]>([
      ['/*', RouteMatch.pathPatterns('/*'), 0],
      ['/', RouteMatch.pathPatterns('/'), 0],
      ['/api/*', RouteMatch.pathPatterns('/api/*'), 1],
      ['/api (no wildcard)', RouteMatch.pathPatterns('/api'), 1],
      ['/api* (partial segment)', RouteMatch.pathPatterns('/api*'), 1],
      ['/a?c/* (? is a wildcard)', RouteMatch.pathPatterns('/a?c/*'), 1],
      ['/api/v1/*', RouteMatch.pathPatterns('/api/v1/*'), 2],
      ['//api//v1/* (empty segments do not count)', RouteMatch.pathPatterns('//api//v1/*'), 2],
      ['/a/b/c/d/*', RouteMatch.pathPatterns('/a/b/c/d/*'), 4],
      ['/a/b/c/d/e/f/* (capped at 4)', RouteMatch.pathPatterns('/a/b/c/d/e/f/*'), 4],
      ['/api/v1/* and /* (least specific counts)', RouteMatch.pathPatterns('/api/v1/*', '/*'), 0],
      ['/api/v1/* and /web/* (least specific counts)', RouteMatch.pathPatterns('/api/v1/*', '/web/*'), 1],
      ['a host only', RouteMatch.hostHeaders('api.example.com'), 5],
      ['a host and /*', RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/*')), 5],
      ['a host and /api/v1/*', RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/api/v1/*')), 7],
      ['a host and a deep path (at most 9)', RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/a/b/c/d/e/f')), 9],
      ['several hosts and /api/*', RouteMatch.hostHeaders('a.example.com', 'b.example.com').and(RouteMatch.pathPatterns('/api/*')), 6],
    ])('is right for %s', (_name, match, expected) => {
      expect(match._specificity()).toEqual(expected);
    });
  });

  describe('_key', () => {
    test('is equal for the same paths in another order', () => {
      expect(RouteMatch.pathPatterns('/a/*', '/b/*')._key()).toEqual(RouteMatch.pathPatterns('/b/*', '/a/*')._key());
    });

    test('is equal for the same hosts in another order and case', () => {
      expect(RouteMatch.hostHeaders('API.Example.com', 'web.example.com')._key())
        .toEqual(RouteMatch.hostHeaders('web.example.com', 'api.example.COM')._key());
    });

    test('is equal however the match was combined', () => {
      const a = RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/v1/*'));
      const b = RouteMatch.pathPatterns('/v1/*').and(RouteMatch.hostHeaders('api.example.com'));
      expect(a._key()).toEqual(b._key());
    });

    test('ignores repeated values', () => {
      expect(RouteMatch.pathPatterns('/a/*', '/a/*')._key()).toEqual(RouteMatch.pathPatterns('/a/*')._key());
    });

    test.each<[string, RouteMatch, RouteMatch]>([
      ['paths that differ in case (paths are case-sensitive)', RouteMatch.pathPatterns('/API/*'), RouteMatch.pathPatterns('/api/*')],
      ['different paths', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/b/*')],
      ['a subset of paths', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/a/*', '/b/*')],
      ['a path with and without a host', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/a/*').and(RouteMatch.hostHeaders('a.example.com'))],
      ['different hosts', RouteMatch.hostHeaders('a.example.com'), RouteMatch.hostHeaders('b.example.com')],
    ])('differs for %s', (_name, a, b) => {
      expect(a._key()).not.toEqual(b._key());
    });
  });

  describe('_conditions', () => {
    test('produces a host-header and a path-pattern condition', () => {
      const match = RouteMatch.pathPatterns('/api/*', '/v2/*').and(RouteMatch.hostHeaders('api.example.com'));
      expect(match._conditions().map((condition) => condition.renderRawCondition())).toEqual([
        { field: 'host-header', hostHeaderConfig: { values: ['api.example.com'] } },
        { field: 'path-pattern', pathPatternConfig: { values: ['/api/*', '/v2/*'] } },
      ]);
    });

    test('produces only a path-pattern condition for paths only', () => {
      expect(RouteMatch.pathPatterns('/api/*')._conditions().map((condition) => condition.renderRawCondition())).toEqual([
        { field: 'path-pattern', pathPatternConfig: { values: ['/api/*'] } },
      ]);
    });

    test('produces only a host-header condition for hosts only', () => {
      expect(RouteMatch.hostHeaders('api.example.com')._conditions().map((condition) => condition.renderRawCondition())).toEqual([
        { field: 'host-header', hostHeaderConfig: { values: ['api.example.com'] } },
      ]);
    });
  });

  describe('more condition kinds', () => {
    test('httpHeader() keeps the header name and values, and no other condition', () => {
      const match = RouteMatch.httpHeader('X-Environment', 'blue', 'green');
      expect(match.headers).toEqual([{ name: 'X-Environment', values: ['blue', 'green'] }]);
      expect([match.paths, match.hosts, match.queryPairs, match.sourceCidrs, match.methods]).toEqual([[], [], [], [], []]);
    });

    test('queryStrings() keeps the pairs in order, with and without a key', () => {
      const match = RouteMatch.queryStrings({ key: 'version', value: '2' }, { value: 'beta' });
      expect(match.queryPairs).toEqual([{ key: 'version', value: '2' }, { value: 'beta' }]);
      expect(match.headers).toEqual([]);
    });

    test('queryStrings() copies the pairs it is given', () => {
      const pair = { key: 'version', value: '2' };
      const match = RouteMatch.queryStrings(pair);
      pair.value = '3';
      expect(match.queryPairs).toEqual([{ key: 'version', value: '2' }]);
      expect(match.toString()).toEqual('query version=2');
    });

    test('sourceIps() keeps the ranges in order', () => {
      expect(RouteMatch.sourceIps('203.0.113.0/24', '2001:db8::/32').sourceCidrs).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    });

    test('httpRequestMethods() keeps the methods in order', () => {
      expect(RouteMatch.httpRequestMethods('GET', 'HEAD').methods).toEqual(['GET', 'HEAD']);
    });

    test('and() keeps every condition of both matches', () => {
      const match = RouteMatch.pathPatterns('/api/*')
        .and(RouteMatch.httpHeader('X-A', '1'))
        .and(RouteMatch.httpHeader('X-B', '2', '3'))
        .and(RouteMatch.queryStrings({ key: 'k', value: 'v' }))
        .and(RouteMatch.queryStrings({ value: 'w' }))
        .and(RouteMatch.sourceIps('10.0.0.0/8'))
        .and(RouteMatch.httpRequestMethods('GET'));
      expect(match.paths).toEqual(['/api/*']);
      expect(match.headers).toEqual([{ name: 'X-A', values: ['1'] }, { name: 'X-B', values: ['2', '3'] }]);
      expect(match.queryPairs).toEqual([{ key: 'k', value: 'v' }, { value: 'w' }]);
      expect(match.sourceCidrs).toEqual(['10.0.0.0/8']);
      expect(match.methods).toEqual(['GET']);
    });

    test.each<[string, RouteMatch, string]>([
      ['a header', RouteMatch.httpHeader('X-Env', 'blue', 'green'), 'header X-Env: blue | green'],
      ['query pairs', RouteMatch.queryStrings({ key: 'version', value: '2' }, { value: 'beta' }), 'query version=2 | beta'],
      ['source ranges', RouteMatch.sourceIps('10.0.0.0/8', '::/0'), 'source 10.0.0.0/8 | ::/0'],
      ['methods', RouteMatch.httpRequestMethods('GET', 'HEAD'), 'method GET | HEAD'],
      ['every kind, in a fixed order however combined',
        RouteMatch.httpRequestMethods('GET').and(RouteMatch.sourceIps('10.0.0.0/8')).and(RouteMatch.queryStrings({ value: 'x' }))
          .and(RouteMatch.httpHeader('X-A', '1')).and(RouteMatch.hostHeaders('a.example.com')).and(RouteMatch.pathPatterns('/a/*')),
        'path /a/* and host a.example.com and header X-A: 1 and query x and source 10.0.0.0/8 and method GET'],
      ['two conditions of one kind, each on its own', RouteMatch.pathPatterns('/a').and(RouteMatch.pathPatterns('/b')), 'path /a and path /b'],
      ['two headers, in the order given', RouteMatch.httpHeader('X-B', '2').and(RouteMatch.httpHeader('X-A', '1')), 'header X-B: 2 and header X-A: 1'],
      ['an empty condition (left out)', RouteMatch.httpHeader('X-A').and(RouteMatch.pathPatterns('/a')), 'path /a'],
    ])('toString reads well for %s', (_name, match, expected) => {
      expect(`${match}`).toEqual(expected);
    });
  });

  describe('validation of more condition kinds', () => {
    test.each<[string, RouteMatch]>([
      ['a header', RouteMatch.httpHeader('X-Environment', 'blue')],
      ['a header with wildcards and spaces', RouteMatch.httpHeader('User-Agent', '*Mobile Safari*')],
      ['every header-name character', RouteMatch.httpHeader("aZ09!#$%&'+-.^_`|~", 'x')],
      ['a 40-character header name', RouteMatch.httpHeader('X'.repeat(40), 'x')],
      ['a 128-character header value', RouteMatch.httpHeader('X-A', 'v'.repeat(128))],
      ['two headers of different names', RouteMatch.httpHeader('X-A', '1').and(RouteMatch.httpHeader('X-B', '2'))],
      ['query pairs', RouteMatch.queryStrings({ key: 'version', value: '2' }, { value: 'beta' })],
      ['two query-string conditions', RouteMatch.queryStrings({ key: 'a', value: '1' }).and(RouteMatch.queryStrings({ key: 'b', value: '2' }))],
      ['a 128-character query key and value', RouteMatch.queryStrings({ key: 'k'.repeat(128), value: 'v'.repeat(128) })],
      ['escaped wildcards in a query string', RouteMatch.queryStrings({ value: '\\*\\?\\*\\?\\*\\?' })],
      ['IPv4 and IPv6 ranges', RouteMatch.sourceIps('0.0.0.0/0', '203.0.113.7/32', '::/0', '2001:db8::/32', '::ffff:192.0.2.1/128')],
      ['methods', RouteMatch.httpRequestMethods('GET', 'POST', 'M-SEARCH', 'X_CUSTOM')],
      ['a 40-character method', RouteMatch.httpRequestMethods('A'.repeat(40))],
      ['one condition of every kind', RouteMatch.pathPatterns('/a/*').and(RouteMatch.hostHeaders('a.example.com'))
        .and(RouteMatch.httpHeader('X-A', '1')).and(RouteMatch.sourceIps('10.0.0.0/8')).and(RouteMatch.httpRequestMethods('GET'))],
      ['5 wildcards', RouteMatch.pathPatterns('/a*/b?/*').and(RouteMatch.hostHeaders('*.example.com')).and(RouteMatch.httpHeader('X-A', '?'))],
    ])('accepts %s', (_name, match) => {
      expect(() => match._validate(stack, 'route')).not.toThrow();
    });

    test('accepts unresolved tokens in every kind of condition', () => {
      const token = (value: string) => Lazy.string({ produce: () => value });
      const match = RouteMatch.httpHeader(token('bad name'), token('\u0001'))
        .and(RouteMatch.queryStrings({ key: token('a=b'), value: token('&') }))
        .and(RouteMatch.sourceIps(token('nope')))
        .and(RouteMatch.httpRequestMethods(token('get')));
      expect(() => match._validate(stack, 'route')).not.toThrow();
    });

    test.each<[string, RouteMatch, string]>([
      ['path patterns', RouteMatch.pathPatterns('/a').and(RouteMatch.pathPatterns('/b')),
        '`route.pathPatterns` must be given in one `RouteMatch.pathPatterns(...)` call: an ALB rule holds one path-pattern condition ' +
        '(joined with `and()`, a request would have to match each); put every path pattern of the route in that call, got: "path /a and path /b"'],
      ['host headers', RouteMatch.hostHeaders('a.example.com').and(RouteMatch.hostHeaders('b.example.com')),
        '`route.hostHeaders` must be given in one `RouteMatch.hostHeaders(...)` call: an ALB rule holds one host-header condition ' +
        '(joined with `and()`, a request would have to match each); put every host name of the route in that call, ' +
        'got: "host a.example.com and host b.example.com"'],
      ['source ranges', RouteMatch.sourceIps('10.0.0.0/8').and(RouteMatch.sourceIps('192.168.0.0/16')),
        '`route.sourceIps` must be given in one `RouteMatch.sourceIps(...)` call: an ALB rule holds one source-ip condition ' +
        '(joined with `and()`, a request would have to match each); put every CIDR range of the route in that call, ' +
        'got: "source 10.0.0.0/8 and source 192.168.0.0/16"'],
      ['methods', RouteMatch.httpRequestMethods('GET').and(RouteMatch.httpRequestMethods('HEAD')),
        '`route.httpRequestMethods` must be given in one `RouteMatch.httpRequestMethods(...)` call: an ALB rule holds one ' +
        'http-request-method condition (joined with `and()`, a request would have to match each); put every method of the route in that call, ' +
        'got: "method GET and method HEAD"'],
    ])('fails when a match has two conditions of %s', (_name, match, message) => {
      expect(() => match._validate(stack, 'route')).toThrow(exactly(`[TestStack] ${message}`));
    });

    test('fails when the match has more than 5 values of the newer kinds', () => {
      const match = RouteMatch.httpHeader('X-A', '1', '2').and(RouteMatch.queryStrings({ value: 'a' }, { key: 'b', value: 'c' }))
        .and(RouteMatch.sourceIps('10.0.0.0/8')).and(RouteMatch.httpRequestMethods('GET'));
      expect(() => match._validate(stack, 'route')).toThrow(/`route` must be at most 5 condition values in all: .*, got: 6$/);
    });

    test.each<[string, RouteMatch, string]>([
      ['a header', RouteMatch.httpHeader('X-A'), '`route.httpHeader` must be at least one header value in each `httpHeader()` call, got: []'],
      ['a query string', RouteMatch.queryStrings(), '`route.queryStrings` must be at least one key/value pair in each `queryStrings()` call, got: []'],
      ['source ranges', RouteMatch.pathPatterns('/a').and(RouteMatch.sourceIps()),
        '`route.sourceIps` must be at least one CIDR range in each `sourceIps()` call, got: []'],
      ['methods', RouteMatch.httpRequestMethods(), '`route.httpRequestMethods` must be at least one method in each `httpRequestMethods()` call, got: []'],
      ['path patterns next to a host', RouteMatch.pathPatterns().and(RouteMatch.hostHeaders('a.example.com')),
        '`route.pathPatterns` must be at least one path pattern in each `pathPatterns()` call, got: []'],
    ])('fails when a condition of %s has no value, rather than matching more than meant', (_name, match, message) => {
      expect(() => match._validate(stack, 'route')).toThrow(exactly(`[TestStack] ${message}`));
    });

    test.each(['X Env', 'X-*', 'X:Env', '', 'X'.repeat(41), 'Ü'])('fails when a header name is %j', (name) => {
      expect(() => RouteMatch.httpHeader(name, 'x')._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.httpHeader` must be a header ' +
        `name of 1 to 40 of the characters A-Z a-z 0-9 ! # $ % & ' + - . ^ _ \` | ~ (no wildcards), got: ${JSON.stringify(name)}`));
    });

    test.each(['Host', 'HOST'])('fails when the header is %s, pointing to hostHeaders()', (name) => {
      expect(() => RouteMatch.httpHeader(name, 'a.example.com')._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.httpHeader` must be ' +
        `a header other than Host (match hosts with \`RouteMatch.hostHeaders()\`), got: "${name}"`));
    });

    test('fails when two conditions name the same header, in any case', () => {
      const match = RouteMatch.httpHeader('X-Env', 'blue').and(RouteMatch.httpHeader('x-env', 'green'));
      expect(() => match._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.httpHeader` must be one condition per header name: ' +
        'give every value of a header in one `httpHeader(\'x-env\', ...)` call, got: "x-env"'));
    });

    test.each(['', 'v'.repeat(129), 'tab\there', 'caf\u00e9'])('fails when a header value is %j', (value) => {
      expect(() => RouteMatch.httpHeader('X-A', value)._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.httpHeader` must be ' +
        `header values of 1 to 128 visible ASCII characters or spaces, got: ${JSON.stringify(value)}`));
    });

    test.each<[string, { key?: string; value: string }, string]>([
      ['a value with =', { value: 'version=2' }, 'version=2'],
      ['a value with &', { key: 'a', value: '1&b' }, '1&b'],
      ['a value with #', { value: 'a#b' }, 'a#b'],
      ['a value with a space', { value: 'a b' }, 'a b'],
      ['an empty value', { key: 'a', value: '' }, ''],
      ['an empty key', { key: '', value: 'a' }, ''],
      ['a 129-character key', { key: 'k'.repeat(129), value: 'a' }, 'k'.repeat(129)],
    ])('fails when a query string has %s', (_name, pair, given) => {
      expect(() => RouteMatch.queryStrings(pair)._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.queryStrings` must be keys and ' +
        `values of 1 to 128 visible ASCII characters other than & = # (give the part before \`=\` as \`key\`), got: ${JSON.stringify(given)}`));
    });

    test.each(['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '10.0.0.0/08', '10.0.0.0/8/8', '2001:db8::/129', '2001:db8:::1/64',
      '1::2::3/64', '1:2:3:4:5:6:7:8:9/128', '1:2:3:4:5:6:7/128', 'fe80::1%eth0/64', '::ffff:300.0.0.1/128', 'g::/16', 'localhost/8'])(
      'fails when a source range is %j', (cidr) => {
        expect(() => RouteMatch.sourceIps(cidr)._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.sourceIps` must be IPv4 or IPv6 ' +
          `ranges in CIDR notation, such as 203.0.113.0/24 or 2001:db8::/32, got: ${JSON.stringify(cidr)}`));
      });

    test.each(['get', 'GET ', '', 'A'.repeat(41), 'GE*'])('fails when a method is %j', (method) => {
      expect(() => RouteMatch.httpRequestMethods(method)._validate(stack, 'route')).toThrow(exactly('[TestStack] `route.httpRequestMethods` must be ' +
        `HTTP methods of 1 to 40 of the characters A-Z - _ (case-sensitive, such as GET or POST), got: ${JSON.stringify(method)}`));
    });

    test('fails when the values hold more than 5 wildcards in all', () => {
      const match = RouteMatch.pathPatterns('/a*/b?/*').and(RouteMatch.hostHeaders('*.example.com'))
        .and(RouteMatch.queryStrings({ key: 'a*', value: 'b\\*' }, { value: '?' }));
      expect(() => match._validate(stack, 'route')).toThrow(exactly('[TestStack] `route` must be a match with at most 5 wildcard characters ' +
        '(`*`, `?`) in all its values (an ALB limit per rule), got: 6'));
    });

    test('checks the number of values before the kinds of condition', () => {
      const match = RouteMatch.pathPatterns('/a', '/b', '/c').and(RouteMatch.pathPatterns('/d', '/e', '/f'));
      expect(() => match._validate(stack, 'route')).toThrow(/`route` must be at most 5 .*, got: 6$/);
    });
  });

  describe('_isCidr', () => {
    test.each(['0.0.0.0/0', '10.0.0.0/8', '255.255.255.255/32', '::/0', '::1/128', '2001:db8::/32', '2001:DB8:0:0:0:0:0:1/128',
      '1:2:3:4:5:6:7::/112', '::ffff:192.0.2.1/128', '1::/16'])('accepts %j', (cidr) => {
      expect(RouteMatch._isCidr(cidr)).toBe(true);
    });

    test.each(['', '/8', '10.0.0.0/', '10.0.0.0/-1', '1.2.3.4', '::', '1.2.3.4.5/8', '01.2.3.4/8', ':1::/16', '12345::/16'])('refuses %j', (cidr) => {
      expect(RouteMatch._isCidr(cidr)).toBe(false);
    });
  });

  describe('_specificity of more condition kinds', () => {
    test.each<[string, RouteMatch, number]>([
      ['a header only', RouteMatch.httpHeader('X-A', '1'), 1],
      ['a query string only', RouteMatch.queryStrings({ value: 'a' }), 1],
      ['a source range only', RouteMatch.sourceIps('10.0.0.0/8'), 1],
      ['a method only', RouteMatch.httpRequestMethods('GET'), 1],
      ['/* and a header', RouteMatch.pathPatterns('/*').and(RouteMatch.httpHeader('X-Canary', 'true')), 1],
      ['/api/* and two headers', RouteMatch.pathPatterns('/api/*').and(RouteMatch.httpHeader('X-A', '1')).and(RouteMatch.httpHeader('X-B', '1')), 3],
      ['a host, /api/* and a method', RouteMatch.hostHeaders('a.example.com').and(RouteMatch.pathPatterns('/api/*'))
        .and(RouteMatch.httpRequestMethods('GET')), 7],
      ['a host, a deep path and a header (capped at 9)', RouteMatch.hostHeaders('a.example.com').and(RouteMatch.pathPatterns('/a/b/c/d/*'))
        .and(RouteMatch.httpHeader('X-A', '1')), 9],
    ])('is right for %s', (_name, match, expected) => {
      expect(match._specificity()).toEqual(expected);
    });

    test('is higher for a match with an extra condition than without it, below the cap', () => {
      const base = RouteMatch.hostHeaders('a.example.com').and(RouteMatch.pathPatterns('/api/*'));
      expect(base.and(RouteMatch.sourceIps('10.0.0.0/8'))._specificity()).toBeGreaterThan(base._specificity());
    });
  });

  describe('_key of more condition kinds', () => {
    test.each<[string, RouteMatch, RouteMatch]>([
      ['headers in another order, with names and values in another case',
        RouteMatch.httpHeader('X-A', 'Blue', 'green').and(RouteMatch.httpHeader('X-B', '1')),
        RouteMatch.httpHeader('x-b', '1').and(RouteMatch.httpHeader('x-a', 'GREEN', 'blue'))],
      ['query pairs in another order and case', RouteMatch.queryStrings({ key: 'A', value: 'b' }, { value: 'C' }),
        RouteMatch.queryStrings({ value: 'c' }, { key: 'a', value: 'B' })],
      ['source ranges in another order', RouteMatch.sourceIps('10.0.0.0/8', '2001:DB8::/32'), RouteMatch.sourceIps('2001:db8::/32', '10.0.0.0/8')],
      ['methods in another order', RouteMatch.httpRequestMethods('GET', 'HEAD'), RouteMatch.httpRequestMethods('HEAD', 'GET')],
      ['every kind combined in another order',
        RouteMatch.pathPatterns('/a/*').and(RouteMatch.httpHeader('X-A', '1')).and(RouteMatch.httpRequestMethods('GET')),
        RouteMatch.httpRequestMethods('GET').and(RouteMatch.pathPatterns('/a/*')).and(RouteMatch.httpHeader('X-A', '1'))],
    ])('is equal for %s', (_name, a, b) => {
      expect(a._key()).toEqual(b._key());
    });

    test.each<[string, RouteMatch, RouteMatch]>([
      ['different header names', RouteMatch.httpHeader('X-A', '1'), RouteMatch.httpHeader('X-B', '1')],
      ['different header values', RouteMatch.httpHeader('X-A', '1'), RouteMatch.httpHeader('X-A', '2')],
      ['one header with two values and two headers', RouteMatch.httpHeader('X-A', '1', '2'),
        RouteMatch.httpHeader('X-A', '1').and(RouteMatch.httpHeader('X-B', '2'))],
      ['a query value with and without a key', RouteMatch.queryStrings({ key: 'a', value: 'b' }), RouteMatch.queryStrings({ value: 'b' })],
      ['one query condition with two pairs and two conditions', RouteMatch.queryStrings({ value: 'a' }, { value: 'b' }),
        RouteMatch.queryStrings({ value: 'a' }).and(RouteMatch.queryStrings({ value: 'b' }))],
      ['methods that differ in case (methods are case-sensitive)', RouteMatch.httpRequestMethods('GET'), RouteMatch.httpRequestMethods('Get')],
      ['a path with and without a source range', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/a/*').and(RouteMatch.sourceIps('10.0.0.0/8'))],
      ['a header value and a query value', RouteMatch.httpHeader('X-A', 'v'), RouteMatch.queryStrings({ key: 'X-A', value: 'v' })],
    ])('differs for %s', (_name, a, b) => {
      expect(a._key()).not.toEqual(b._key());
    });
  });

  describe('_covers', () => {
    test.each<[string, RouteMatch, RouteMatch]>([
      ['the same match', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/a/*')],
      ['a path and the same path with a header', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/a/*').and(RouteMatch.httpHeader('X-A', '1'))],
      ['more paths and fewer paths', RouteMatch.pathPatterns('/a/*', '/b/*'), RouteMatch.pathPatterns('/b/*')],
      ['a header in another case', RouteMatch.httpHeader('x-a', 'ONE'), RouteMatch.httpHeader('X-A', 'one').and(RouteMatch.hostHeaders('a.example.com'))],
      ['a method and a method with a source', RouteMatch.httpRequestMethods('GET', 'HEAD'),
        RouteMatch.httpRequestMethods('GET').and(RouteMatch.sourceIps('10.0.0.0/8'))],
      ['/* and /api/*', RouteMatch.pathPatterns('/*'), RouteMatch.pathPatterns('/api/*')],
      ['/* and /', RouteMatch.pathPatterns('/*'), RouteMatch.pathPatterns('/')],
      ['/api/* and /api/v?/*', RouteMatch.pathPatterns('/api/*'), RouteMatch.pathPatterns('/api/v?/*')],
      ['/v?/* and /v1/*', RouteMatch.pathPatterns('/v?/*'), RouteMatch.pathPatterns('/v1/*')],
      ['/a* and /a?', RouteMatch.pathPatterns('/a*'), RouteMatch.pathPatterns('/a?')],
      ['/*/x/* and /a/x/b/*', RouteMatch.pathPatterns('/*/x/*'), RouteMatch.pathPatterns('/a/x/b/*')],
      ['patterns that together cover the paths one by one', RouteMatch.pathPatterns('/a/*', '/b/*'), RouteMatch.pathPatterns('/b/c', '/a/*/d')],
      ['a host wildcard and a host in another case', RouteMatch.hostHeaders('*.example.com'), RouteMatch.hostHeaders('API.example.com')],
      ['any header value and a value', RouteMatch.httpHeader('X-A', '*'), RouteMatch.httpHeader('x-a', 'Anything')],
    ])('is true for %s', (_name, broad, narrow) => {
      expect(broad._covers(narrow)).toBe(true);
    });

    test.each<[string, RouteMatch, RouteMatch]>([
      ['a path and a host', RouteMatch.pathPatterns('/a/*'), RouteMatch.hostHeaders('a.example.com')],
      ['a narrower and a broader match', RouteMatch.pathPatterns('/a/*').and(RouteMatch.httpHeader('X-A', '1')), RouteMatch.pathPatterns('/a/*')],
      ['fewer paths and more paths', RouteMatch.pathPatterns('/b/*'), RouteMatch.pathPatterns('/a/*', '/b/*')],
      ['headers of different names', RouteMatch.httpHeader('X-A', '1'), RouteMatch.httpHeader('X-B', '1')],
      ['paths that differ in case', RouteMatch.pathPatterns('/A/*'), RouteMatch.pathPatterns('/a/*')],
      ['/api/* and /*', RouteMatch.pathPatterns('/api/*'), RouteMatch.pathPatterns('/*')],
      ['/api/* and /api', RouteMatch.pathPatterns('/api/*'), RouteMatch.pathPatterns('/api')],
      ['/api/* and /apiv2/*', RouteMatch.pathPatterns('/api/*'), RouteMatch.pathPatterns('/apiv2/*')],
      ['/a? and /a*', RouteMatch.pathPatterns('/a?'), RouteMatch.pathPatterns('/a*')],
      ['/v?/* and /v10/*', RouteMatch.pathPatterns('/v?/*'), RouteMatch.pathPatterns('/v10/*')],
      ['a literal path and a wildcard', RouteMatch.pathPatterns('/a/b'), RouteMatch.pathPatterns('/a/?')],
      ['a host wildcard and its bare domain', RouteMatch.hostHeaders('*.example.com'), RouteMatch.hostHeaders('example.com')],
      ['/a/* and a path only partly under it', RouteMatch.pathPatterns('/a/*'), RouteMatch.pathPatterns('/a/*', '/b/*')],
    ])('is false for %s', (_name, a, b) => {
      expect(a._covers(b)).toBe(false);
    });
  });

  describe('_conditions of more condition kinds', () => {
    test('renders host, path, headers, query strings, source and method conditions in that order', () => {
      const match = RouteMatch.httpRequestMethods('GET', 'HEAD')
        .and(RouteMatch.sourceIps('10.0.0.0/8'))
        .and(RouteMatch.queryStrings({ key: 'version', value: '2' }, { value: 'beta' }))
        .and(RouteMatch.httpHeader('X-B', '2'))
        .and(RouteMatch.httpHeader('X-A', '1'))
        .and(RouteMatch.pathPatterns('/api/*'))
        .and(RouteMatch.hostHeaders('api.example.com'));
      expect(match._conditions().map((condition) => condition.renderRawCondition())).toEqual([
        { field: 'host-header', hostHeaderConfig: { values: ['api.example.com'] } },
        { field: 'path-pattern', pathPatternConfig: { values: ['/api/*'] } },
        { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'X-B', values: ['2'] } },
        { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'X-A', values: ['1'] } },
        { field: 'query-string', queryStringConfig: { values: [{ key: 'version', value: '2' }, { value: 'beta' }] } },
        { field: 'source-ip', sourceIpConfig: { values: ['10.0.0.0/8'] } },
        { field: 'http-request-method', httpRequestMethodConfig: { values: ['GET', 'HEAD'] } },
      ]);
    });
  });
});
