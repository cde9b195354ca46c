import { awscdk, javascript, JsonFile } from 'projen';

/** The aws-cdk-lib we build and test against (TOOLCHAIN.md): pinned in devDependencies. */
const cdkDevVersion = '2.276.0';
/**
 * The oldest aws-cdk-lib the library works with, consumers' peer floor (`^` of it): proven by
 * `scripts/check-cdk-floor.sh` (compiles src/ and examples/ against it and synthesizes every example).
 */
const cdkVersion = '2.269.0';
/** constructs, pinned for development, `^` of it for consumers. */
const constructsVersion = '10.5.1';

/** Every shell that runs a task gets these: no jsii Node-20 banner, no AWS credential or IMDS probing. */
const quietEnv = {
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  AWS_EC2_METADATA_DISABLED: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ecs-platform',
  description: 'Opinionated AWS CDK constructs for a production Amazon ECS platform on EC2: cluster, ASG capacity, shared ALB, awsvpc services, task roles, SSM secrets, logs and ECR.',
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'ecs', 'ec2', 'containers', 'alb', 'platform'],
  author: 'cdk-ecs-platform maintainers',
  authorAddress: 'maintainers@cdk-ecs-platform.dev',
  repositoryUrl: 'https://github.com/cdk-ecs-platform/cdk-ecs-platform.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  sampleCode: false,
  stability: 'experimental',

  // Releases the Construct Hub way: every push to main builds, bumps the version from the conventional commits since
  // the last tag (0.x while majorVersion is 0), writes the CHANGELOG, tags, creates the GitHub release and publishes
  // to npm (secret NPM_TOKEN), PyPI (TWINE_USERNAME, TWINE_PASSWORD), Maven Central (MAVEN_*), NuGet (NUGET_API_KEY)
  // and Go (GO_GITHUB_TOKEN). The workflows only run on GitHub's runners, which have every toolchain.
  github: true,
  release: true,
  releaseToNpm: true,
  npmAccess: javascript.NpmAccess.PUBLIC,
  majorVersion: 0,
  // The build workflow fails when the build changes committed files, as .ci/run does, instead of pushing a commit.
  buildWorkflowOptions: { mutableBuild: false },
  // Nothing that needs a token we do not define (PROJEN_GITHUB_TOKEN) or a bot of ours.
  depsUpgrade: false,
  autoApproveUpgrades: false,
  githubOptions: { mergify: false, pullRequestLint: false },
  pullRequestTemplate: false,

  publishToPypi: { distName: 'cdk_ecs_platform', module: 'cdk_ecs_platform' },
  publishToMaven: {
    javaPackage: 'io.github.cdkecsplatform',
    mavenGroupId: 'io.github.cdk-ecs-platform',
    mavenArtifactId: 'cdk-ecs-platform',
  },
  publishToNuget: { dotNetNamespace: 'CdkEcsPlatform', packageId: 'CdkEcsPlatform' },
  publishToGo: { moduleName: 'github.com/cdk-ecs-platform/cdk-ecs-platform-go' },

  cdkVersion,
  constructsVersion,
  // projen pins each peer's floor as the dev version: pin the version we test with instead (the snapshots and the
  // CloudFormation schema validation of the tests follow it), the peer ranges stay `^cdkVersion` and `^constructsVersion`.
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.0',

  devDeps: [
    `aws-cdk-lib@${cdkDevVersion}`,
    'cdk-nag@^3.0.2',
    'aws-cdk@^2.1148.1',
    'fast-check@^4',
  ],

  typecheckTests: true,
  // the test task type-checks the test suite with tsc first: ts-jest only transpiles (much faster, cold or warm)
  tsJestOptions: { transformOptions: { isolatedModules: true } },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // instruments src/ only: V8 coverage slows aws-cdk-lib too (+32 % on test/service, against +13 %)
      coverageProvider: 'babel',
      // a worker per core: jest's default (cores − 1) runs the suites one at a time on a 2-core CI machine
      maxWorkers: '100%',
      coverageThreshold: {
        branches: 90,
        functions: 90,
        lines: 90,
        statements: 90,
      },
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
  },
  gitignore: ['cdk.out/', '.cdk.staging/', 'bench/out/', '.jsii.tabl.json'],
});
// After the constructor: projen's CDK dependencies remove a `constructs` dev dependency given in `devDeps`.
project.addDevDeps(`constructs@${constructsVersion}`);

