import { Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { assertSsmParameterName, isSimpleParameterName } from './private/parameter-name';
import { assertPattern, validationError } from '../shared/validate';

/** Options for `TaskSecret.fromParameter()`. */
export interface ParameterTaskSecretOptions {
  /**
   * The customer-managed KMS key the `SecureString` parameter is encrypted with. The execution role is allowed
   * `kms:Decrypt` on this key only, and only through Parameter Store (`kms:ViaService` condition). The key
   * policy must delegate to IAM (the default key policy does).
   *
   * @default - the parameter is encrypted with the AWS managed key of Parameter Store (`aws/ssm`), which needs no grant
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Whether the parameter's name is a simple name (`db-password`) rather than a path (`/prod/db-password`), for a
   * name with tokens whose form cannot be read at synth. It decides the form of the parameter's ARN, which the
   * execution role is allowed to read.
   *
   * A literal name needs none: one that starts with `/` is a path, any other a simple name (a contradicting
   * `simpleName` is an error). A name with tokens is a path when its literal beginning is `/` (as in
   * `` `/prod/${stage}/db-password` ``), a simple name when it begins with other literal text.
   *
   * @default - from the name; a name that begins with a token is a path
   */
  readonly simpleName?: boolean;
}

/** Options for `TaskSecret.fromSecretsManager()`. */
export interface SecretsManagerTaskSecretOptions {
  /**
   * The key of one field of a secret that holds a JSON object, for example `password`.
   *
   * @default - the whole secret value
   */
  readonly field?: string;

  /**
   * The staging label of the secret version to read, for example `AWSPREVIOUS`. Give at most one of
   * `versionStage` and `versionId`.
   *
   * @default - the current version (`AWSCURRENT`), unless `versionId` is given
   */
  readonly versionStage?: string;

  /**
   * The ID of the secret version to read (32 to 64 letters, digits and `-`). Give at most one of `versionStage`
   * and `versionId`.
   *
   * @default - the current version (`AWSCURRENT`), unless `versionStage` is given
   */
  readonly versionId?: string;

  /**
   * The customer-managed KMS key the secret is encrypted with, when `secret` does not carry it (a secret imported
   * by name or ARN). The execution role is allowed `kms:Decrypt` on this key only, and only through Secrets
   * Manager (`kms:ViaService` condition). A key carried by `secret` is granted the same way. The key policy must
   * delegate to IAM (the default key policy does).
   *
   * @default - the key of `secret`, if any; else the AWS managed key of Secrets Manager (`aws/secretsmanager`), which needs no grant
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A secret injected into a container as an environment variable when the task starts (the `secrets` of the
 * container definition), so that its value never appears in the template, the task definition or the console:
 * an SSM Parameter Store `SecureString` parameter, or a secret of AWS Secrets Manager, whole or one JSON field.
 *
 * When the secret is given to a container, the task's execution role may read exactly that parameter or secret,
 * and decrypt with its customer-managed KMS key, if it has one, only through that service.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 * import { ParameterSecrets, TaskSecret } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * const database = secretsmanager.Secret.fromSecretNameV2(stack, 'Database', 'prod/api/database');
 * const secrets = new ParameterSecrets(stack, 'Secrets', {
 *   secrets: {
 *     API_KEY: TaskSecret.fromParameter('/prod/api/key'),
 *     DATABASE_PASSWORD: TaskSecret.fromSecretsManager(database, { field: 'password' }),
 *   },
 * });
 */
export abstract class TaskSecret {
  /**
   * An SSM Parameter Store `SecureString` parameter, by name.
   *
   * @param parameterName the name of the parameter, for example `/prod/api/db-password` (not its ARN), which
   *   must exist before deployment
   */
  public static fromParameter(parameterName: string, options: ParameterTaskSecretOptions = {}): TaskSecret {
    return new ParameterTaskSecret(parameterName, options);
  }

  /**
   * A secret of AWS Secrets Manager: the whole value, or one field of a JSON value, of its current or a given
   * version. Import an existing secret with `secretsmanager.Secret.fromSecretNameV2()` or
   * `secretsmanager.Secret.fromSecretCompleteArn()`.
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, options: SecretsManagerTaskSecretOptions = {}): TaskSecret {
    return new SecretsManagerTaskSecret(secret, options);
  }

  /**
   * Validates an SSM parameter name given for `prop`.
   *
   * @internal
   */
  public static _assertParameterName(scope: IConstruct, prop: string, parameterName: string): void {
    assertSsmParameterName(scope, prop, parameterName);
  }

  /**
   * Validates the secret's settings, reporting errors on `scope` under the name `prop`.
   *
   * @internal
   */
  public abstract _validate(scope: IConstruct, prop: string): void;

  /**
   * Builds the container secret (importing what it needs under `scope` with the id `id`).
   *
   * @internal
   */
  public abstract _bind(scope: Construct, id: string): { readonly secret: ecs.Secret; readonly parameter?: ssm.IStringParameter };
}

class ParameterTaskSecret extends TaskSecret {
  constructor(private readonly parameterName: string, private readonly options: ParameterTaskSecretOptions) {
    super();
  }

  public _validate(scope: IConstruct, prop: string): void {
    TaskSecret._assertParameterName(scope, prop, this.parameterName);
    const simpleName = this.options.simpleName;
    if (simpleName !== undefined && !Token.isUnresolved(this.parameterName) && simpleName !== isSimpleParameterName(this.parameterName, undefined)) {
      validationError(scope, `${prop}.simpleName`, `${!simpleName} or unset for the ${simpleName ? 'path' : 'simple name'} "${this.parameterName}"`, simpleName);
    }
  }

  public _bind(scope: Construct, id: string) {
    // imported without its key: the parameter's own grant would allow kms:Decrypt through any service
    const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(scope, id, {
      parameterName: this.parameterName,
      simpleName: isSimpleParameterName(this.parameterName, this.options.simpleName),
    });
    const key = this.options.encryptionKey;
    const secret = key
      ? new DecryptingSecret(ecs.Secret.fromSsmParameter(parameter), key, 'ssm', scope)
      : ecs.Secret.fromSsmParameter(parameter);
    return { secret, parameter };
  }
}

class SecretsManagerTaskSecret extends TaskSecret {
  constructor(private readonly secret: secretsmanager.ISecret, private readonly options: SecretsManagerTaskSecretOptions) {
    super();
  }

  public _validate(scope: IConstruct, prop: string): void {
    const { field, versionStage, versionId } = this.options;
    assertPattern(scope, `${prop}.field`, field, /^[^:]{1,256}$/, 'a JSON key of 1 to 256 characters without `:`');
    assertPattern(scope, `${prop}.versionStage`, versionStage, /^[^:]{1,256}$/, 'a staging label of 1 to 256 characters without `:`');
    assertPattern(scope, `${prop}.versionId`, versionId, /^[A-Za-z0-9-]{32,64}$/, 'a version ID of 32 to 64 letters, digits and `-`');
    if (versionStage !== undefined && versionId !== undefined) {
      validationError(scope, `${prop}.versionId`, 'unset when `versionStage` is set (a version is named by one of them)', versionId);
    }
  }

  public _bind(_scope: Construct, _id: string) {
    const { field, versionStage, versionId, encryptionKey } = this.options;
    const inner = versionStage !== undefined || versionId !== undefined
      ? ecs.Secret.fromSecretsManagerVersion(this.secret, { versionStage, versionId }, field)
      : ecs.Secret.fromSecretsManager(this.secret, field);
    const key = encryptionKey ?? this.secret.encryptionKey;
    return { secret: key ? new DecryptingSecret(inner, key, 'secretsmanager', this.secret) : inner };
  }
}

/**
 * A container secret whose read grant also allows `kms:Decrypt` on its customer-managed key, only through the
 * service that holds the secret. Added to the grantee's own policy: CDK's key grants to a `ViaServicePrincipal`
 * go to the key policy, which an imported key silently drops.
 */
class DecryptingSecret extends ecs.Secret {
  public readonly arn: string;
  public readonly hasField?: boolean;

  constructor(private readonly inner: ecs.Secret, private readonly key: kms.IKey, private readonly service: string,
    private readonly scope: IConstruct) {
    super();
    this.arn = inner.arn;
    this.hasField = inner.hasField;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const read = this.inner.grantRead(grantee);
    const decrypt = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `${this.service}.${Stack.of(this.scope).region}.amazonaws.com` } },
    });
    return read.combine(decrypt);
  }
}
