import { allowedActionsOf, allows } from './container-instances';
import { DeployRule, DeployStack, resourcesOf, TemplateResource, where } from './deploy-rule';

/** The logical id of a role that a template refers to with `Fn::GetAtt [Role, Arn]` or `Ref`. */
function roleIdOf(stack: DeployStack, value: unknown): string | undefined {
  const node = value as Record<string, any> | undefined;
  const id = Array.isArray(node?.['Fn::GetAtt']) ? node!['Fn::GetAtt'][0] : node?.Ref;
  return typeof id === 'string' && stack.template.Resources?.[id]?.Type === 'AWS::IAM::Role' ? id : undefined;
}

/** The actions a task's execution role needs for what its container definitions ask of ECS, by what asks it. */
export function executionRoleNeeds(containers: Array<Record<string, any>>): Map<string, string> {
  const needs = new Map<string, string>();
  for (const container of containers) {
    const name = String(container.Name);
    if (container.LogConfiguration?.LogDriver === 'awslogs') {
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) needs.set(action, `${name}'s awslogs log driver`);
    }
    if (JSON.stringify(container.Image ?? '').includes('.dkr.ecr.')) {
      for (const action of ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) needs.set(action, `${name}'s image from ECR`);
    }
    for (const secret of container.Secrets ?? []) {
      const from = JSON.stringify(secret.ValueFrom);
      if (from.includes(':secretsmanager:')) needs.set('secretsmanager:GetSecretValue', `${name}'s secret ${secret.Name}`);
      else needs.set('ssm:GetParameters', `${name}'s secret ${secret.Name}`);
    }
    if (container.RepositoryCredentials) needs.set('secretsmanager:GetSecretValue', `${name}'s registry credentials`);
  }
  return needs;
}

/** What ECS Exec makes the SSM agent in the task call with the task role. */
const EXECUTE_COMMAND_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];

/**
 * Every AWS call a task makes is allowed by the role that makes it. ECS calls with the task's execution role to pull
 * an image from ECR, create the awslogs log stream and write to it, and read the container's secrets; a task that
 * cannot, stops before its container starts (ResourceInitializationError, CannotPullContainerError). With ECS Exec,
 * the SSM agent in the container opens its channels with the task role.
 */
export const TASK_PERMISSIONS: DeployRule = {
  id: 'ecs-task-permissions',
  description: 'the execution role allows what the task definition makes ECS call (ECR pulls, awslogs, secrets), the task role what ECS Exec calls',
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::ECS::TaskDefinition')) {
      const needs = executionRoleNeeds(resource.Properties?.ContainerDefinitions ?? []);
      const executionRole = roleIdOf(stack, resource.Properties?.ExecutionRoleArn);
      if (needs.size > 0 && resource.Properties?.ExecutionRoleArn === undefined) {
        violations.push(`${where(stack, logicalId, resource)} has no execution role, and needs one for ${[...needs.values()][0]}`);
      } else if (executionRole) {
        const allowed = allowedActionsOf(stack, executionRole);
        for (const [action, why] of needs) {
          if (!allows(allowed, action)) violations.push(`${where(stack, logicalId, resource)} execution role ${executionRole} does not allow ${action} (${why})`);
        }
      }
    }
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::ECS::Service')) {
      if (resource.Properties?.EnableExecuteCommand !== true) continue;
      const taskDefinition = taskDefinitionOf(stack, resource);
      const taskRole = roleIdOf(stack, taskDefinition?.Properties?.TaskRoleArn);
      if (!taskRole) {
        violations.push(`${where(stack, logicalId, resource)} enables ECS Exec, and its task definition has no task role of this stack`);
        continue;
      }
      const allowed = allowedActionsOf(stack, taskRole);
      for (const action of EXECUTE_COMMAND_ACTIONS.filter((candidate) => !allows(allowed, candidate))) {
        violations.push(`${where(stack, logicalId, resource)} enables ECS Exec, and its task role ${taskRole} does not allow ${action}`);
      }
    }
    return violations;
  },
};

/** The task definition of a service, in its stack. */
function taskDefinitionOf(stack: DeployStack, service: TemplateResource): TemplateResource | undefined {
  const id = (service.Properties?.TaskDefinition as { Ref?: string } | undefined)?.Ref;
  return id ? stack.template.Resources?.[id] : undefined;
}
