import { DeployApp, DeployRule, DeployStack, importedNames, referencedLogicalIds, resourcesOf, where } from './deploy-rule';

/**
 * Every image a task runs can be pulled on the first deploy, in the order the README's "Deploying" steps give: the
 * stacks that create image repositories deploy first, the images are pushed, then the stacks whose workloads run them.
 * An image of a repository that the workload's own stack creates cannot be: that repository is new and empty when
 * the service starts, the tasks fail with CannotPullContainerError, the deployment circuit breaker rolls the service
 * back and the stack's create fails. An image of a repository in another stack must come from a stack deployed
 * before (an export of a stack that the workload's stack depends on).
 */
export const FIRST_DEPLOY_IMAGES: DeployRule = {
  id: 'first-deploy-images-pullable',
  description: 'no task runs an image of a repository created in its own stack, or in a stack that does not deploy before it',
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::ECS::TaskDefinition')) {
      for (const container of resource.Properties?.ContainerDefinitions ?? []) {
        const image = container.Image;
        const ownRepositories = [...referencedLogicalIds(image)].filter((id) => stack.template.Resources?.[id]?.Type === 'AWS::ECR::Repository');
        for (const repository of ownRepositories) {
          violations.push(`${where(stack, logicalId, resource)} container ${container.Name} runs an image of ${repository}, which its own stack creates`);
        }
        for (const exportName of importedNames(image)) {
          const exporter = exportingStack(app, exportName);
          if (exporter && !dependsOn(app, stack, exporter)) {
            violations.push(`${where(stack, logicalId, resource)} container ${container.Name} runs an image exported by ${exporter.stackName}, which does not deploy before it`);
          }
        }
      }
    }
    return violations;
  },
};

/** The stack of the app that exports `exportName`. */
function exportingStack(app: DeployApp, exportName: string): DeployStack | undefined {
  return app.stacks.find((stack) => Object.values(stack.template.Outputs ?? {}).some((output) => output.Export?.Name === exportName));
}

/** Whether `stack` depends on `other`, directly or through other stacks. */
function dependsOn(app: DeployApp, stack: DeployStack, other: DeployStack): boolean {
  return stack.dependencies.some((id) => id === other.artifactId
    || dependsOn(app, app.stacks.find((candidate) => candidate.artifactId === id)!, other));
}
