/**
 * Deploy rules: what AWS services check when a stack is created, updated, rolled back or deleted, and what the ECS
 * agent may do on the instance, that CloudFormation's schema does not check. Each rule cites the AWS documentation
 * it encodes and reads a whole synthesized app, so that it can see across stacks (deploy order, exports, imports).
 *
 * deploy-rules.test.ts runs every rule over every stack of every example; support/valid-platforms.ts runs them over
 * the random platforms of the property tests; each rule file has tests that show the rule failing on a template that
 * breaks it, so that no rule is a check that cannot fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** A resource of a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
  readonly Metadata?: Record<string, any>;
}

/** A synthesized CloudFormation template. */
export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Parameters?: Record<string, any>;
  readonly [key: string]: unknown;
}

/** One stack of an app, as CloudFormation gets it. */
export interface DeployStack {
  /** The stack's name in CloudFormation. */
  readonly stackName: string;
  /** The artifact id in the cloud assembly. */
  readonly artifactId: string;
  /** The artifact ids of the stacks this one depends on (deployed before it). */
  readonly dependencies: string[];
  /** Whether the stack has CloudFormation termination protection. */
  readonly terminationProtection: boolean;
  readonly template: Template;
}

/** A synthesized app: its stacks in deployment order (each after the stacks it depends on). */
export interface DeployApp {
  /** A name for messages: the example file, or the random platform's seed. */
  readonly name: string;
  readonly stacks: DeployStack[];
}

/** A rule AWS applies at deploy time (create, update, rollback, delete) or at run time on the instances. */
export interface DeployRule {
  /** A short id, for test names. */
  readonly id: string;
  /** What AWS requires, in a sentence. */
  readonly description: string;
  /** The AWS documentation or API reference pages the rule encodes. */
  readonly docs: string[];
  /** The violations in `app`, each naming the stack and the logical id: none when the app complies. */
  check(app: DeployApp): string[];
}

/** The stacks of a cloud assembly in deployment order. */
export function deployAppOf(name: string, assembly: cxapi.CloudAssembly): DeployApp {
  const artifacts = assembly.stacks;
  const stacks: DeployStack[] = artifacts.map((artifact) => ({
    stackName: artifact.stackName,
    artifactId: artifact.id,
    dependencies: artifact.dependencies.map((dependency) => dependency.id).filter((id) => artifacts.some((a) => a.id === id)),
    terminationProtection: artifact.terminationProtection ?? false,
    template: JSON.parse(fs.readFileSync(path.join(assembly.directory, artifact.templateFile), 'utf8')),
  }));
  return { name, stacks: inDeploymentOrder(stacks) };
}

/** Each stack after its dependencies; ties in the assembly's order. */
function inDeploymentOrder(stacks: DeployStack[]): DeployStack[] {
  const done = new Set<string>();
  const ordered: DeployStack[] = [];
  while (ordered.length < stacks.length) {
    const next = stacks.find((stack) => !done.has(stack.artifactId) && stack.dependencies.every((id) => done.has(id)));
    if (!next) throw new Error(`cyclic stack dependencies among ${stacks.map((stack) => stack.artifactId).join(', ')}`);
    done.add(next.artifactId);
    ordered.push(next);
  }
  return ordered;
}

/** A resource with the stack it is in and its logical id. */
export interface PlacedResource {
  readonly stack: DeployStack;
  readonly logicalId: string;
  readonly resource: TemplateResource;
}

/** Every resource of every stack (of `type`, when given), with where it is. */
export function* resourcesOf(app: DeployApp, type?: string | RegExp): Generator<PlacedResource> {
  for (const stack of app.stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (type === undefined || (typeof type === 'string' ? resource.Type === type : type.test(resource.Type))) {
        yield { stack, logicalId, resource };
      }
    }
  }
}

/** `stack/logicalId (Type)`, for messages. */
export function where(stack: DeployStack, logicalId: string, resource?: TemplateResource): string {
  return `${stack.stackName}/${logicalId}${resource ? ` (${resource.Type})` : ''}`;
}

/** A one-stack app of `template`, for the tests that show a rule failing. */
export function appOf(template: Template, stackName = 'TestStack', terminationProtection = false): DeployApp {
  return { name: 'test', stacks: [{ stackName, artifactId: stackName, dependencies: [], terminationProtection, template }] };
}

/** An app of several stacks, each `[stack name, template, names of the stacks it depends on]`, for rule tests. */
export function appOfStacks(...stacks: Array<[string, Template, string[]?]>): DeployApp {
  return {
    name: 'test',
    stacks: stacks.map(([stackName, template, dependencies = []]) =>
      ({ stackName, artifactId: stackName, dependencies, terminationProtection: false, template })),
  };
}

/** Every value found anywhere below `value` (objects, arrays), depth first, with `value` itself first. */
export function* walk(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) yield* walk(item);
  }
}

/** The logical ids that `value` refers to (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`). */
export function referencedLogicalIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  for (const node of walk(value)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const object = node as Record<string, any>;
    if (typeof object.Ref === 'string') ids.add(object.Ref);
    if (Array.isArray(object['Fn::GetAtt'])) ids.add(object['Fn::GetAtt'][0]);
    const sub = object['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined;
    for (const match of typeof text === 'string' ? text.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z.]+)?\}/g) : []) ids.add(match[1]);
  }
  return ids;
}

/** The export names that `value` imports (`Fn::ImportValue` anywhere below it), in order. */
export function importedNames(value: unknown): string[] {
  return [...walk(value)].flatMap((node) => {
    const name = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)['Fn::ImportValue'] : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}
