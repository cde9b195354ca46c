import * as fs from 'fs';
import * as path from 'path';

/** The repository's root. */
export const ROOT = path.join(__dirname, '..');

/** The user documentation: the README and every page of docs/, as paths relative to the repository's root. */
export function documentationFiles(): string[] {
  const pages = fs.readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.posix.join('docs', file.split(path.sep).join('/')))
    .sort();
  return ['README.md', ...pages];
}

/** A fenced code block of a Markdown file: its language and its code, and the line of the file its code starts on. */
export interface CodeBlock {
  readonly language: string;
  readonly code: string;
  /** 1-based line of the file where the code (the line after the opening fence) starts. */
  readonly line: number;
}

/** Every fenced code block of `markdown`, in order. An opening fence without a language has the language ''. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { language: string; line: number; code: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const fence = /^```(\S*)/.exec(text);
      if (fence) open = { language: fence[1], line: index + 2, code: [] };
    } else if (/^```\s*$/.test(text)) {
      blocks.push({ language: open.language, code: open.code.join('\n'), line: open.line });
      open = undefined;
    } else {
      open.code.push(text);
    }
  });
  if (open !== undefined) throw new Error(`a code block opened on line ${open.line - 1} is never closed`);
  return blocks;
}

/** The lines of `markdown` outside fenced code blocks: a `#` in a shell block is a comment, not a heading. */
export function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The anchors of every heading of `markdown`, `#` included. */
export function headingAnchors(markdown: string): string[] {
  return proseLines(markdown).filter((line) => /^#{1,6} /.test(line)).map((line) => `#${anchorOf(line.replace(/^#+ /, ''))}`);
}

/** The targets of the inline links of `markdown`'s prose, `[text](target)`. */
export function linkTargets(markdown: string): string[] {
  return proseLines(markdown).flatMap((line) => [...line.replace(/`[^`]*`/g, (code) => (code.includes('](') ? '' : code))
    .matchAll(/\]\(([^()\s]+)\)/g)].map((match) => match[1]));
}

/**
 * The text of `markdown` under the heading `## heading`, up to the next `##` heading; '' when it has no such heading.
 * Its `###` subsections are part of it.
 */
export function sectionOf(markdown: string, heading: string): string {
  const start = markdown.split('\n').indexOf(`## ${heading}`);
  if (start < 0) return '';
  const rest = markdown.split('\n').slice(start + 1).join('\n');
  return rest.split(/^## /m)[0];
}
