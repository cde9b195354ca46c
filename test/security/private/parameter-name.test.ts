import { App, Aws, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsPlatformStack, ParameterSecrets, TaskSecret } from '../../../src';
import { testStack } from '../../util';

/** The ARN the execution role may read, as the stack renders it. */
function secretArn(stack: Stack, secrets: ParameterSecrets, variable: string): string {
  return JSON.stringify(stack.resolve(secrets.secrets[variable].arn));
}

describe('parameter names SSM refuses', () => {
  test.each([
    ['/trailing/', 'an SSM parameter name that does not end with `/`'],
    ['//prod//db', 'an SSM parameter name without empty levels (`//`)'],
    ['/prod//db', 'an SSM parameter name without empty levels (`//`)'],
    ['aws-db-password', 'an SSM parameter name that does not begin with `aws` or `ssm`'],
    ['/AWS/prod/db', 'an SSM parameter name that does not begin with `aws` or `ssm`'],
    ['ssm.db', 'an SSM parameter name that does not begin with `aws` or `ssm`'],
    ['/Ssm/db', 'an SSM parameter name that does not begin with `aws` or `ssm`'],
    ['/awsome/db', 'an SSM parameter name that does not begin with `aws` or `ssm`'],
    [`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'an SSM parameter name of at most 15 levels (it has 16)'],
  ])('%s fails in `parameters` and in `TaskSecret.fromParameter()`', (name, allowed) => {
    const stack = testStack();
    expect(() => new ParameterSecrets(stack, 'A', { parameters: { DB: name } }))
      .toThrow(`[TestStack/A] \`parameters.DB\` must be ${allowed}`);
    expect(() => new ParameterSecrets(stack, 'B', { secrets: { DB: TaskSecret.fromParameter(name) } }))
      .toThrow(`[TestStack/B] \`secrets.DB\` must be ${allowed}`);
  });

  test('a workload\'s `secrets` are checked before anything is built', () => {
    const stack = new EcsPlatformStack(new App(), 'EcsPlatform', { monitoring: false, amiUpdateAlerts: false });
    expect(() => stack.addQueueWorker('Worker', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      secrets: { DB: '/prod/db/' },
    })).toThrow(/must be an SSM parameter name that does not end with `\/`/);
  });

  test.each(['/prod/db', 'db-password', '/prod/aws/db', `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`])(
    '%s is accepted', (name) => {
      expect(() => new ParameterSecrets(testStack(), 'A', { parameters: { DB: name } })).not.toThrow();
    });
});

describe('parameter names with tokens', () => {
  test('are accepted; a literal `/` beginning makes a path', () => {
    const stack = testStack();
    const secrets = new ParameterSecrets(stack, 'A', { secrets: { DB: TaskSecret.fromParameter(`/prod/${Aws.STACK_NAME}/db`) } });
    expect(secretArn(stack, secrets, 'DB')).toContain(':parameter/prod/');
  });

  test('a literal beginning without `/` makes a simple name', () => {
    const stack = testStack();
    const secrets = new ParameterSecrets(stack, 'A', { parameters: { DB: `db-${Aws.STACK_NAME}` } });
    expect(secretArn(stack, secrets, 'DB')).toContain(':parameter/db-');
  });

  test('a name that begins with a token is a path unless `simpleName` says otherwise', () => {
    const stack = testStack();
    const name = Token.asString({ Ref: 'DbParameterName' });
    const secrets = new ParameterSecrets(stack, 'A', {
      secrets: { PATH: TaskSecret.fromParameter(name), SIMPLE: TaskSecret.fromParameter(name, { simpleName: true }) },
    });
    // a path already starts with `/`; a simple name gets one between `parameter` and the name
    expect(secretArn(stack, secrets, 'PATH')).toContain(':parameter"');
    expect(secretArn(stack, secrets, 'SIMPLE')).toContain(':parameter/"');
  });

  test('`simpleName` that contradicts a literal name fails', () => {
    expect(() => new ParameterSecrets(testStack(), 'A', { secrets: { DB: TaskSecret.fromParameter('/prod/db', { simpleName: true }) } }))
      .toThrow('[TestStack/A] `secrets.DB.simpleName` must be false or unset for the path "/prod/db", got: true');
    expect(() => new ParameterSecrets(testStack(), 'B', { secrets: { DB: TaskSecret.fromParameter('db', { simpleName: false }) } }))
      .toThrow('`secrets.DB.simpleName` must be true or unset for the simple name "db", got: false');
  });
});
