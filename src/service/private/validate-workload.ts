import { Annotations, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { assertPattern, validationError } from '../../shared/validate';

/** The paths that the container runtime mounts itself on Linux: a volume may not be mounted on or below them. */
const RESERVED_LINUX_PATHS = ['/proc', '/sys', '/dev'];

/** HTTP codes that an ALB target group's matcher accepts. */
const MIN_HTTP_MATCHER_CODE = 200;
const MAX_HTTP_MATCHER_CODE = 499;

/** Asserts an ECS service name: 1 to 255 letters, digits, hyphens and underscores. */
export function assertServiceName(scope: IConstruct, prop: string, name: string | undefined): void {
  assertPattern(scope, prop, name, /^[A-Za-z0-9_-]{1,255}$/, '1 to 255 letters, digits, hyphens and underscores');
}

/**
 * Refuses an image from a registry (`ecs.ContainerImage.fromRegistry`) without a tag or with the tag `latest`:
 * the tasks would run whatever the tag points to when they start. Digests (`@sha256:…`) are fine.
 */
export function assertPinnedImage(scope: IConstruct, prop: string, image: ecs.ContainerImage): void {
  if (!(image instanceof ecs.RepositoryImage)) return;
  // the name is private to aws-cdk-lib's class: read it the way its bind() does, without binding
  const name = (image as unknown as { readonly imageName: string }).imageName;
  if (typeof name !== 'string') return;
  if (Token.isUnresolved(name) || name.includes('@')) return;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
  if (tag === undefined || tag === '' || tag === 'latest') {
    validationError(scope, prop, 'an image with a version tag or a digest, such as `public.ecr.aws/nginx/nginx:1.27` (without one, '
      + 'or with `latest`, each task runs whatever the tag points to when it starts)', name);
  }
}

/**
 * Checks a container's `user`: refuses root however it is spelled (`0`, `00`, `root`) and warns when the group is
 * root (`1000:0`).
 */
export function checkUser(scope: IConstruct, prop: string, user: string): void {
  const [name, group] = user.split(':');
  if (/^(0+|root)$/.test(name)) {
    validationError(scope, prop, 'a user other than root (leave it unset to run as the image\'s user)', user);
  }
  if (group !== undefined && /^(0+|root)$/.test(group)) {
    Annotations.of(scope).addWarningV2('cdk-ecs-platform:Workload.user',
      `\`${prop}\` "${user}" runs in the root group, which can read and write whatever the image leaves to group 0: `
      + `give it a group of its own, such as "${name}:${name}"`);
  }
}

/** Refuses a command whose first word, the executable, is empty. */
export function assertCommand(scope: IConstruct, prop: string, command: string[] | undefined): void {
  if (command === undefined || command.length === 0) return;
  const first = command[0];
  if (!Token.isUnresolved(first) && first.trim() === '') {
    validationError(scope, prop, 'a command whose first word names the executable', command);
  }
}

/** Refuses a volume mounted on or below a path that the container runtime reserves on Linux (`/proc`, `/sys`, `/dev`). */
export function assertMountPath(scope: IConstruct, prop: string, path: string): void {
  if (Token.isUnresolved(path)) return;
  const reserved = RESERVED_LINUX_PATHS.find((root) => path === root || path.startsWith(`${root}/`));
  if (reserved) {
    validationError(scope, prop, `a path outside ${RESERVED_LINUX_PATHS.map((root) => `\`${root}\``).join(', ')} (the container `
      + `runtime mounts ${reserved} itself)`, path);
  }
}

/** Refuses environment variable names that are empty or hold whitespace, `=` or control characters. */
export function assertEnvironmentNames(scope: IConstruct, prefix: string, environment: Record<string, string>): void {
  for (const name of Object.keys(environment).sort()) {
    if (Token.isUnresolved(name)) continue;
    if (!/^[^\s=\x00-\x1f\x7f]+$/.test(name)) {
      validationError(scope, `${prefix}environment`, 'keyed by environment variable names (no spaces, `=` or control characters, '
        + 'such as `LOG_LEVEL`)', name);
    }
  }
}

/**
 * Refuses an ALB HTTP matcher that the target group would refuse: codes, ranges (`low-high`, low ≤ high) or
 * comma-separated lists of both, every code between 200 and 499.
 */
export function assertHttpMatcher(scope: IConstruct, prop: string, codes: string): void {
  if (Token.isUnresolved(codes)) return;
  const allowed = `HTTP codes between ${MIN_HTTP_MATCHER_CODE} and ${MAX_HTTP_MATCHER_CODE} such as \`200\`, \`200,204\` or `
    + '`200-299` (a range low to high)';
  if (!/^(\d{3}(-\d{3})?)(,\d{3}(-\d{3})?)*$/.test(codes)) validationError(scope, prop, allowed, codes);
  for (const item of codes.split(',')) {
    const [low, high] = item.split('-').map(Number);
    const inRange = (code: number) => code >= MIN_HTTP_MATCHER_CODE && code <= MAX_HTTP_MATCHER_CODE;
    if (!inRange(low) || (high !== undefined && (!inRange(high) || high < low))) validationError(scope, prop, allowed, codes);
  }
}
