/**
 * The user documentation holds together: every page of docs/ says in one line what it is and leads back to the
 * README, the README leads to every page, and every relative link of the README, CONTRIBUTING.md and docs/ leads to a
 * file that exists, and to a heading of it when it names one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documentationFiles, headingAnchors, linkTargets, ROOT } from './markdown';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pages = documentationFiles().filter((file) => file.startsWith('docs/'));

/** Every relative link of `file` (its text: `markdown`) that does not resolve, as `<file>: <target> (<why>)`. */
function brokenLinks(file: string, markdown = read(file)): string[] {
  return linkTargets(markdown)
    .filter((target) => !/^[a-z]+:/.test(target))
    .flatMap((target) => {
      const [pathPart, anchor] = target.split('#');
      const resolved = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
      if (!fs.existsSync(path.join(ROOT, resolved))) return [`${file}: ${target} (no such file)`];
      if (anchor === undefined || !resolved.endsWith('.md')) return [];
      return headingAnchors(read(resolved)).includes(`#${anchor}`) ? [] : [`${file}: ${target} (no such heading)`];
    });
}

test('docs/ has the pages the README links to', () => {
  expect(pages.length).toBeGreaterThan(10);
});

test.each(pages)('%s starts with its title and a one-line summary that links back to the README', (file) => {
  const [title, blank, summary, after] = read(file).split('\n');
  expect(title).toMatch(/^# \S/);
  expect(blank).toBe('');
  expect(summary).toContain('](../README.md)');
  expect(after).toBe('');
});

test('the README links to every page of docs/', () => {
  const linked = new Set(linkTargets(read('README.md')).map((target) => target.split('#')[0]));
  expect(pages.filter((page) => !linked.has(page))).toEqual([]);
});

test('every relative link of the README, CONTRIBUTING.md and docs/ leads to a file, and to a heading when it names one', () => {
  expect([...documentationFiles(), 'CONTRIBUTING.md'].flatMap((file) => brokenLinks(file))).toEqual([]);
});

test('a link to a missing file or heading is reported, one to an existing heading or another site is not', () => {
  const markdown = 'See [the cluster](cluster.md#ecscluster), [nothing](cluster.md#no-such-heading), [no page](no-such-page.md),'
    + ' [the README](../README.md#deploying) and [AWS](https://docs.aws.amazon.com/).';
  expect(brokenLinks('docs/example.md', markdown)).toEqual([
    'docs/example.md: cluster.md#no-such-heading (no such heading)',
    'docs/example.md: no-such-page.md (no such file)',
  ]);
});
