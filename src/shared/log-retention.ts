import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { assertOneOf } from './validate';

/** The retention periods CloudWatch Logs accepts, in days: the values of `logs.RetentionDays`. */
const ALLOWED_RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays)
  .filter((value): value is logs.RetentionDays => typeof value === 'number')
  .sort((a, b) => a - b);

/**
 * Asserts that `retention` is a retention period CloudWatch Logs accepts.
 *
 * TypeScript already refuses a number that is not a `logs.RetentionDays`, but plain JavaScript and casts do not: a
 * raw `17` would fail the deploy. Unresolved tokens are accepted; CloudFormation checks them.
 */
export function assertLogRetention(scope: IConstruct, prop: string, retention: logs.RetentionDays | undefined): void {
  assertOneOf(scope, prop, retention as number | undefined, ALLOWED_RETENTION_DAYS);
}

/** Returns `retention`, or `fallback` when it is undefined, after asserting it with `assertLogRetention`. */
export function checkedLogRetention(scope: IConstruct, prop: string, retention: logs.RetentionDays | undefined,
  fallback: logs.RetentionDays): logs.RetentionDays {
  assertLogRetention(scope, prop, retention);
  return retention ?? fallback;
}
