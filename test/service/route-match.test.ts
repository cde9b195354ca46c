import { Lazy, Stack } from 'aws-cdk-lib';
import { RouteMatch } from '../../src';
import { testStack } from '../util';

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
      expect(() => match._validate(stack, 'route'))
        .toThrow(/`route` must be at most 5 path patterns and host headers in all \(an ALB limit per rule\), got: 6$/);
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
});
