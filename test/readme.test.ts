import * as fs from 'fs';
import * as path from 'path';
import { codeBlocks, headingAnchors, proseLines, ROOT as root, sectionOf } from './markdown';

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The `##` headings of the README, in order. */
function sectionHeadings(): string[] {
  return proseLines(read('README.md')).filter((line) => /^## /.test(line)).map((line) => line.slice(3));
}

/** The links of the README's table of contents: the list right after "## Contents". */
function tableOfContents(): Array<{ title: string; target: string }> {
  const section = sectionOf(read('README.md'), 'Contents');
  return [...section.matchAll(/^- \[(.+?)\]\((.+?)\)$/gm)].map((match) => ({ title: match[1], target: match[2] }));
}

/** The commands of the "Working on this repository" block: the first `sh` block after that heading. */
function repositoryCommands(): string[] {
  const block = codeBlocks(sectionOf(read('README.md'), 'Working on this repository')).find((candidate) => candidate.language === 'sh');
  return (block?.code ?? '').trim().split('\n').map((line) => line.replace(/#.*$/, '').trim());
}

describe('README', () => {
  test('is at most 25,000 bytes: the detail lives in docs/', () => {
    expect(fs.statSync(path.join(root, 'README.md')).size).toBeLessThanOrEqual(25_000);
  });

  test('has a table of contents right after its introduction', () => {
    expect(sectionHeadings()[0]).toBe('Contents');
    expect(tableOfContents().length).toBeGreaterThan(0);
  });

  test('its table of contents lists every `##` section, in order', () => {
    expect(tableOfContents().map((entry) => entry.title)).toEqual(sectionHeadings().filter((heading) => heading !== 'Contents'));
  });

  test('every link of its table of contents leads to a heading of the README', () => {
    const anchors = headingAnchors(read('README.md'));
    for (const entry of tableOfContents()) expect(anchors).toContain(entry.target);
  });

  test('shows the users\' quick start before anything about working on this repository', () => {
    const headings = sectionHeadings();
    expect(headings).toContain('Quick start');
    expect(headings[headings.length - 1]).toBe('Working on this repository');
  });
});

describe('README "Working on this repository"', () => {
  test('shows exactly two commands: install and synthesize, then the test suite', () => {
    expect(repositoryCommands()).toEqual(['npm ci && npm run synth:example', 'npm run build']);
  });

  test('its test command is the one .ci/run runs', () => {
    const [, testCommand] = repositoryCommands();
    expect(read('.ci/run').split('\n').map((line) => line.trim())).toContain(`${testCommand} || status=$?`);
  });

  test('its synth command synthesizes the flagship example with the cdk CLI', () => {
    const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
    expect(tasks['synth:example'].steps[0].exec).toMatch(/^cdk synth .*--output cdk\.out/);
    expect(JSON.parse(read('cdk.json')).app).toMatch(/examples\/production-platform\/platform\.ts$/);
  });

  test('links to CONTRIBUTING.md, which exists', () => {
    const section = sectionOf(read('README.md'), 'Working on this repository');
    expect(section).toContain('(CONTRIBUTING.md)');
    expect(fs.existsSync(path.join(root, 'CONTRIBUTING.md'))).toBe(true);
  });
});