// jsii warns that the dev aws-cdk-lib is not the peer floor: on purpose (see cdkVersion), the floor has its own check.
const jsiiFlags = '--silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency';
project.compileTask.reset(`jsii ${jsiiFlags}`);
// The entry point jsii compiles from `export * from ...` loads every module of the library, the optional ones too:
// rewritten into a lazy one (as aws-cdk-lib's), each export loads its module on first use (projenrc/lazy-entry-point.ts).
const lazyEntryPoint = 'ts-node --transpile-only --project projenrc/tsconfig.json projenrc/lazy-entry-point.ts';
project.compileTask.exec(`${lazyEntryPoint} src lib`, { name: 'Lazy entry point: lib/index.js loads each export on first use' });
project.tasks.tryFind('watch')?.reset(`jsii -w ${jsiiFlags}`);

// Examples are type-checked and linted with the tests, but never shipped.
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');
// eslint's project service looks for the nearest tsconfig.json: give examples/ and bench/ their own.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['**/*.ts'], exclude: ['out'] },
  });
}
// What the tarball holds is an allow-list (test/package-contents.test.ts checks it): the compiled library, its jsii
// assembly and its documentation. npm adds package.json, README.md and LICENSE itself. .npmignore stays for the
// nested files it still excludes, but a new top-level folder (cdk.out/, .ci/, …) can no longer leak into the package.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md', 'docs/']);
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/cdk.json');
project.addPackageIgnore('/rosetta/');
project.addPackageIgnore('/scripts/');

for (const [name, value] of Object.entries(quietEnv)) {
  project.tasks.addEnvironment(name, value);
}

// Two jest runs: the unit suites with coverage (and its thresholds), then the whole-app suites of test/integration/
// (examples, compliance packs, property tests, determinism, stateful ids) without it. V8 coverage slows every line
// that runs, aws-cdk-lib's and cdk-nag's too, about 2.5 times, and those suites are nearly all aws-cdk-lib and cdk-nag.
// Each run writes its own JUnit report; .ci/run adds them up.
const lintTask = project.tasks.tryFind('eslint')!;
project.testTask.reset();
project.testTask.exec('tsc --noEmit -p test/tsconfig.json', { name: 'Type-check the test suite' });
project.testTask.exec('jest --passWithNoTests --ci \'^(?!.*test/integration/)\'', {
  name: 'Unit tests, with coverage',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-unit.xml' },
});
project.testTask.exec('jest --passWithNoTests --ci --coverage=false test/integration/', {
  name: 'Whole-app tests (test/integration/), without coverage',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-integration.xml' },
});
project.testTask.spawn(lintTask);

// The build packages JavaScript only: packaging the Python, Java, .NET and Go targets needs their registries (PyPI,
// Maven, NuGet, the Go proxy), which the build does not reach; jsii still validates the API for every target as it compiles.
project.tasks.tryFind('package-all')?.reset();
project.tasks.tryFind('package-all')?.spawn(project.tasks.tryFind('package:js')!);

// The README's snippets and the API's @examples must compile (jsii-rosetta, strict), right after the compile step.
// Its fixture (rosetta/default.ts-fixture) is only the placeholder: each snippet imports what it uses. Rosetta reads
// the README only; test/docs-snippets.test.ts compiles the snippets of the README and docs/ as modules of their own.
project.postCompileTask.spawn(project.addTask('rosetta:extract', {
  description: 'Compile every TypeScript snippet of the README and every @example of the API with jsii-rosetta (strict)',
  exec: 'jsii-rosetta extract --strict',
}));

