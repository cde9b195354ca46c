import { IConstruct } from 'constructs';
import { PlatformValidationError } from '../../shared/validate';

/**
 * Fragments that mark a secret wherever they occur in the name once its words are joined: `DB_PASSWORD`,
 * `DBPASSWORD` and `dbPassword` all contain `PASSWORD`; `API_KEY`, `APIKEY` and `apiKey` all contain `APIKEY`.
 * They are long and specific enough not to occur by accident inside other words.
 */
const SECRET_FRAGMENTS = [
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'CREDENTIAL',
  'APIKEY', 'ACCESSKEY', 'PRIVATEKEY', 'SESSIONKEY', 'SIGNINGKEY', 'ENCRYPTIONKEY', 'MASTERKEY', 'APPKEY',
  'CONNECTIONSTRING', 'CONNSTR',
];

/**
 * Short markers that are secrets only as a whole word: `DB_PWD`, `DB_PW`, `SMTP_PASS`, `REDIS_AUTH`, `SENTRY_DSN`, but
 * not `BYPASS`, `PASSPORT`, `OAUTH_ISSUER` or `AUTHOR`.
 */
const SECRET_WORDS = new Set(['PWD', 'PW', 'PASS', 'AUTH', 'AUTHORIZATION', 'DSN', 'CREDS']);

/**
 * Last words that say the value describes a secret rather than holding it: where it is (`TOKEN_ENDPOINT_URL`,
 * `PASSWORD_FILE`, `SECRET_ARN`, `DB_PASSWORD_PARAMETER`) or how it behaves (`TOKEN_TTL`, `AUTH_ENABLED`).
 */
const DESCRIPTOR_WORDS = new Set([
  'URL', 'URI', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'PATH', 'FILE', 'DIR', 'ARN', 'NAME', 'PARAMETER', 'REGION',
  'TTL', 'TIMEOUT', 'EXPIRY', 'LIFETIME', 'LENGTH', 'SIZE', 'COUNT', 'LIMIT', 'ENABLED', 'DISABLED', 'REQUIRED',
  'TYPE', 'MODE', 'ALGORITHM', 'ISSUER', 'AUDIENCE', 'DOMAIN', 'PROVIDER', 'VERSION', 'FORMAT', 'POLICY',
]);

/** An AWS access key ID of an IAM user (`AKIA`) or of temporary credentials (`ASIA`): 20 upper-case characters. */
const AWS_ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/;
/** A PEM private key block: `-----BEGIN PRIVATE KEY-----`, `… RSA PRIVATE KEY-----`, `… PGP PRIVATE KEY BLOCK-----`. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** A URL with a password in its user info: `postgres://app:hunter2@db.internal/app`, `redis://:hunter2@cache`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i;
/**
 * An API key or token of a well-known provider, by its documented prefix: Stripe secret and restricted keys
 * (`sk_live_…`, `rk_test_…`), GitHub tokens (`ghp_…`, `github_pat_…`) and Slack tokens (`xoxb-…`).
 */
const PROVIDER_KEY = /(?<![A-Za-z0-9])(?:[sr]k_(?:live|test)_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{8,})/;
/** Last words that say the value is a switch (`AUTH_ENABLED=true`): then the value must look like one. */
const SWITCH_DESCRIPTORS = new Set(['ENABLED', 'DISABLED', 'REQUIRED']);
/** Values of a switch. */
const SWITCH_VALUE = /^(|on|off|true|false|yes|no|0|1|enabled|disabled)$/i;

/**
 * What kind of secret `value` holds, for a message, when it holds one whatever the name it is given under: an AWS
 * access key ID, a PEM private key or a URL with a password (see `assertNoPlainSecrets`).
 */
export function secretValueKind(value: string): string | undefined {
  if (AWS_ACCESS_KEY_ID.test(value)) return 'an AWS access key ID';
  if (PEM_PRIVATE_KEY.test(value)) return 'a PEM private key';
  if (URL_WITH_PASSWORD.test(value)) return 'a URL with a password';
  if (PROVIDER_KEY.test(value)) return 'a provider\'s API key';
  return undefined;
}

/** The upper-case words of an environment variable name: `dbPassword` and `DB_PASSWORD` both give `DB`, `PASSWORD`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * Whether an environment variable name looks like it holds a secret.
 *
 * A name is secret-looking when its joined words contain one of `SECRET_FRAGMENTS`, when one of its words is in
 * `SECRET_WORDS`, or when one of its words ends in `TOKEN` (`GITHUB_TOKEN`, `accessToken`; not `TOKENIZER` or
 * `MAX_TOKENS`), unless its last word is one of `DESCRIPTOR_WORDS`. `PWD` alone is the POSIX working directory.
 */
