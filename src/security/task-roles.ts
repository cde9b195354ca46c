import { ArnFormat, Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties for `TaskRoles`. */
export interface TaskRolesProps {
  /**
   * The name of the workload that owns the roles. It is written into the roles' descriptions and into a
   * `cdk-ecs-platform:workload` tag, so that CloudTrail events name the service that made them.
   */
  readonly workloadName: string;
}

/**
 * The two IAM roles of one ECS task definition: a task role for the application and an execution role for the
 * ECS agent. Neither is shared with any other task definition.
 *
 * Both roles start with no permissions. The execution role receives exactly what the task needs as the task
 * definition is built (pulling its image, reading its secrets, writing to its log group); the application's
 * permissions are granted to `taskRole` with the usual `grant*()` methods of the resources it uses.
 *
 * Only ECS tasks of this account and region may assume the roles (`aws:SourceAccount` and `aws:SourceArn`
 * conditions against the confused-deputy problem).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 * @example
 * const roles = new TaskRoles(this, 'Roles', { workloadName: 'api' });
 */
export class TaskRoles extends Construct {
  /** The role that the application's containers get credentials for. */
  public readonly taskRole: iam.Role;
  /** The role that the ECS agent uses to start the task: image pull, secrets, logs. */
  public readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);
    this.taskRole = this.newRole('TaskRole', `Task role of ${props.workloadName}: what its containers may call`);
    this.executionRole = this.newRole('ExecutionRole', `Execution role of ${props.workloadName}: image pull, its secrets, its logs`);
    Tags.of(this).add('cdk-ecs-platform:workload', props.workloadName);
  }

  private newRole(id: string, description: string): iam.Role {
    const stack = Stack.of(this);
    return new iam.Role(this, id, {
      description,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({ service: 'ecs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
        },
      }),
    });
  }
}
