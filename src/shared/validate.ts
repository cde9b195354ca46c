import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Thrown for bad input at synth time. The message always names the prop, what is allowed and what was given,
 * and starts with the path of the construct that refused it.
 */
export class PlatformValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'PlatformValidationError';
  }
}

/** Throws a `PlatformValidationError`: "`prop` must be <allowed>, got: <given>". */
export function validationError(scope: IConstruct, prop: string, allowed: string, given: unknown): never {
  throw new PlatformValidationError(scope, `\`${prop}\` must be ${allowed}, got: ${describe(given)}`);
}

/** Asserts an integer in [min, max]. Unresolved tokens are skipped: they are checked by CloudFormation. */
export function assertInRange(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    validationError(scope, prop, `an integer between ${min} and ${max}`, value);
  }
}

/** Asserts that `value` matches `pattern`; `allowed` says in words what the pattern allows. */
export function assertPattern(scope: IConstruct, prop: string, value: string | undefined, pattern: RegExp, allowed: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!pattern.test(value)) validationError(scope, prop, allowed, value);
}

/** Asserts that `value` is one of `allowed`. */
export function assertOneOf<T>(scope: IConstruct, prop: string, value: T | undefined, allowed: readonly T[]): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!allowed.includes(value)) validationError(scope, prop, `one of ${allowed.map(describe).join(', ')}`, value);
}

/** Asserts that `min <= max` for two props that bound each other. */
export function assertOrdered(scope: IConstruct, minProp: string, min: number, maxProp: string, max: number): void {
  if (Token.isUnresolved(min) || Token.isUnresolved(max)) return;
  if (min > max) validationError(scope, maxProp, `at least \`${minProp}\` (${min})`, max);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return String(value);
}
