import { ArnFormat, Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { assertPattern } from '../shared/validate';

/** The tag that names the workload on both roles, and so on every CloudTrail event they make. */
const WORKLOAD_TAG = 'cdk-ecs-platform:workload';

/** Properties for `TaskRoles`. */
export interface TaskRolesProps {
  /**
   * The name of the workload that owns the roles (1 to 256 letters, digits, spaces and `_.:/=+-@`, as an IAM tag
   * value allows). It is written into the roles' descriptions and into a `cdk-ecs-platform:workload` tag, so that
   * CloudTrail events and IAM listings name the service that made them.
   */
  readonly workloadName: string;

  /**
   * A permissions boundary for both roles: whatever is granted to them, they can never do more than it allows.
   * Use it where the account requires boundaries on roles that deployments create.
   *
   * @default - no permissions boundary
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/**
 * The two IAM roles of one ECS task definition: a task role for the application and an execution role for the
 * ECS agent. Neither is shared with any other task definition.
 *
 * Both roles start with no permissions. The execution role receives exactly what the task needs as the task
 * definition is built (pulling its image, reading its secrets, writing to its log group); the application's
 * permissions go to the task role, with the usual `grant*()` methods of the resources it uses: pass either
 * `roles.taskRole` or `roles` itself, which grants to the task role (`bucket.grantRead(roles)`).
 *
 * Only ECS tasks of this account and region may assume the roles (`aws:SourceAccount` and `aws:SourceArn`
 * conditions against the confused-deputy problem). Role names are generated, so that a change that replaces a
 * role never collides with the old name; the workload is named by the descriptions and the
 * `cdk-ecs-platform:workload` tag instead. The roles keep IAM's maximum session duration of one hour: ECS
 * delivers and rotates task credentials itself.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as s3 from 'aws-cdk-lib/aws-s3';
 * import { TaskRoles } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const bucket: s3.IBucket;
 * const roles = new TaskRoles(stack, 'Roles', { workloadName: 'api' });
 * bucket.grantRead(roles); // granted to roles.taskRole
 */
export class TaskRoles extends Construct implements iam.IGrantable {
  /** The role that the application's containers get credentials for. */
  public readonly taskRole: iam.Role;
  /** The role that the ECS agent uses to start the task: image pull, secrets, logs. */
  public readonly executionRole: iam.Role;
  /** The task role's principal: grants to `TaskRoles` go to the task role, never to the execution role. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);

    assertPattern(this, 'workloadName', props.workloadName, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u,
      '1 to 256 letters, digits, spaces and `_.:/=+-@` (it is an IAM tag value)');

    this.taskRole = this.newRole('TaskRole', `Task role of ${props.workloadName}: what its containers may call`, props);
    this.executionRole = this.newRole('ExecutionRole', `Execution role of ${props.workloadName}: image pull, its secrets, its logs`, props);
    this.grantPrincipal = this.taskRole.grantPrincipal;
    Tags.of(this).add(WORKLOAD_TAG, props.workloadName);
  }

  private newRole(id: string, description: string, props: TaskRolesProps): iam.Role {
    return new iam.Role(this, id, {
      description,
      permissionsBoundary: props.permissionsBoundary,
      assumedBy: ecsTasksPrincipal(Stack.of(this)),
    });
  }
}

/** The trusted principal of every task and execution role of a stack, built once per stack. */
const ECS_TASKS_PRINCIPALS = new WeakMap<Stack, iam.IPrincipal>();

/** `ecs-tasks.amazonaws.com`, only for ECS of the stack's own account and region (confused-deputy conditions). */
function ecsTasksPrincipal(stack: Stack): iam.IPrincipal {
  let principal = ECS_TASKS_PRINCIPALS.get(stack);
  if (!principal) {
    principal = new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({ service: 'ecs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
      },
    });
    ECS_TASKS_PRINCIPALS.set(stack, principal);
  }
  return principal;
}
