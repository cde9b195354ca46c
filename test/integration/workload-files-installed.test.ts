import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { EXAMPLES_DIR, WORKLOAD_FILES } from './example-stacks';
import { installPackedLibrary, run } from './support/installed-package';

/**
 * What examples/README.md promises of a workload file: copied into an app that installed the package, with its import
 * `'../../src'` changed to `'cdk-ecs-platform'` and nothing else, it type-checks against the package's typings and
 * synthesizes against the package. As test/integration/local-install.test.ts does for the README's quick start: the
 * local build, packed with `npm pack`, installed offline into a scratch app whose aws-cdk-lib and constructs are this
 * repository's. test/integration/workload-files.test.ts checks the same files against the sources, on more platforms.
 */

/** A copied workload file's name in the app: `<scenario>-<file>`, so files of the same name do not collide. */
const copiedName = (file: string) => file.replace('/', '-');

/**
 * The app that applies every copied workload function to a default platform of the installed package, each in an app
 * of its own, and prints what each synthesis reported. The further arguments of the functions that take more than the
 * platform are made there, as test/integration/workload-files.test.ts makes them (a queue worker or a service from the
 * copied files themselves, a capacity, names).
 */
const applyAll = (files: string[]) => `
const fs = require('fs');
const path = require('path');
const { App, Duration } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const { AmiFamily, EcsPlatformStack, TaskTrigger } = require('cdk-ecs-platform');

const FURTHER = {
  'large-fleet-domain-service.js#addDomainService': () => ['Billing', 'Api'],
  'large-fleet-job.js#addFleetJob': () => ['NightlyReports', TaskTrigger.cron({ minute: '30', hour: '2' })],
  'large-fleet-worker.js#addFleetWorker': () => ['Invoices'],
  'queue-worker-uploads.js#addUploadsService': (platform) => [require('./queue-worker-thumbnailer.js').addThumbnailer(platform)],
  'service-connect-shop.js#addShopService': (platform) => [require('./service-connect-orders.js').addOrdersService(platform)],
  'spot-and-graviton-worker.js#addWorkerService': (platform) => [platform.cluster.defaultCapacity],
  'windows-service-storefront.js#addStorefrontService': (platform) => [platform.addCapacity('Windows', {
    amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE, instanceType: new ec2.InstanceType('m6i.xlarge'), maxCapacity: 4 })],
};

const results = [];
for (const file of ${JSON.stringify(files)}) {
  const source = fs.readFileSync(path.join(__dirname, file.replace(/\\.js$/, '.ts')), 'utf8');
  const needsNamespace = /^ \\* - the Service Connect namespace/m.test(source);
  for (const [name, fn] of Object.entries(require('./' + file))) {
    if (typeof fn !== 'function') continue;
    const app = new App({ outdir: path.join(process.env.OUTDIR, file + '-' + name) });
    const stack = new EcsPlatformStack(app, 'Platform', {
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      serviceConnectNamespace: needsNamespace ? 'internal' : undefined,
    });
    const further = FURTHER[file + '#' + name];
    fn(stack.platform, ...(further ? further(stack.platform) : []));
    const assembly = app.synth();
    const messages = assembly.stacks.flatMap((artifact) => artifact.messages)
      .filter((message) => message.level !== 'info')
      .map((message) => ({ level: message.level, text: message.level + ' at ' + message.id + ': ' + String(message.entry.data) }));
    const taskDefinitions = assembly.stacks.flatMap((artifact) => Object.values(artifact.template.Resources))
      .filter((resource) => resource.Type === 'AWS::ECS::TaskDefinition').length;
    results.push({ workload: file + '#' + name, messages, taskDefinitions });
  }
}
fs.writeFileSync(process.env.RESULTS, JSON.stringify(results, undefined, 2));
`;

describe('the example workload files, copied into an app that installed the package', () => {
  let scratch: string;
  let app: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-workloads-'));
    ({ app } = installPackedLibrary(scratch));
    // each file copied with its one import path changed, as examples/README.md tells users to
    for (const file of WORKLOAD_FILES) {
      const source = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
      const copied = source.replace(/ from '\.\.\/\.\.\/src';$/gm, ' from \'cdk-ecs-platform\';');
      expect({ file, changedLines: source.split('\n').filter((line, i) => line !== copied.split('\n')[i]).length })
        .toEqual({ file, changedLines: 1 });
      fs.writeFileSync(path.join(app, copiedName(file)), copied);
    }
  }, 120_000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('type-check, strict, against the installed package\'s typings', () => {
    const program = ts.createProgram(WORKLOAD_FILES.map((file) => path.join(app, copiedName(file))), {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2020,
      // as the library itself compiles (its tsconfig): Node16 modules, CommonJS in an app without "type": "module"
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.es2020.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) =>
      `${diagnostic.file ? path.basename(diagnostic.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
    // and they were resolved from the installed package, not from this repository
    const resolved = program.getSourceFiles().map((source) => source.fileName).filter((name) => name.includes('cdk-ecs-platform/lib/index.d.ts'));
    expect(resolved).toEqual([path.join(app, 'node_modules', 'cdk-ecs-platform', 'lib', 'index.d.ts')]);
  }, 120_000);

  test('transpiled, synthesize on a default platform of the installed package with no error, warned only of capacity', () => {
    for (const file of WORKLOAD_FILES) {
      const output = ts.transpileModule(fs.readFileSync(path.join(app, copiedName(file)), 'utf8'), {
        compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
        fileName: copiedName(file),
      });
      fs.writeFileSync(path.join(app, copiedName(file).replace(/\.ts$/, '.js')), output.outputText);
    }
    fs.writeFileSync(path.join(app, 'apply-all.js'), applyAll(WORKLOAD_FILES.map((file) => copiedName(file).replace(/\.ts$/, '.js'))));
    const results = path.join(scratch, 'results.json');
    run(process.execPath, ['apply-all.js'], app, { OUTDIR: path.join(scratch, 'cdk.out'), RESULTS: results, CDK_VALIDATION: 'false' });

    const applied = JSON.parse(fs.readFileSync(results, 'utf8')) as Array<{
      workload: string; messages: Array<{ level: string; text: string }>; taskDefinitions: number;
    }>;
    // every add* function of every file ran, and added its task definitions
    expect(applied.length).toBeGreaterThanOrEqual(WORKLOAD_FILES.length);
    expect(applied.filter((result) => result.taskDefinitions === 0).map((result) => result.workload)).toEqual([]);
    const isCapacityWarning = (message: { level: string; text: string }) =>
      message.level === 'warning' && /\[ack: cdk-ecs-platform:EcsCluster\.capacity-(insufficient|partial-fit)\]/.test(message.text);
    expect(applied.flatMap((result) => result.messages.filter((message) => !isCapacityWarning(message)).map((message) => message.text)))
      .toEqual([]);
  }, 180_000);
});
