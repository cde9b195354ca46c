import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { TaskSecret } from './task-secret';
import { assertPattern, validationError } from '../shared/validate';

/** Properties for `ParameterSecrets`. */
export interface ParameterSecretsProps {
  /**
   * Environment variable name → name of an SSM Parameter Store `SecureString` parameter, for example
   * `{ DATABASE_PASSWORD: '/prod/api/db-password' }`, encrypted with the AWS managed key `aws/ssm`. The
   * parameters must exist before deployment. The short form of `secrets` with `TaskSecret.fromParameter()`.
   *
   * @default - none
   */
  readonly parameters?: { [environmentVariable: string]: string };

  /**
   * Environment variable name → secret: SSM `SecureString` parameters with a customer-managed key
   * (`TaskSecret.fromParameter()`), or secrets of AWS Secrets Manager (`TaskSecret.fromSecretsManager()`).
   * A name may be in `parameters` or in `secrets`, not in both.
   *
   * @default - none
   */
  readonly secrets?: { [environmentVariable: string]: TaskSecret };
}

/**
 * Secrets injected into a container as environment variables at task start (`secrets` of the container
 * definition), so that their values never appear in the template, the task definition or the console: SSM
 * Parameter Store `SecureString` parameters, referenced by name, and secrets of AWS Secrets Manager.
 *
 * When the secrets are given to a container, the task's execution role is granted read access to exactly these
 * parameters and secrets, and `kms:Decrypt` on their customer-managed keys, if any, only through Parameter Store
 * or Secrets Manager (`kms:ViaService`). Parameters and secrets encrypted with the AWS managed keys need no
 * further grant. Creates no resources.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { ParameterSecrets } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * const secrets = new ParameterSecrets(stack, 'Secrets', {
 *   parameters: { DATABASE_PASSWORD: '/prod/api/db-password' },
 * });
 */
export class ParameterSecrets extends Construct {
  /** The secrets, keyed by environment variable name, for a container's `secrets`. */
  public readonly secrets: { [environmentVariable: string]: ecs.Secret };
  /** The imported SSM parameters (from `parameters` and `TaskSecret.fromParameter()`), keyed by environment variable name. */
  public readonly parameters: { [environmentVariable: string]: ssm.IStringParameter };

  constructor(scope: Construct, id: string, props: ParameterSecretsProps = {}) {
    super(scope, id);

    const entries: { [environmentVariable: string]: TaskSecret } = {};
    const byName = props.parameters ?? {};
    const taskSecrets = props.secrets ?? {};

    for (const variable of Object.keys(byName).sort()) {
      this.assertVariable('parameters', variable);
      TaskSecret._assertParameterName(this, `parameters.${variable}`, byName[variable]);
      entries[variable] = TaskSecret.fromParameter(byName[variable]);
    }
    for (const variable of Object.keys(taskSecrets).sort()) {
      this.assertVariable('secrets', variable);
      if (variable in byName) validationError(this, `secrets.${variable}`, 'a name that is not also in `parameters`', variable);
      taskSecrets[variable]._validate(this, `secrets.${variable}`);
      entries[variable] = taskSecrets[variable];
    }

    this.secrets = {};
    this.parameters = {};
    for (const variable of Object.keys(entries).sort()) {
      const bound = entries[variable]._bind(this, variable);
      this.secrets[variable] = bound.secret;
      if (bound.parameter) this.parameters[variable] = bound.parameter;
    }
  }

  private assertVariable(prop: string, variable: string): void {
    assertPattern(this, prop, variable, /^[A-Za-z_][A-Za-z0-9_]*$/,
      'keyed by environment variable names (letters, digits and `_`, not starting with a digit)');
  }
}
