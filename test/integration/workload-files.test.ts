/**
 * The workload files of examples/ are made for copying: "every example workload file can be copied into another
 * platform with no change but its import path". Each `examples/<scenario>/<workload>.ts` (all but `platform.ts`):
 * - imports the library's entry point (`'../../src'`, for a user `'cdk-ecs-platform'`), aws-cdk-lib and constructs,
 *   and nothing else: no sibling file, so one file is all there is to copy;
 * - exports only `add*()` functions that take the platform first, and says at its top what it needs from the platform,
 *   and how to copy it;
 * - states in that header, for each workload it adds, the tasks at maximum scale and their CPU and memory, the
 *   figures a platform team needs to decide on capacity: checked here against what it synthesizes;
 * - applied to other platforms than its own, synthesizes with no error: a default `EcsPlatformStack` with only a
 *   certificate (warnings: only the capacity check's, which says what the header says: add capacity), the same with
 *   capacity to spare (no warning at all), and another scenario's platform (warnings: only the capacity check's).
 *
 * A platform need that the header declares is given to the other platforms (the Service Connect namespace); one that
 * it does not declare is not, so a workload that needs more than it says fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ts from 'typescript';
import { EXAMPLE_FILES, EXAMPLES_DIR, ExampleStackClass, scenarioOf, stackClasses, WORKLOAD_FILES } from './example-stacks';
import { addThumbnailer } from '../../examples/queue-worker/thumbnailer';
import { addOrdersService } from '../../examples/service-connect/orders';
import { AmiFamily, EcsPlatform, EcsPlatformStack, EcsPlatformStackProps, QueueWorker, ScheduledTask, TaskTrigger, WebService } from '../../src';

/** A workload function of an example: the platform, then any further typed parameters. */
type WorkloadFunction = (platform: EcsPlatform, ...args: any[]) => unknown;

/** What the modules of a workload file may be: the library's entry point, aws-cdk-lib and constructs. */
const ALLOWED_IMPORT = /^(\.\.\/\.\.\/src|aws-cdk-lib(\/[a-z0-9-]+)?|constructs)$/;

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/**
 * The further arguments of the workload functions that take more than the platform, made on the platform the
 * function is applied to: `<file>#<function>` → arguments.
 */
const FURTHER_ARGUMENTS: Record<string, (platform: EcsPlatform) => unknown[]> = {
  'large-fleet/domain-service.ts#addDomainService': () => ['Billing', 'Api'],
  'large-fleet/job.ts#addFleetJob': () => ['NightlyReports', TaskTrigger.cron({ minute: '30', hour: '2' })],
  'large-fleet/worker.ts#addFleetWorker': () => ['Invoices'],
  'queue-worker/uploads.ts#addUploadsService': (platform) => [addThumbnailer(platform)],
  'service-connect/shop.ts#addShopService': (platform) => [addOrdersService(platform)],
  'spot-and-graviton/worker.ts#addWorkerService': (platform) => [platform.cluster.defaultCapacity],
  'windows-service/storefront.ts#addStorefrontService': (platform) => [platform.addCapacity('Windows', {
    amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE, instanceType: new ec2.InstanceType('m6i.xlarge'), maxCapacity: 4,
  })],
};

/** The stack class of a scenario's platform. */
function scenarioStack(scenario: string): ExampleStackClass {
  return stackClasses(EXAMPLE_FILES.find((file) => scenarioOf(file) === scenario)!)[0][1];
}

/**
 * The scenario platform a workload file is also applied to: nightly-job's, which has no web service, route or id
 * that another scenario's workload has; for nightly-job's own workloads, the flagship's.
 */
function otherScenario(file: string): string {
  return scenarioOf(file) === 'nightly-job' ? 'production-platform' : 'nightly-job';
}

/** A workload file's header: its leading doc comment, without the ` * ` of each line. */
function headerOf(file: string): string {
  const source = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
  const match = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(source);
  return match ? match[1].split('\n').map((line) => line.replace(/^ \*( |$)/, '')).join('\n') : '';
}

