/**
 * Every TypeScript snippet of the README and of docs/ compiles as a user would write it: each snippet is a module of
 * its own, with its own imports (no fixture supplies them), type-checked strictly with `cdk-ecs-platform` resolved to
 * this repository's src/index.ts. All snippets are checked in one TypeScript program, so the library and aws-cdk-lib
 * are read once. jsii-rosetta (`npx projen rosetta:extract`) compiles the README's snippets too, but not docs/.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { codeBlocks, documentationFiles, ROOT } from './markdown';

/** One ```ts block, at its place in the documentation. */
interface Snippet {
  /** Where the snippet is: the Markdown file, relative to the repository's root. */
  readonly file: string;
  /** The line of the Markdown file where the snippet's code starts. */
  readonly line: number;
  readonly code: string;
}

/** The languages a code block of the documentation may have: TypeScript, which is compiled, and text that is not code. */
const LANGUAGES = ['ts', 'sh', 'json', 'text'];

function snippetsOf(file: string): Snippet[] {
  return codeBlocks(fs.readFileSync(path.join(ROOT, file), 'utf8'))
    .filter((block) => block.language === 'ts')
    .map((block) => ({ file, line: block.line, code: block.code }));
}

/**
 * Type-checks `snippets` in one program, each as a module of its own, and returns each diagnostic as
 * `<markdown file>:<line>: <message>`, the line being the Markdown file's.
 */
function typeCheck(snippets: Snippet[]): string[] {
  // Virtual files next to their Markdown file: module resolution finds node_modules from there, and nothing is written.
  const modules = new Map(snippets.map((snippet) => [
    path.join(ROOT, `${snippet.file}.line-${snippet.line}.snippet.ts`),
    snippet,
  ]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    paths: { 'cdk-ecs-platform': [path.join(ROOT, 'src', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (fileName) => modules.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => modules.get(fileName)?.code ?? readFile.call(host, fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const snippet = modules.get(fileName);
    return snippet !== undefined
      ? ts.createSourceFile(fileName, snippet.code, languageVersion, true)
      : getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([...modules.keys()], options, host);

  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
    .map((diagnostic) => `compiler: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  return [...global, ...[...modules].flatMap(([fileName, snippet]) => {
    const source = program.getSourceFile(fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    return diagnostics.map((diagnostic) => {
      const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${snippet.file}:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
  })];
}

describe('the snippets of the README and docs/', () => {
  const files = documentationFiles();
  const snippets = files.flatMap(snippetsOf);

  /** A snippet that is wrong on its third line, checked in the same program, so that a failure is known to show. */
  const broken: Snippet = {
    file: 'docs/broken-example.md',
    line: 10,
    code: "import { EcsCluster } from 'cdk-ecs-platform';\n\nnew EcsCluster(undefined, 'Cluster', {});\n",
  };
  const diagnostics = typeCheck([...snippets, broken]);

  test('are found in the README and in every page of docs/ that has TypeScript', () => {
    expect(files).toContain('README.md');
    expect(files.filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(10);
    expect(snippets.filter((snippet) => snippet.file === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(snippets.filter((snippet) => snippet.file.startsWith('docs/')).length).toBeGreaterThan(20);
  });

  test('use only code blocks of a known language: TypeScript is never hidden in a block that is not compiled', () => {
    const unknown = files.flatMap((file) => codeBlocks(fs.readFileSync(path.join(ROOT, file), 'utf8'))
      .filter((block) => !LANGUAGES.includes(block.language))
      .map((block) => `${file}:${block.line - 1}: \`\`\`${block.language}`));
    expect(unknown).toEqual([]);
  });

  test('each import what they use from cdk-ecs-platform: no fixture supplies it', () => {
    const withoutImport = snippets.filter((snippet) => !/^import \{[^}]+\} from 'cdk-ecs-platform';$/m.test(snippet.code))
      .map((snippet) => `${snippet.file}:${snippet.line}`);
    expect(withoutImport).toEqual([]);
  });

  test('compile, each as a module of its own, in one strict TypeScript program', () => {
    expect(diagnostics.filter((diagnostic) => !diagnostic.startsWith(`${broken.file}:`))).toEqual([]);
  });

  test('a snippet that does not compile is reported with its file, its line and the diagnostic', () => {
    expect(diagnostics.filter((diagnostic) => diagnostic.startsWith(`${broken.file}:`))).toEqual([
      expect.stringMatching(/^docs\/broken-example\.md:12: Argument of type 'undefined' is not assignable to parameter of type 'Construct'/),
    ]);
  });
});