// Benchmarks are scripts, not tests: compiled with tsc and run with node, so the numbers are stable.
project.addTask('bench', {
  description: 'Synth benchmark against stock aws-cdk-lib: time, memory, resources and template size by number of services (bench/synth.ts; pass --sizes, --rounds, --no-monitoring after --)',
  steps: [
    { exec: 'tsc -p bench/tsconfig.json --noEmit false --declaration false --outDir bench/out' },
    { exec: `${lazyEntryPoint} src bench/out/src`, name: 'The same lazy entry point as the package\'s lib/index.js' },
    { exec: 'node bench/out/bench/synth.js', receiveArgs: true },
  ],
});

// `npx cdk synth` from the repository root synthesizes the flagship example.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node --prefer-ts-exts --transpile-only examples/production-platform/platform.ts',
    output: 'cdk.out',
    context: {},
  },
});

// The README's first command: synthesize the flagship example with the real cdk CLI, offline, into cdk.out/.
project.addTask('synth:example', {
  description: 'Synthesize examples/production-platform/platform.ts with the cdk CLI into cdk.out/ (offline, no AWS credentials)',
  steps: [
    { exec: 'cdk synth --quiet --no-notices --no-version-reporting --output cdk.out' },
    { say: 'Templates written to cdk.out/ (EcsPlatform.template.json is the platform stack).' },
  ],
});

// What @cdklabs/no-literal-partition checks (that plugin still pins typescript-eslint 7): ARNs are built with
// Stack.formatArn / Aws.PARTITION, so that the constructs also work in aws-cn and aws-us-gov.
project.eslint?.addRules({
  'no-restricted-syntax': ['error', {
    selector: 'Literal[value=/arn:aw[s]:/], TemplateElement[value.raw=/arn:aw[s]:/]',
    message: 'Do not hard-code the `aws` partition in an ARN: use Stack.formatArn() or Aws.PARTITION.',
  }],
});
// The code map (CONTRIBUTING.md): the parts of src/ import only the parts below them, and no module imports itself
// back. test/eslint-rules.test.ts lints deliberately wrong imports, so that neither rule can silently be off.
//   platform (src/platform.ts, src/platform-stack.ts, src/private/) → monitoring → service → cluster → shared
//                                                                               service → security → shared
/** The folders of each part of src/, and the parts each may import (besides itself). The platform may import any. */
const parts: Record<string, { paths: string[]; imports: string[] }> = {
  platform: { paths: ['./src/platform.ts', './src/platform-stack.ts', './src/index.ts', './src/private'], imports: [] },
  monitoring: { paths: ['./src/monitoring'], imports: ['service', 'cluster', 'security', 'shared'] },
  service: { paths: ['./src/service'], imports: ['cluster', 'security', 'shared'] },
  cluster: { paths: ['./src/cluster'], imports: ['shared'] },
  security: { paths: ['./src/security'], imports: ['shared'] },
  shared: { paths: ['./src/shared'], imports: [] },
};
const layerZones = Object.entries(parts).filter(([name]) => name !== 'platform').map(([name, { paths, imports }]) => ({
  target: paths,
  from: Object.entries(parts).filter(([other]) => other !== name && !imports.includes(other)).flatMap(([, part]) => part.paths),
  message: `src/${name} may import ${imports.length ? `only ${imports.map((part) => `src/${part}`).join(', ')}` : 'no other part of src/'} `
    + '(dependencies point one way: CONTRIBUTING.md, Code map).',
}));
project.eslint?.addRules({
  // disableScc: the rule's shortcut (strongly connected components) reads the linted file from disk, so it would miss
  // a cycle that only the text being linted makes (an editor buffer, the test's probes); without it, it follows imports.
  'import/no-cycle': ['error', { ignoreExternal: true, disableScc: true }],
  'import/no-restricted-paths': ['error', { zones: layerZones }],
});
// Examples and tests stand for user code, where a literal ARN of the user's own resource is normal.
project.eslint?.addOverride({ files: ['examples/**/*.ts', 'test/**/*.ts'], rules: { 'no-restricted-syntax': 'off' } });

project.synth();
