/** How the benchmark scripts read their command line: `--flag value`, `--flag=value` and bare `--flag`. */

/** What a flag does with its value; `value()` reads it (the next argument, or what follows `=`). */
export type FlagHandler = (value: () => string) => void;

/**
 * Calls the handler of each flag of `argv` in order; `--` (which `npx projen bench -- …` passes on) is skipped,
 * `--help` prints `usage` and exits, and any other flag fails.
 */
export function parseFlags(argv: string[], usage: string, handlers: Record<string, FlagHandler>): void {
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--') continue;
    if (flag === '--help') {
      console.log(`usage: ${usage}`);
      process.exit(0);
    }
    const handler = handlers[flag];
    if (!handler) throw new Error(`unknown option ${argv[i]} (try --help)`);
    handler(() => inline ?? argv[++i]);
  }
}

/** The number of rounds given to `--rounds`: an integer of at least 1. */
export function roundsFrom(text: string): number {
  const rounds = Number(text);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be an integer ≥ 1, got: ${text}`);
  return rounds;
}
