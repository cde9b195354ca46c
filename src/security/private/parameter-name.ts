import { Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { assertPattern, validationError } from '../../shared/validate';

/** SSM's limit on the levels of a parameter name's hierarchy (`/a/b` has two). */
const MAX_LEVELS = 15;

/**
 * Asserts that `parameterName` is a name SSM Parameter Store accepts: allowed characters and length, no ARN, no
 * trailing `/`, no empty level (`//`), no reserved prefix (`aws` or `ssm`, in any case, with or without a leading
 * `/`) and at most 15 levels. A name with tokens is accepted: CloudFormation and SSM check it at deploy.
 */
export function assertSsmParameterName(scope: IConstruct, prop: string, parameterName: string): void {
  if (parameterName.startsWith('arn:')) {
    validationError(scope, prop, 'a parameter name such as `/prod/api/db-password`, not an ARN', parameterName);
  }
  if (Token.isUnresolved(parameterName)) return;
  assertPattern(scope, prop, parameterName, /^(\/[A-Za-z0-9_.\-/]{1,2047}|[A-Za-z0-9_.-]{1,2048})$/,
    'an SSM parameter name: letters, digits and `_.-/`, at most 2048 characters, starting with `/` when it has a `/`');
  if (parameterName.length > 1 && parameterName.endsWith('/')) {
    validationError(scope, prop, 'an SSM parameter name that does not end with `/`', parameterName);
  }
  if (parameterName.includes('//')) {
    validationError(scope, prop, 'an SSM parameter name without empty levels (`//`)', parameterName);
  }
  if (/^\/?(aws|ssm)/i.test(parameterName)) {
    validationError(scope, prop, 'an SSM parameter name that does not begin with `aws` or `ssm` (reserved by AWS, in any case, ' +
      'with or without a leading `/`)', parameterName);
  }
  const levels = parameterName.split('/').filter((level) => level !== '').length;
  if (levels > MAX_LEVELS) {
    validationError(scope, prop, `an SSM parameter name of at most ${MAX_LEVELS} levels (it has ${levels})`, parameterName);
  }
}

/**
 * Whether a parameter name is a simple name (`db-password`) rather than a path (`/prod/db-password`), which
 * decides the form of its ARN. For a name with tokens: a path when its literal beginning is `/`, a simple name
 * when its literal beginning is text without `/`, else `simpleName` (a path when that is not given).
 */
export function isSimpleParameterName(parameterName: string, simpleName: boolean | undefined): boolean {
  if (!Token.isUnresolved(parameterName)) return !parameterName.startsWith('/');
  const fragments = Tokenization.reverseString(parameterName);
  const literalStart = fragments.firstToken === undefined && typeof fragments.firstValue === 'string' ? fragments.firstValue : '';
  if (literalStart.startsWith('/')) return false;
  if (literalStart !== '') return true;
  return simpleName ?? false;
}
