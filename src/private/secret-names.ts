import { IConstruct } from 'constructs';
import { PlatformValidationError } from './validate';

/** Environment variable names that usually carry a secret. */
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/**
 * Refuses plain environment variables whose names look like secrets: their values would be readable in the
 * template, the task definition and the console. `allowed` lists names that are known false positives.
 */
export function assertNoPlainSecrets(scope: IConstruct, environment: Record<string, string>, allowed: readonly string[]): void {
  for (const name of Object.keys(environment).sort()) {
    if (SECRET_LOOKING.test(name) && !allowed.includes(name)) {
      throw new PlatformValidationError(scope,
        `\`environment.${name}\` looks like a secret, and plain environment variables are visible in the template and the console. ` +
        `Store the value as an SSM SecureString parameter and pass it in \`secrets\` instead (for example secrets: { ${name}: '/prod/app/${name.toLowerCase()}' }), ` +
        'or, if it is not a secret, list it in `allowPlainEnvironment`.');
    }
  }
}
