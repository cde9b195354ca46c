import { App, Stack } from 'aws-cdk-lib';
import { assertNoPlainSecrets } from '../../src/private/secret-names';
import { PlatformValidationError } from '../../src/private/validate';

describe('assertNoPlainSecrets', () => {
  let scope: Stack;
  beforeAll(() => {
    scope = new Stack(new App(), 'Scope');
  });

  test.each([
    'PASSWORD', 'DB_PASSWORD', 'DB_PASSWD', 'SECRET', 'CLIENT_SECRET', 'TOKEN', 'GITHUB_TOKEN', 'API_KEY', 'APIKEY',
    'STRIPE_API_KEY', 'ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'ACCESSKEY', 'PRIVATE_KEY', 'PRIVATEKEY', 'CREDENTIALS',
    'GOOGLE_APPLICATION_CREDENTIAL', 'db_password', 'apiKey',
  ])('fails when the plain environment variable %s looks like a secret', (name) => {
    expect(() => assertNoPlainSecrets(scope, { [name]: 'value' }, []))
      .toThrow(new RegExp(`^\\[Scope\\] \`environment\\.${name}\` looks like a secret, and plain environment variables are visible`));
  });

  test.each(['LOG_LEVEL', 'PORT', 'NODE_ENV', 'DATABASE_HOST', 'KEY_ID', 'PUBLIC_KEY_URL'])(
    'accepts the plain environment variable %s', (name) => {
      expect(() => assertNoPlainSecrets(scope, { [name]: 'value' }, [])).not.toThrow();
    });

  test('accepts an empty environment', () => {
    expect(() => assertNoPlainSecrets(scope, {}, [])).not.toThrow();
  });

  test('accepts a secret-looking name that is listed as allowed', () => {
    expect(() => assertNoPlainSecrets(scope, { TOKEN_ENDPOINT_URL: 'https://auth.example.com/token' }, ['TOKEN_ENDPOINT_URL'])).not.toThrow();
  });

  test('fails when only another name is listed as allowed', () => {
    expect(() => assertNoPlainSecrets(scope, { TOKEN_ENDPOINT_URL: 'x', DB_PASSWORD: 'y' }, ['TOKEN_ENDPOINT_URL']))
      .toThrow(/`environment\.DB_PASSWORD` looks like a secret/);
  });

  test('fails when the allowed name differs in case', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'x' }, ['db_password'])).toThrow(/`environment\.DB_PASSWORD` looks like a secret/);
  });

  test('tells how to pass the value as a secret or allow the name', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'x' }, [])).toThrow(
      '[Scope] `environment.DB_PASSWORD` looks like a secret, and plain environment variables are visible in the template and the console. ' +
      'Store the value as an SSM SecureString parameter and pass it in `secrets` instead ' +
      "(for example secrets: { DB_PASSWORD: '/prod/app/db_password' }), or, if it is not a secret, list it in `allowPlainEnvironment`.");
  });

  test('throws a PlatformValidationError', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'x' }, [])).toThrow(PlatformValidationError);
  });

  test('names the first offending variable in sorted order', () => {
    expect(() => assertNoPlainSecrets(scope, { ZZ_TOKEN: 'x', AA_SECRET: 'y' }, [])).toThrow(/`environment\.AA_SECRET`/);
  });

  test('never puts the value into the message', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'hunter2' }, [])).toThrow(/^(?!.*hunter2)/s);
  });
});
