import * as path from 'path';
import { loadESLint } from 'eslint';

/**
 * The rules of the code map (CONTRIBUTING.md, .projenrc.ts): `import/no-restricted-paths` keeps the dependencies
 * between the parts of src/ pointing one way, `import/no-cycle` refuses any cycle. Both are linted here against
 * deliberately wrong imports, with the project's own ESLint configuration, so that neither can silently be off.
 */
const root = path.join(__dirname, '..');

/** The project's configuration is .eslintrc.json (projen's), which only ESLint's legacy class reads. */
let eslint: Pick<InstanceType<Awaited<ReturnType<typeof loadESLint>>>, 'lintText'>;
beforeAll(async () => {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  // Only the two rules under test, with the project's options and resolver settings: they need no type information,
  // so ESLint parses just the linted text, not the whole TypeScript project for the type-aware rules.
  const config = await new LegacyESLint({ cwd: root }).calculateConfigForFile(path.join(root, 'src', 'platform.ts'));
  const otherRules = Object.keys(config.rules ?? {}).filter((rule) => rule !== 'import/no-restricted-paths' && rule !== 'import/no-cycle');
  eslint = new LegacyESLint({
    cwd: root,
    overrideConfig: {
      parserOptions: { projectService: false, project: null },
      rules: Object.fromEntries(otherRules.map((rule) => [rule, 'off'])),
    },
  });
}, 120_000);

/** The messages of `rule` when `filePath` (relative to the repository) holds `code`. */
async function lint(filePath: string, code: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  const fatal = result.messages.filter((message) => message.fatal);
  expect(fatal).toEqual([]);
  return result.messages.filter((message) => message.ruleId === rule).map((message) => message.message);
}

describe('the direction of the dependencies (import/no-restricted-paths)', () => {
  test.each([
    ['src/cluster/ecs-cluster.ts', '../service/web-service', 'src/cluster may import only src/shared'],
    ['src/cluster/private/capacity-plan.ts', '../../monitoring/platform-alarms', 'src/cluster may import only src/shared'],
    ['src/cluster/ec2-capacity.ts', '../security/task-roles', 'src/cluster may import only src/shared'],
    ['src/cluster/ec2-capacity.ts', '../private/stack-limits', 'src/cluster may import only src/shared'],
    ['src/service/web-service.ts', '../monitoring/platform-alarms', 'src/service may import only src/cluster, src/security, src/shared'],
    ['src/service/private/workload-task.ts', '../../platform', 'src/service may import only src/cluster, src/security, src/shared'],
    ['src/monitoring/platform-alarms.ts', '../platform-stack', 'src/monitoring may import only src/service, src/cluster, src/security, src/shared'],
    ['src/security/task-roles.ts', '../cluster/ecs-cluster', 'src/security may import only src/shared'],
    ['src/security/task-roles.ts', '../service/web-service', 'src/security may import only src/shared'],
    ['src/shared/removal.ts', '../cluster/ecs-cluster', 'src/shared may import no other part of src/'],
    ['src/shared/validate.ts', '../security/task-secret', 'src/shared may import no other part of src/'],
  ])('%s may not import %s', async (filePath, module, message) => {
    const messages = await lint(filePath, `import * as probe from '${module}';\nexport const PROBE = probe;\n`, 'import/no-restricted-paths');
    expect(messages).toEqual([expect.stringContaining(message)]);
  }, 120_000);

  test.each([
    ['src/platform.ts', './cluster/private/ami-families'],
    ['src/private/platform-web-acl.ts', '../monitoring/platform-alarms'],
    ['src/monitoring/platform-alarms.ts', '../cluster/ecs-cluster'],
    ['src/service/web-service.ts', '../cluster/ecs-cluster'],
    ['src/service/web-service.ts', '../security/task-roles'],
    ['src/cluster/ec2-capacity.ts', '../shared/validate'],
    ['src/security/task-roles.ts', '../shared/validate'],
  ])('%s may import %s', async (filePath, module) => {
    expect(await lint(filePath, `import * as probe from '${module}';\nexport const PROBE = probe;\n`, 'import/no-restricted-paths')).toEqual([]);
  }, 120_000);
});

describe('no cycles (import/no-cycle)', () => {
  test('a module may not import a module that imports it, within a part', async () => {
    // src/cluster/ecs-cluster.ts imports src/cluster/ec2-capacity.ts
    const messages = await lint('src/cluster/ec2-capacity.ts', "import { EcsCluster } from './ecs-cluster';\nexport const PROBE = EcsCluster;\n", 'import/no-cycle');
    expect(messages).toEqual([expect.stringContaining('Dependency cycle')]);
  }, 120_000);

  test('a module may import one that does not import it back', async () => {
    const messages = await lint('src/cluster/ecs-cluster.ts', "import { Ec2Capacity } from './ec2-capacity';\nexport const PROBE = Ec2Capacity;\n", 'import/no-cycle');
    expect(messages).toEqual([]);
  }, 120_000);
});
