import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { assertPattern, validationError } from '../private/validate';

/** Properties for `ParameterSecrets`. */
export interface ParameterSecretsProps {
  /**
   * Environment variable name → name of an SSM Parameter Store `SecureString` parameter, for example
   * `{ DATABASE_PASSWORD: '/prod/api/db-password' }`. The parameters must exist before deployment.
   */
  readonly parameters: { [environmentVariable: string]: string };
}

/**
 * SSM Parameter Store `SecureString` parameters, referenced by name and injected into a container as
 * environment variables at task start (`secrets` of the container definition), so that their values never
 * appear in the template, the task definition or the console.
 *
 * When the secrets are given to a container, the task's execution role is granted read access to exactly these
 * parameters. Parameters encrypted with the default `aws/ssm` key need no further grant.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 * @example
 * const secrets = new ParameterSecrets(this, 'Secrets', {
 *   parameters: { DATABASE_PASSWORD: '/prod/api/db-password' },
 * });
 */
export class ParameterSecrets extends Construct {
  /** The secrets, keyed by environment variable name, for a container's `secrets`. */
  public readonly secrets: { [environmentVariable: string]: ecs.Secret };
  /** The imported parameters, keyed by environment variable name. */
  public readonly parameters: { [environmentVariable: string]: ssm.IStringParameter };

  constructor(scope: Construct, id: string, props: ParameterSecretsProps) {
    super(scope, id);
    this.secrets = {};
    this.parameters = {};
    for (const variable of Object.keys(props.parameters).sort()) {
      const parameterName = props.parameters[variable];
      assertPattern(this, 'parameters', variable, /^[A-Za-z_][A-Za-z0-9_]*$/,
        'keyed by environment variable names (letters, digits and `_`, not starting with a digit)');
      if (parameterName.startsWith('arn:')) {
        validationError(this, `parameters.${variable}`, 'a parameter name such as `/prod/api/db-password`, not an ARN', parameterName);
      }
      assertPattern(this, `parameters.${variable}`, parameterName, /^(\/[A-Za-z0-9_.\-/]{1,2047}|[A-Za-z0-9_.-]{1,2048})$/,
        'an SSM parameter name: letters, digits and `_.-/`, at most 2048 characters, starting with `/` when it has a `/`');
      const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(this, variable, { parameterName });
      this.parameters[variable] = parameter;
      this.secrets[variable] = ecs.Secret.fromSsmParameter(parameter);
    }
  }
}
