import { Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  assertInRange,
  assertOneOf,
  assertOrdered,
  assertPattern,
  PlatformValidationError,
  validationError,
} from '../../src/shared/validate';
import { testStack } from '../util';

describe('validate', () => {
  let stack: Stack;
  let scope: Construct;
  beforeEach(() => {
    stack = testStack();
    scope = new Construct(stack, 'Thing');
  });

  describe('validationError', () => {
    test('throws a PlatformValidationError that names the construct path, the prop, what is allowed and what was given', () => {
      let error: unknown;
      try {
        validationError(scope, 'size', 'small or large', 'huge');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformValidationError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toEqual('PlatformValidationError');
      expect((error as Error).message).toEqual('[TestStack/Thing] `size` must be small or large, got: "huge"');
    });

    test.each<[unknown, string]>([
      ['text', '"text"'],
      [42, '42'],
      [1.5, '1.5'],
      [undefined, 'undefined'],
      [['a', 1], '["a", 1]'],
    ])('describes the given value %p as %s', (given, described) => {
      expect(() => validationError(scope, 'prop', 'allowed', given)).toThrow(`, got: ${described}`);
    });

    test('names the path of a nested construct', () => {
      const nested = new Construct(scope, 'Child');
      expect(() => validationError(nested, 'prop', 'allowed', 1)).toThrow(/^\[TestStack\/Thing\/Child\] `prop` must be allowed, got: 1$/);
    });
  });

  describe('assertInRange', () => {
    test('skips an undefined value', () => {
      expect(() => assertInRange(scope, 'count', undefined, 1, 10)).not.toThrow();
    });

    test('skips an unresolved token', () => {
      const token = Lazy.number({ produce: () => 5000 });
      expect(() => assertInRange(scope, 'count', token, 1, 10)).not.toThrow();
    });

    test.each([1, 5, 10])('accepts %s in [1, 10]', (value) => {
      expect(() => assertInRange(scope, 'count', value, 1, 10)).not.toThrow();
    });

    test.each([0, 11, -1, 1000])('fails when the value is %s, outside [1, 10]', (value) => {
      expect(() => assertInRange(scope, 'count', value, 1, 10))
        .toThrow(new RegExp(`^\\[TestStack/Thing\\] \`count\` must be an integer between 1 and 10, got: ${value}$`));
    });

    test.each([1.5, 9.99, Number.NaN, Number.POSITIVE_INFINITY])('fails when the value is the non-integer %s', (value) => {
      expect(() => assertInRange(scope, 'count', value, 1, 10))
        .toThrow(/\[TestStack\/Thing\] `count` must be an integer between 1 and 10, got: /);
    });

    test('throws a PlatformValidationError', () => {
      expect(() => assertInRange(scope, 'count', 0, 1, 10)).toThrow(PlatformValidationError);
    });
  });

  describe('assertPattern', () => {
    const pattern = /^[a-z]+$/;

    test('skips an undefined value', () => {
      expect(() => assertPattern(scope, 'name', undefined, pattern, 'lowercase letters')).not.toThrow();
    });

    test('skips an unresolved token', () => {
      const token = Lazy.string({ produce: () => 'NOT VALID' });
      expect(() => assertPattern(scope, 'name', token, pattern, 'lowercase letters')).not.toThrow();
    });

    test('accepts a matching value', () => {
      expect(() => assertPattern(scope, 'name', 'abc', pattern, 'lowercase letters')).not.toThrow();
    });

    test.each(['ABC', 'a b', ''])('fails when the value is %p, which does not match', (value) => {
      expect(() => assertPattern(scope, 'name', value, pattern, 'lowercase letters'))
        .toThrow(`[TestStack/Thing] \`name\` must be lowercase letters, got: ${JSON.stringify(value)}`);
    });
  });

  describe('assertOneOf', () => {
    test('skips an undefined value', () => {
      expect(() => assertOneOf<string>(scope, 'mode', undefined, ['a', 'b'])).not.toThrow();
    });

    test('skips an unresolved string token', () => {
      const token = Lazy.string({ produce: () => 'z' });
      expect(() => assertOneOf(scope, 'mode', token, ['a', 'b'])).not.toThrow();
    });

    test.each(['a', 'b'])('accepts the allowed value %p', (value) => {
      expect(() => assertOneOf(scope, 'mode', value, ['a', 'b'])).not.toThrow();
    });

    test('fails when a string is not one of the allowed values', () => {
      expect(() => assertOneOf(scope, 'mode', 'c', ['a', 'b']))
        .toThrow(/^\[TestStack\/Thing\] `mode` must be one of "a", "b", got: "c"$/);
    });

    test('fails when a number is not one of the allowed values', () => {
      expect(() => assertOneOf(scope, 'port', 8080, [80, 443]))
        .toThrow(/^\[TestStack\/Thing\] `port` must be one of 80, 443, got: 8080$/);
    });
  });

  describe('assertOrdered', () => {
    test.each([[1, 2], [3, 3], [0, 1000]])('accepts min %s and max %s', (min, max) => {
      expect(() => assertOrdered(scope, 'minCapacity', min, 'maxCapacity', max)).not.toThrow();
    });

    test('fails when min is greater than max, naming the max prop', () => {
      expect(() => assertOrdered(scope, 'minCapacity', 5, 'maxCapacity', 3))
        .toThrow(/^\[TestStack\/Thing\] `maxCapacity` must be at least `minCapacity` \(5\), got: 3$/);
    });

    test('skips an unresolved min', () => {
      const token = Lazy.number({ produce: () => 100 });
      expect(() => assertOrdered(scope, 'minCapacity', token, 'maxCapacity', 3)).not.toThrow();
    });

    test('skips an unresolved max', () => {
      const token = Lazy.number({ produce: () => 1 });
      expect(() => assertOrdered(scope, 'minCapacity', 5, 'maxCapacity', token)).not.toThrow();
    });
  });
});
