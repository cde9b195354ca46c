import * as fs from 'fs';
import * as path from 'path';

/**
 * The summaries of API.md: the description column of its API tables, and the first paragraph under each
 * heading that has an anchor (types, members, parameters).
 *
 * jsii-docgen takes the first sentence of a doc comment as its summary, and a sentence that goes on after a
 * semicolon (or `? `, or an abbreviation like `e.g. `) is cut there, leaving a summary that stops mid-thought.
 */
function apiSummaries(markdown: string): string[] {
  const lines = markdown.split('\n');
  const summaries: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const row = line.match(/^\| <code>.*\| (.*) \|$/);
    if (row) {
      const cells = row[1].split(' | ');
      summaries.push(cells[cells.length - 1]);
      continue;
    }
    if (!/^#{3,6} .* id="[^"]+"><\/a>$/.test(line)) {
      continue;
    }
    const paragraph: string[] = [];
    let inCode = false;
    for (let j = i + 1; j < lines.length && !lines[j].startsWith('#') && !lines[j].startsWith('---'); j++) {
      const next = lines[j];
      if (next.startsWith('```')) {
        inCode = !inCode;
        continue;
      }
      if (inCode || /^(- \*|\*Example\*|>|\|)/.test(next)) {
        continue;
      }
      if (next.trim() === '') {
        if (paragraph.length > 0) break;
        continue;
      }
      paragraph.push(next.trim());
    }
    if (paragraph.length > 0) {
      summaries.push(paragraph.join(' '));
    }
  }
  return summaries;
}

/** The summaries that end with `;`, `:` or `?`: the first sentence of their doc comment was cut. */
function truncatedSummaries(markdown: string): string[] {
  return [...new Set(apiSummaries(markdown).filter((summary) => /[;:?]$/.test(summary.trim())))];
}

describe('API.md summaries', () => {
  const markdown = fs.readFileSync(path.join(__dirname, '..', 'API.md'), 'utf8');

  test('are found in the tables and under the headings', () => {
    expect(apiSummaries(markdown).length).toBeGreaterThan(500);
  });

  test('none ends with a semicolon, a colon or a question mark', () => {
    expect(truncatedSummaries(markdown)).toEqual([]);
  });

  test('the check catches a summary cut at a semicolon, in a table and under a heading', () => {
    const cut = [
      '| <code><a href="#cdk-ecs-platform.EcsPlatformStack.addCapacity">addCapacity</a></code> | Adds a capacity to the platform\'s cluster; |',
      '',
      '##### `addCapacity` <a name="addCapacity" id="cdk-ecs-platform.EcsPlatformStack.addCapacity"></a>',
      '',
      '```typescript',
      'public addCapacity(id: string): Ec2Capacity',
      '```',
      '',
      'Adds a capacity to the platform\'s cluster, as its platform does:',
      '',
      'see `EcsPlatform.addCapacity()`.',
    ].join('\n');
    expect(truncatedSummaries(cut)).toEqual([
      'Adds a capacity to the platform\'s cluster;',
      'Adds a capacity to the platform\'s cluster, as its platform does:',
    ]);
  });
});
