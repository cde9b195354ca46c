import { Annotations, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';

/** The repository construct of each image that an `ImageRepository` gave out (`ImageRepository.image()`). */
const repositoryOfImage = new WeakMap<ecs.ContainerImage, IConstruct>();

/** Records that `image` comes from `repository`, for `warnOnImageOfSameStack()`. */
export function registerRepositoryImage(image: ecs.ContainerImage, repository: IConstruct): void {
  repositoryOfImage.set(image, repository);
}

/**
 * The repository an image comes from when this app creates it: an `ImageRepository`'s, or the `ecr.Repository` of an
 * `ecs.ContainerImage.fromEcrRepository()` image (aws-cdk-lib keeps it in a private field of `EcrImage`).
 */
function createdRepositoryOf(image: ecs.ContainerImage): IConstruct | undefined {
  const registered = repositoryOfImage.get(image);
  if (registered) return registered;
  if (!(image instanceof ecs.EcrImage)) return undefined;
  const repository = (image as unknown as { repository?: unknown }).repository;
  return repository instanceof ecr.Repository ? repository : undefined;
}

/**
 * Warns when a workload runs an image of a repository that the workload's own stack creates. On that stack's first
 * deploy the repository is new and empty: the tasks fail with CannotPullContainerError, the deployment circuit breaker
 * rolls the service back and the stack's create fails. The repository belongs in a stack that deploys first, so that
 * its images can be pushed before the workload's stack is deployed (`EcsPlatform.addImageRepository()` puts it there).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
 */
export function warnOnImageOfSameStack(scope: IConstruct, prop: string, image: ecs.ContainerImage): void {
  const repository = createdRepositoryOf(image);
  if (!repository || Stack.of(repository) !== Stack.of(scope)) return;
  Annotations.of(scope).addWarningV2('cdk-ecs-platform:Workload.imageOfSameStack',
    `\`${prop}\` is an image of the repository ${repository.node.path}, which the same stack creates: on the stack's first ` +
    'deploy the repository is empty, the tasks cannot pull the image and the create fails. Create the repository in a ' +
    'stack that deploys first (`EcsPlatform.addImageRepository()` puts it in the platform\'s images stack), push the ' +
    'image, then deploy this stack.');
}
