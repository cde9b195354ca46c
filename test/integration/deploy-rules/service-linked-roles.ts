import * as fs from 'fs';
import * as path from 'path';
import { DeployApp, DeployRule, resourcesOf, walk } from './deploy-rule';
import { sectionOf } from '../../markdown';

/**
 * The service-linked roles that each resource type makes its service use on the first deploy. ECS creates its role
 * with the account's first cluster, but a capacity provider created in the same deploy can race that creation
 * ("Unable to assume the service-linked role"); a scalable target names Application Auto Scaling's role for ECS by
 * its ARN; Auto Scaling publishes the capacities' notifications with its role.
 */
const ROLE_OF_RESOURCE_TYPE: Record<string, string> = {
  'AWS::ECS::Cluster': 'ecs.amazonaws.com',
  'AWS::ECS::CapacityProvider': 'ecs.amazonaws.com',
  'AWS::AutoScaling::AutoScalingGroup': 'autoscaling.amazonaws.com',
};

/** The README, where the "Deploying" steps create the service-linked roles. */
const README = path.join(__dirname, '..', '..', '..', 'README.md');

/** The services whose roles the README's Deploying steps create (`aws iam create-service-linked-role --aws-service-name X`). */
export function servicesWithRolesInReadme(readme = fs.readFileSync(README, 'utf8')): Set<string> {
  const deploying = sectionOf(readme, 'Deploying');
  return new Set([...deploying.matchAll(/create-service-linked-role --aws-service-name ([a-z0-9.-]+)/g)].map((match) => match[1]));
}

/** The services whose service-linked roles `app` needs before its first deploy. */
export function servicesWithRolesNeeded(app: DeployApp): Set<string> {
  const services = new Set<string>();
  for (const { resource } of resourcesOf(app)) {
    const service = ROLE_OF_RESOURCE_TYPE[resource.Type];
    if (service) services.add(service);
    // a role named by its ARN, anywhere: arn:...:role/aws-service-role/<service>/<name>
    for (const node of walk(resource.Properties)) {
      const parts = node !== null && typeof node === 'object' && Array.isArray((node as Record<string, unknown>)['Fn::Join'])
        ? ((node as Record<string, unknown[]>)['Fn::Join'][1] as unknown[]).filter((part): part is string => typeof part === 'string').join('')
        : typeof node === 'string' ? node : '';
      const match = /role\/aws-service-role\/([a-z0-9.-]+)\//.exec(parts);
      if (match) services.add(match[1]);
    }
  }
  return services;
}

/**
 * Every service-linked role the stacks need on their first deploy exists by then: the README's "Deploying" steps create
 * it, before the first `cdk deploy`. A policy or a scalable target that names a role that does not exist, or a
 * capacity provider created before ECS's role, fails the create.
 */
export const SERVICE_LINKED_ROLES: DeployRule = {
  id: 'service-linked-roles-before-first-deploy',
  description: 'every service-linked role the stacks need is created by a README step before the first deploy',
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html',
    'https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html',
    'https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html',
  ],
  check(app) {
    const created = servicesWithRolesInReadme();
    return [...servicesWithRolesNeeded(app)].filter((service) => !created.has(service)).sort()
      .map((service) => `the stacks need the service-linked role of ${service}, which the README's Deploying steps do not create`);
  },
};
