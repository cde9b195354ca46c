import { DeployApp, DeployRule, DeployStack, importedNames, resourcesOf, where } from './deploy-rule';

/** A rule of an ECR lifecycle policy, as `LifecyclePolicyText` holds it. */
interface LifecycleRule {
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: { readonly tagStatus: string; readonly tagPrefixList?: string[]; readonly tagPatternList?: string[] };
}

/**
 * An image of a repository of the app, by tag: the repository's logical id in the same stack, its name, or the export
 * of its ARN that another stack of the app makes (a platform's images stack).
 */
interface RepositoryImage {
  readonly logicalId?: string;
  readonly repositoryName?: string;
  readonly arnExportName?: string;
  readonly tag: string;
}

/**
 * The repository and tag of an ECR image URI that CDK renders: `Fn::Join` of the registry, then `/` and a
 * `{ Ref: repository }` and `:tag`, or `/name:tag` for a repository imported by name.
 */
function repositoryImageOf(image: unknown): RepositoryImage | undefined {
  const join = (image as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  const parts = join[1];
  const last = parts[parts.length - 1];
  if (typeof last !== 'string' || !last.includes(':')) return undefined;
  const tag = last.slice(last.lastIndexOf(':') + 1);
  const previous = parts[parts.length - 2] as { Ref?: string } | undefined;
  if (last.startsWith(':') && typeof previous?.Ref === 'string') return { logicalId: previous.Ref, tag };
  const [imported] = importedNames(previous);
  if (last.startsWith(':') && imported) return { arnExportName: imported, tag };
  if (last.startsWith('/') && last.lastIndexOf(':') > 1) return { repositoryName: last.slice(1, last.lastIndexOf(':')), tag };
  return undefined;
}

/** Whether `tag` matches an ECR tag pattern, where `*` stands for any characters. */
function matchesPattern(tag: string, pattern: string): boolean {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(tag);
}

/** The rule that decides for a tagged image: the first, by priority, that selects it. */
function decidingRule(rules: LifecycleRule[], tag: string): LifecycleRule | undefined {
  return [...rules].sort((a, b) => a.rulePriority - b.rulePriority).find(({ selection }) => {
    if (selection.tagStatus === 'any') return true;
    if (selection.tagStatus !== 'tagged') return false;
    return (selection.tagPrefixList ?? []).some((prefix) => tag.startsWith(prefix))
      || (selection.tagPatternList ?? []).some((pattern) => matchesPattern(tag, pattern));
  });
}

/** The logical id whose ARN the output exported as `exportName` holds, in `stack`. */
function exportedArnOf(stack: DeployStack, exportName: string | undefined): string | undefined {
  const output = Object.values(stack.template.Outputs ?? {}).find((candidate) => exportName !== undefined && candidate.Export?.Name === exportName);
  const getAtt = (output?.Value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[1] === 'Arn' ? getAtt[0] : undefined;
}

/**
 * The lifecycle rules of the repository an image refers to, found in its own stack, by name anywhere in the app, or
 * through the export of its ARN.
 */
function repositoryRules(app: DeployApp, stack: DeployStack, image: RepositoryImage): { name: string; rules: LifecycleRule[] } | undefined {
  for (const { stack: owner, logicalId, resource } of resourcesOf(app, 'AWS::ECR::Repository')) {
    const same = image.logicalId !== undefined && owner === stack && logicalId === image.logicalId;
    const named = image.repositoryName !== undefined && resource.Properties?.RepositoryName === image.repositoryName;
    const exported = exportedArnOf(owner, image.arnExportName) === logicalId;
    if (!same && !named && !exported) continue;
    const text = resource.Properties?.LifecyclePolicy?.LifecyclePolicyText;
    return { name: where(owner, logicalId), rules: typeof text === 'string' ? JSON.parse(text).rules : [] };
  }
  return undefined;
}

/**
 * No task runs an image that a catch-all lifecycle rule may delete. ECR applies lifecycle rules without regard to
 * which images run; once the image of a running service is deleted, every task started later (scale-out, a
 * replaced instance, a rollback) fails with `CannotPullContainerError`. A tag's own prefix rule is a choice the
 * user made, with a count; a catch-all rule (`tagStatus: any`) deletes whatever is oldest.
 */
export const NO_RUNNING_IMAGE_UNDER_CATCH_ALL: DeployRule = {
  id: 'ecr-running-image-not-under-catch-all-rule',
  description: 'no task definition runs a tag of an app repository that its catch-all (tagStatus any) lifecycle rule decides for',
  docs: [
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::ECS::TaskDefinition')) {
      for (const container of resource.Properties?.ContainerDefinitions ?? []) {
        const image = repositoryImageOf(container.Image);
        if (!image) continue;
        const repository = repositoryRules(app, stack, image);
        const rule = repository && decidingRule(repository.rules, image.tag);
        if (rule?.selection.tagStatus === 'any') {
          violations.push(`${where(stack, logicalId, resource)} runs ${image.tag} of ${repository!.name}, which its catch-all lifecycle rule ` +
            `${rule.rulePriority} (${rule.description ?? 'no description'}) may delete`);
        }
      }
    }
    return violations;
  },
};
