import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The commands of the README's quick start block: the first `sh` block after "## Quick start". */
function quickStartCommands(): string[] {
  const section = read('README.md').split('## Quick start')[1];
  const block = section.split('```sh')[1].split('```')[0];
  return block.trim().split('\n').map((line) => line.replace(/#.*$/, '').trim());
}

describe('README quick start', () => {
  test('shows exactly two commands: install and synthesize, then the test suite', () => {
    expect(quickStartCommands()).toEqual(['npm ci && npm run synth:example', 'npm run build']);
  });

  test('its test command is the one .ci/run runs', () => {
    const [, testCommand] = quickStartCommands();
    expect(read('.ci/run').split('\n').map((line) => line.trim())).toContain(`${testCommand} || status=$?`);
  });

  test('its synth command synthesizes the flagship example with the cdk CLI', () => {
    const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
    expect(tasks['synth:example'].steps[0].exec).toMatch(/^cdk synth .*--output cdk\.out/);
    expect(JSON.parse(read('cdk.json')).app).toMatch(/examples\/production-platform\/platform\.ts$/);
  });
});