export function looksLikeSecretName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0 || name === 'PWD') return false;
  if (DESCRIPTOR_WORDS.has(parts[parts.length - 1])) return false;
  return hasSecretWords(parts);
}

/**
 * Whether an environment variable looks like it holds a secret, by its name and value: a secret-looking name
 * (see `looksLikeSecretName`), or one that would be secret-looking but for a last word that makes it a switch
 * (`DB_PASSWORD_ENABLED`, `AUTH_REQUIRED`) while its value is no switch value (`true`, `off`, `1`, …).
 */
export function looksLikeSecret(name: string, value: string): boolean {
  if (looksLikeSecretName(name)) return true;
  const parts = words(name);
  if (parts.length < 2 || !SWITCH_DESCRIPTORS.has(parts[parts.length - 1])) return false;
  return hasSecretWords(parts.slice(0, -1)) && !SWITCH_VALUE.test(value.trim());
}

function hasSecretWords(parts: string[]): boolean {
  const joined = parts.join('');
  return SECRET_FRAGMENTS.some((fragment) => joined.includes(fragment))
    || parts.some((word) => SECRET_WORDS.has(word) || word.endsWith('TOKEN'));
}

/** A parameter name to suggest for `name`: `DB_PASSWORD` → `/prod/app/db-password`. */
function suggestedParameter(name: string): string {
  return `/prod/app/${words(name).join('-').toLowerCase() || 'value'}`;
}

/** How to pass `name` as a secret instead, for the end of a message. */
function asSecret(name: string): string {
  return `(an SSM SecureString parameter, for example \`secrets: { ${name}: '${suggestedParameter(name)}' }\`)`;
}

/**
 * Refuses plain environment variables that carry a secret, whose values would be readable in the template, the
 * task definition and the console:
 *
 * - any variable whose value looks like an AWS access key ID (`AKIA…`, `ASIA…`), a PEM private key
 *   (`-----BEGIN … PRIVATE KEY-----`; certificates and public keys are fine), a URL with a password
 *   (`scheme://user:password@host`) or a provider's API key (`sk_live_…`, `ghp_…`, `xoxb-…`), whatever its name
 *   and even when it is in `allowed`;
 * - any variable that looks like a secret by its name and value (see `looksLikeSecret`), unless it is in `allowed`
 *   (exact, case-sensitive names of known false positives).
 *
 * `prefix` goes before `environment` in the prop of a message: `sidecars[0].` for a sidecar.
 *
 * Variables are checked in name order; the first offending one is reported, and values never appear in messages.
 */
export function assertNoPlainSecrets(scope: IConstruct, environment: Record<string, string>, allowed: readonly string[],
  prefix: string = ''): void {
  for (const name of Object.keys(environment).sort()) {
    const value = environment[name] ?? '';
    const prop = `${prefix}environment.${name}`;
    if (AWS_ACCESS_KEY_ID.test(value)) {
      throw new PlatformValidationError(scope,
        `\`${prop}\` must not contain an AWS access key ID, got: a value with one in it (\`AKIA…\` or \`ASIA…\`, not shown). ` +
        'Give the task role the permissions the application needs instead: ECS delivers and rotates its credentials. ' +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.');
    }
    if (PEM_PRIVATE_KEY.test(value)) {
      throw new PlatformValidationError(scope,
        `\`${prop}\` must not contain a private key, got: a PEM private key block (\`-----BEGIN … PRIVATE KEY-----\`, not shown). ` +
        `Pass it in \`secrets\` instead ${asSecret(name)}. ` +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.');
    }
    if (URL_WITH_PASSWORD.test(value)) {
      throw new PlatformValidationError(scope,
        `\`${prop}\` must not contain a URL with a password, got: a URL with \`user:password@\` in it (not shown). ` +
        `Pass the whole URL in \`secrets\` instead ${asSecret(name)}, or pass only the password in \`secrets\` and build the URL in the application. ` +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.');
    }
    if (PROVIDER_KEY.test(value)) {
      throw new PlatformValidationError(scope,
        `\`${prop}\` must not contain an API key, got: a value with a provider's key in it (such as \`sk_live_…\`, not shown). ` +
        `Pass it in \`secrets\` instead ${asSecret(name)}. ` +
        'Values are checked whatever the name, even names in `allowPlainEnvironment`.');
    }
    if (looksLikeSecret(name, value) && !allowed.includes(name)) {
      throw new PlatformValidationError(scope,
        `\`${prop}\` looks like a secret, and plain environment variables are visible in the template and the console: ` +
        `pass it in \`secrets\` instead ${asSecret(name)}, or, if it is not a secret, list it in \`allowPlainEnvironment\`.`);
    }
  }
}