/** One workload's need of capacity, as the header states it. */
interface CapacityNeed {
  /** The workload's id, `<placeholders>` as patterns. */
  readonly id: RegExp;
  readonly tasks: number;
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** The `- capacity for \`Id\`: up to N tasks of C CPU units and M MiB` lines of a header. */
function capacityNeeds(header: string): CapacityNeed[] {
  return [...header.matchAll(/^- capacity for `([^`]+)`: (?:up to )?(\d+) tasks? of (\d+) CPU units and (\d+) MiB/gm)].map((match) => ({
    id: new RegExp(`^${match[1].replace(/<[^>]+>/g, '[A-Za-z0-9]+')}$`),
    tasks: Number(match[2]),
    cpu: Number(match[3]),
    memoryMiB: Number(match[4]),
  }));
}

/** The modules a source file imports or requires, in any form. */
function importedModules(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const modules: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      modules.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
      && ts.isStringLiteral(node.moduleReference.expression)) {
      modules.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword
      || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [argument] = node.arguments;
      modules.push(argument && ts.isStringLiteral(argument) ? argument.text : `<computed: ${argument?.getText()}>`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return modules;
}

/** The functions a workload file exports, by name. */
function workloadFunctions(file: string): Array<[string, WorkloadFunction]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(EXAMPLES_DIR, file)) as Record<string, unknown>;
  return Object.entries(exported)
    .filter((entry): entry is [string, WorkloadFunction] => typeof entry[1] === 'function')
    .sort(([a], [b]) => a.localeCompare(b));
}

/** The workloads of a platform, in the order they were added. */
function workloadsOf(platform: EcsPlatform): Array<WebService | QueueWorker | ScheduledTask> {
  return [...platform.webServices, ...platform.queueWorkers, ...platform.scheduledTasks];
}

/** A workload's tasks at maximum scale (the scalable target's maximum, or a scheduled task's task count), CPU and memory. */
function capacityOf(workload: WebService | QueueWorker | ScheduledTask): { tasks: number; cpu: number; memoryMiB: number } {
  const stack = Stack.of(workload);
  const taskDefinition = workload.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  let tasks: number;
  if (workload instanceof ScheduledTask) {
    const resolved = JSON.stringify(workload.node.findAll().filter((c): c is CfnElement => c instanceof CfnElement)
      .map((element) => stack.resolve((element as any)._toCloudFormation())));
    const counts = [...resolved.matchAll(/"TaskCount":(\d+)/g)].map((match) => Number(match[1]));
    tasks = counts.length ? Math.max(...counts) : NaN;
  } else {
    const target = workload.node.findAll().find((c): c is appscaling.CfnScalableTarget => c instanceof appscaling.CfnScalableTarget);
    tasks = target ? stack.resolve(target.maxCapacity) : NaN;
  }
  return { tasks, cpu: Number(stack.resolve(taskDefinition.cpu)), memoryMiB: Number(stack.resolve(taskDefinition.memory)) };
}

/** The warnings and errors of every stack of a synthesized app, as `level id: message`. */
function messagesOf(app: App): Array<{ level: string; text: string }> {
  return app.synth().stacks.flatMap((artifact) => artifact.messages)
    .filter((message) => message.level !== 'info')
    .map((message) => ({ level: message.level, text: `${message.level} at ${message.id}: ${String(message.entry.data)}` }));
}

/** Whether a message is the capacity check's: the platform has too little capacity for what its workloads may scale out to. */
function isCapacityWarning(message: { level: string; text: string }): boolean {
  return message.level === 'warning' && /\[ack: cdk-ecs-platform:EcsCluster\.capacity-(insufficient|partial-fit)\]/.test(message.text);
}

/** Applies a workload function to `platform`, with its further arguments made there; returns the workloads it added. */
function apply(file: string, name: string, fn: WorkloadFunction, platform: EcsPlatform): Array<WebService | QueueWorker | ScheduledTask> {
  const further = FURTHER_ARGUMENTS[`${file}#${name}`]?.(platform) ?? [];
  const before = new Set(workloadsOf(platform));
  fn(platform, ...further);
  return workloadsOf(platform).filter((workload) => !before.has(workload));
}

test('examples/ has workload files in every scenario', () => {
  expect(WORKLOAD_FILES.length).toBeGreaterThan(EXAMPLE_FILES.length);
  for (const file of EXAMPLE_FILES) {
    expect({ file, workloads: WORKLOAD_FILES.some((workload) => scenarioOf(workload) === scenarioOf(file)) }).toEqual({ file, workloads: true });
  }
});

test('examples/README.md\'s table lists every scenario, with all its files and nothing else', () => {
  const readme = fs.readFileSync(path.join(EXAMPLES_DIR, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| \[`([a-z0-9-]+)\/`\]\(\1\/platform\.ts\) \| ([^|]+) \|/gm)]
    .map((match) => [match[1], [...match[2].matchAll(/`([a-z0-9-]+\.ts)`/g)].map((file) => file[1]).sort()] as const);
  expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(EXAMPLE_FILES.map((file) => [scenarioOf(file),
    ['platform.ts', ...WORKLOAD_FILES.filter((workload) => scenarioOf(workload) === scenarioOf(file)).map((workload) => workload.split('/')[1])].sort()])));
});

