/**
 * A module that loads on first use: `lazyModule(() => require('./optional-part') as typeof import('./optional-part'))`
 * returns a function that requires the module the first time it is called and returns the same module every time.
 *
 * For the optional parts of the platform (the web ACL, the AMI update alerts and their Lambda function, monitoring,
 * queue workers, scheduled tasks), so that a platform without them never loads their modules, nor the aws-cdk-lib
 * modules they build on (issue 16). Their types come from `import type`, which TypeScript erases; the `require` stays
 * in the module that needs it, so that its path is relative to that module, as an `import` would be.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: { readonly module: T } | undefined;
  return () => (loaded ??= { module: load() }).module;
}
