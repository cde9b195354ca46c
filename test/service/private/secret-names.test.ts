import { App, Stack } from 'aws-cdk-lib';
import { assertNoPlainSecrets, looksLikeSecret, looksLikeSecretName, secretValueKind } from '../../../src/service/private/secret-names';
import { PlatformValidationError } from '../../../src/shared/validate';

/** A regular expression that matches exactly `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const TEMPORARY_KEY_ID = 'ASIAIOSFODNN7EXAMPLE';
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow…\n-----END RSA PRIVATE KEY-----';

describe('assertNoPlainSecrets', () => {
  let scope: Stack;
  beforeAll(() => {
    scope = new Stack(new App(), 'Scope');
  });

  describe('names', () => {
    test.each([
      // the original list
      'PASSWORD', 'DB_PASSWORD', 'DB_PASSWD', 'SECRET', 'CLIENT_SECRET', 'TOKEN', 'GITHUB_TOKEN', 'API_KEY', 'APIKEY',
      'STRIPE_API_KEY', 'ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'ACCESSKEY', 'PRIVATE_KEY', 'PRIVATEKEY', 'CREDENTIALS',
      'GOOGLE_APPLICATION_CREDENTIAL', 'db_password', 'apiKey',
      // whole words
      'DB_PWD', 'SMTP_PASS', 'AUTH', 'BASIC_AUTH', 'REDIS_AUTH', 'AUTHORIZATION', 'DSN', 'SENTRY_DSN', 'DATABASE_DSN', 'AWS_CREDS',
      // fragments inside words and across words
      'DBPASSWORD', 'DBPassword', 'PASSPHRASE', 'SSH_PASSPHRASE', 'AWS_SECRET_ACCESS_KEY', 'NEXTAUTH_SECRET', 'SESSION_KEY',
      'SESSION_SIGNING_KEY', 'ENCRYPTION_KEY', 'MASTER_KEY', 'APP_KEY', 'CONNECTION_STRING', 'DB_CONNECTION_STRING',
      'dbConnectionString', 'DB_CONN_STR', 'CLIENT_SECRET_VALUE',
      // words ending in TOKEN
      'GITHUBTOKEN', 'accessToken', 'refresh_token', 'OAuth2Token', 'SLACK_BOT_TOKEN',
    ])('fails when the plain environment variable %s looks like a secret', (name) => {
      expect(() => assertNoPlainSecrets(scope, { [name]: 'value' }, []))
        .toThrow(new RegExp(`^\\[Scope\\] \`environment\\.${name}\` looks like a secret, and plain environment variables are visible`));
    });

    test.each([
      'LOG_LEVEL', 'PORT', 'NODE_ENV', 'DATABASE_HOST', 'KEY_ID', 'PUBLIC_KEY_URL',
      // descriptor as the last word: the value says where or how, not what
      'TOKEN_ENDPOINT_URL', 'AUTH_URL', 'PASSWORD_FILE', 'SECRET_ARN', 'SECRET_NAME', 'DB_PASSWORD_PARAMETER', 'TOKEN_TTL',
      'AUTH_ENABLED', 'PASSWORD_POLICY', 'JWT_SECRET_ALGORITHM', 'TOKEN_ISSUER',
      // secret words inside other words
      'BYPASS_CACHE', 'PASSPORT_STRATEGY', 'OAUTH_ISSUER', 'AUTHOR', 'TOKENIZER_MODEL', 'MAX_TOKENS', 'CACHE_KEY_PREFIX',
      'PARTITION_KEY', 'KMS_KEY_ARN',
      // no words at all
      '_', '__',
    ])('accepts the plain environment variable %s', (name) => {
      // a switch's value must look like one (see the DB_PASSWORD_ENABLED test)
      const value = name.endsWith('_ENABLED') ? 'true' : 'value';
      expect(() => assertNoPlainSecrets(scope, { [name]: value }, [])).not.toThrow();
    });

    test('tells how to pass the value as a secret or allow the name', () => {
      expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'x' }, [])).toThrow(exactly(
        '[Scope] `environment.DB_PASSWORD` looks like a secret, and plain environment variables are visible in the template and the console: ' +
        "pass it in `secrets` instead (an SSM SecureString parameter, for example `secrets: { DB_PASSWORD: '/prod/app/db-password' }`), " +
        'or, if it is not a secret, list it in `allowPlainEnvironment`.'));
    });

    test('suggests a parameter name from the words of a camel-case name', () => {
      expect(() => assertNoPlainSecrets(scope, { dbPassword: 'x' }, []))
        .toThrow("for example `secrets: { dbPassword: '/prod/app/db-password' }`");
    });

    test('accepts a secret-looking name that is listed as allowed', () => {
      expect(() => assertNoPlainSecrets(scope, { CSRF_TOKEN_HEADER: 'X-CSRF-Token' }, ['CSRF_TOKEN_HEADER'])).not.toThrow();
    });

    test('fails when only another name is listed as allowed', () => {
      expect(() => assertNoPlainSecrets(scope, { CSRF_TOKEN_HEADER: 'x', DB_PASSWORD: 'y' }, ['CSRF_TOKEN_HEADER']))
        .toThrow(/`environment\.DB_PASSWORD` looks like a secret/);
    });

    test('fails when the allowed name differs in case', () => {
      expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'x' }, ['db_password'])).toThrow(/`environment\.DB_PASSWORD` looks like a secret/);
    });

    test('names the first offending variable in sorted order', () => {
      expect(() => assertNoPlainSecrets(scope, { ZZ_TOKEN: 'x', AA_SECRET: 'y' }, [])).toThrow(/`environment\.AA_SECRET`/);
    });
  });

  describe('values', () => {
    test.each([
      ['an access key ID', AWS_KEY_ID],
      ['a temporary access key ID', TEMPORARY_KEY_ID],
      ['an access key ID inside a longer value', `id=${AWS_KEY_ID};region=us-east-1`],
    ])('fails when a value is %s, whatever the name', (_, value) => {
      expect(() => assertNoPlainSecrets(scope, { SETTINGS: value }, [])).toThrow(exactly(
        '[Scope] `environment.SETTINGS` must not contain an AWS access key ID, got: a value with one in it (`AKIA…` or `ASIA…`, not shown). ' +
        'Give the task role the permissions the application needs instead: ECS delivers and rotates its credentials. ' +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.'));
    });

    test.each([
      ['PKCS#8', '-----BEGIN PRIVATE KEY-----\nMIIE…'],
      ['RSA', PRIVATE_KEY],
      ['EC', '-----BEGIN EC PRIVATE KEY-----'],
      ['OpenSSH', '-----BEGIN OPENSSH PRIVATE KEY-----'],
      ['encrypted PKCS#8', '-----BEGIN ENCRYPTED PRIVATE KEY-----'],
      ['PGP', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
    ])('fails when a value is a %s private key, whatever the name', (_, value) => {
      expect(() => assertNoPlainSecrets(scope, { TLS_KEY_PEM: value }, [])).toThrow(exactly(
        '[Scope] `environment.TLS_KEY_PEM` must not contain a private key, got: a PEM private key block (`-----BEGIN … PRIVATE KEY-----`, not shown). ' +
        "Pass it in `secrets` instead (an SSM SecureString parameter, for example `secrets: { TLS_KEY_PEM: '/prod/app/tls-key-pem' }`). " +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.'));
    });

    test.each([
      'postgres://app:hunter2@db.internal:5432/app',
      'redis://:hunter2@cache.internal:6379',
      'https://user:pa%40ss@example.com/',
      'mongodb+srv://app:hunter2@cluster0.example.net/?retryWrites=true',
    ])('fails when a value is a URL with a password: %s', (value) => {
      expect(() => assertNoPlainSecrets(scope, { DATABASE_URL: value }, [])).toThrow(exactly(
        '[Scope] `environment.DATABASE_URL` must not contain a URL with a password, got: a URL with `user:password@` in it (not shown). ' +
        "Pass the whole URL in `secrets` instead (an SSM SecureString parameter, for example `secrets: { DATABASE_URL: '/prod/app/database-url' }`), " +
        'or pass only the password in `secrets` and build the URL in the application. ' +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.'));
    });

    test.each([
      ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIC…'],
      ['a public key', '-----BEGIN PUBLIC KEY-----\nMIIB…'],
      ['a URL with a user but no password', 'postgres://app@db.internal:5432/app'],
      ['a URL with a port', 'https://example.com:8443/path'],
      ['a URL with @ in its path', 'https://example.com/users/@me'],
      ['a word that starts with AKIA', 'AKIAB'],
      ['an access key ID in lower case', AWS_KEY_ID.toLowerCase()],
      ['an IAM role unique ID', 'AROAIOSFODNN7EXAMPLE'],
      ['an empty value', ''],
    ])('accepts %s as a value', (_, value) => {
      expect(() => assertNoPlainSecrets(scope, { SETTING: value }, [])).not.toThrow();
    });

    test('suggests a generic parameter name for a name without words', () => {
      expect(() => assertNoPlainSecrets(scope, { _: '-----BEGIN PRIVATE KEY-----' }, []))
        .toThrow("for example `secrets: { _: '/prod/app/value' }`");
    });

    test('accepts a variable without a value', () => {
      expect(() => assertNoPlainSecrets(scope, { LOG_LEVEL: undefined as unknown as string }, [])).not.toThrow();
    });

    test('refuses a credential value even under a name in allowPlainEnvironment', () => {
      expect(() => assertNoPlainSecrets(scope, { TOKEN_ENDPOINT_URL: 'https://client:s3cret@auth.example.com/token' }, ['TOKEN_ENDPOINT_URL']))
        .toThrow(/^\[Scope\] `environment\.TOKEN_ENDPOINT_URL` must not contain a URL with a password, /);
    });

    test('reports the value of a secret-looking name before its name', () => {
      expect(() => assertNoPlainSecrets(scope, { AWS_ACCESS_KEY_ID: AWS_KEY_ID }, []))
        .toThrow(/`environment\.AWS_ACCESS_KEY_ID` must not contain an AWS access key ID/);
    });
  });

  test('accepts an empty environment', () => {
    expect(() => assertNoPlainSecrets(scope, {}, [])).not.toThrow();
  });

  test('throws a PlatformValidationError', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD: 'x' }, [])).toThrow(PlatformValidationError);
  });

  test.each([
    ['a secret-looking name', { DB_PASSWORD: 'hunter2' }, 'hunter2'],
    ['an access key ID', { SETTINGS: AWS_KEY_ID }, AWS_KEY_ID],
    ['a private key', { TLS_KEY_PEM: PRIVATE_KEY }, 'MIIEow'],
    ['a URL with a password', { DATABASE_URL: 'postgres://app:hunter2@db/app' }, 'hunter2'],
  ])('never puts the value into the message for %s', (_, environment, secret) => {
    expect(() => assertNoPlainSecrets(scope, environment, [])).toThrow(new RegExp(`^(?!.*${secret}).*$`, 's'));
  });
});

describe('looksLikeSecretName', () => {
  test('splits camel case and acronyms into words', () => {
    expect(looksLikeSecretName('DBPasswordFile')).toBe(false);
    expect(looksLikeSecretName('DBPassword')).toBe(true);
  });

  test('treats PWD alone as the working directory, not a password', () => {
    expect(looksLikeSecretName('PWD')).toBe(false);
    expect(looksLikeSecretName('DB_PWD')).toBe(true);
  });
});

describe('secretValueKind', () => {
  test.each([
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key ID'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'a PEM private key'],
    ['postgres://app:hunter2@db.internal/app', 'a URL with a password'],
  ])('names the secret in %j', (value, kind) => {
    expect(secretValueKind(value)).toBe(kind);
  });

  test.each(['kinesis_firehose', 'https://logs.example.com/ingest', '-----BEGIN CERTIFICATE-----', 'On'])('finds none in %j', (value) => {
    expect(secretValueKind(value)).toBeUndefined();
  });
});

describe('bad input, round two: secrets that got through', () => {
  const scope = new Stack(new App(), 'Scope');

  test('fails when a name is the short word PW (DB_PW)', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PW: 'x' }, []))
      .toThrow(/^\[Scope\] `environment\.DB_PW` looks like a secret, and plain environment variables are visible/);
  });

  test.each([
    ['STRIPE_KEY', 'sk_live_51HxAbCdEfGhIjKlMn'],
    ['PAYMENTS', 'rk_test_51HxAbCdEfGhIjKlMn'],
    ['GH', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['SLACK', 'xoxb-1234567890-abcdefghij'],
  ])('fails when %s holds a provider\'s API key, whatever its name', (name, value) => {
    expect(() => assertNoPlainSecrets(scope, { [name]: value }, [name])).toThrow(exactly(
      `[Scope] \`environment.${name}\` must not contain an API key, got: a value with a provider's key in it (such as \`sk_live_…\`, `
      + `not shown). Pass it in \`secrets\` instead (an SSM SecureString parameter, for example \`secrets: { ${name}: `
      + `'/prod/app/${name.toLowerCase().replace(/_/g, '-')}' }\`). Values are checked whatever the name, even names in \`allowPlainEnvironment\`.`));
  });

  test('fails when a switch-looking secret name holds no switch value (DB_PASSWORD_ENABLED=hunter2)', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD_ENABLED: 'hunter2' }, []))
      .toThrow(/^\[Scope\] `environment\.DB_PASSWORD_ENABLED` looks like a secret/);
  });

  test.each(['true', 'FALSE', 'on', '0', '1', 'yes', ''])('accepts DB_PASSWORD_ENABLED=%j', (value) => {
    expect(() => assertNoPlainSecrets(scope, { DB_PASSWORD_ENABLED: value }, [])).not.toThrow();
  });

  test('names the sidecar in the prop path', () => {
    expect(() => assertNoPlainSecrets(scope, { DB_PW: 'x' }, [], 'sidecars[0].'))
      .toThrow(/^\[Scope\] `sidecars\[0\]\.environment\.DB_PW` looks like a secret/);
  });

  test('finds a provider key as a secret value kind', () => {
    expect(secretValueKind('sk_live_51HxAbCdEfGhIjKlMn')).toBe('a provider\'s API key');
    expect(looksLikeSecret('DB_PASSWORD_ENABLED', 'true')).toBe(false);
    expect(looksLikeSecret('DB_PASSWORD_ENABLED', 'hunter2')).toBe(true);
  });
});