test('every function that takes more than the platform has its further arguments here, and no entry is stale', () => {
  const functions = WORKLOAD_FILES.flatMap((file) => workloadFunctions(file).map(([name, fn]) => [`${file}#${name}`, fn] as const));
  expect(functions.filter(([, fn]) => fn.length > 1).map(([key]) => key).sort()).toEqual(Object.keys(FURTHER_ARGUMENTS).sort());
});

describe.each(WORKLOAD_FILES)('examples/%s', (file) => {
  const header = headerOf(file);
  const functions = workloadFunctions(file);
  const needsNamespace = /^- the Service Connect namespace/m.test(header);
  const platformProps: EcsPlatformStackProps = needsNamespace ? { serviceConnectNamespace: 'internal' } : {};

  test('imports only the library\'s entry point, aws-cdk-lib and constructs: no sibling file', () => {
    expect(importedModules(file).filter((module) => !ALLOWED_IMPORT.test(module))).toEqual([]);
    expect(importedModules(file)).toContain('../../src');
  });

  test('exports add*() functions only, each named in its header with how to copy it', () => {
    expect(functions.length).toBeGreaterThan(0);
    expect(functions.map(([name]) => name).filter((name) => !/^add[A-Z]\w*$/.test(name))).toEqual([]);
    expect(header).toContain('Needs from the platform:');
    expect(header).toContain('change the import `\'../../src\'` to `\'cdk-ecs-platform\'`');
    for (const [name] of functions) expect(header).toContain(`\`${name}(stack.platform`);
  });

  test.each(functions.map(([name]) => name))('%s: its header states the tasks, CPU and memory of each workload it adds', (name) => {
    const stack = new EcsPlatformStack(new App(), 'Other', { certificateArn: CERTIFICATE_ARN, ...platformProps });
    const added = apply(file, name, functions.find(([n]) => n === name)![1], stack.platform);
    const needs = capacityNeeds(header);
    expect(added.length).toBeGreaterThan(0);
    const stated = added.map((workload) => {
      const matching = needs.filter((need) => need.id.test(workload.node.id));
      expect({ workload: workload.node.id, lines: matching.length }).toEqual({ workload: workload.node.id, lines: 1 });
      const { tasks, cpu, memoryMiB } = matching[0];
      return { workload: workload.node.id, tasks, cpu, memoryMiB };
    });
    expect(stated).toEqual(added.map((workload) => ({ workload: workload.node.id, ...capacityOf(workload) })));
    expect(needs.length).toBe(added.length);
  });

  test.each(functions.map(([name]) => name))('%s: synthesizes on a default platform with no error, warned only of capacity', (name) => {
    const app = new App();
    const stack = new EcsPlatformStack(app, 'Other', { certificateArn: CERTIFICATE_ARN, ...platformProps });
    apply(file, name, functions.find(([n]) => n === name)![1], stack.platform);
    expect(messagesOf(app).filter((message) => !isCapacityWarning(message)).map((message) => message.text)).toEqual([]);
  });

  test.each(functions.map(([name]) => name))('%s: synthesizes on a default platform with capacity to spare with no warning', (name) => {
    const app = new App();
    const stack = new EcsPlatformStack(app, 'Other', {
      certificateArn: CERTIFICATE_ARN,
      awsvpcTrunking: true,
      capacity: { instanceType: new ec2.InstanceType('m6i.4xlarge'), maxCapacity: 12 },
      ...platformProps,
    });
    apply(file, name, functions.find(([n]) => n === name)![1], stack.platform);
    expect(messagesOf(app).map((message) => message.text)).toEqual([]);
  });

  test.each(functions.map(([name]) => name))(`%s: synthesizes on another scenario's platform (${otherScenario(file)}) with no error, warned only of capacity`, (name) => {
    const app = new App();
    const Host = scenarioStack(otherScenario(file)) as unknown as new (scope: App, id: string, props: EcsPlatformStackProps) => EcsPlatformStack;
    const stack = new Host(app, 'Other', platformProps);
    apply(file, name, functions.find(([n]) => n === name)![1], stack.platform);
    expect(messagesOf(app).filter((message) => !isCapacityWarning(message)).map((message) => message.text)).toEqual([]);
  });
});

test('the capacity warnings allowed above are the capacity check\'s own', () => {
  // a platform far too small for its workload: the check must warn, in the form isCapacityWarning() recognizes
  const app = new App();
  const stack = new EcsPlatformStack(app, 'Small', { certificateArn: CERTIFICATE_ARN, capacity: { minCapacity: 1, maxCapacity: 1 } });
  addThumbnailer(stack.platform);
  const messages = messagesOf(app);
  expect(messages.some(isCapacityWarning)).toBe(true);
  expect(messages.filter((message) => !isCapacityWarning(message))).toEqual([]);
});
