/**
 * The provider object Pulumi serializes into each dynamic resource's state (`__provider`). It is a tiny
 * shim: each method requires the implementation by this package's stable path when it runs and delegates,
 * so nothing is captured by value (no client, no credential, no config), the text stays a few hundred bytes
 * per method, and refresh or destroy of an old stack run the installed code.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The package path of the implementations (package.json `exports`). Changing it breaks existing stacks. */
export const PROVIDERS_MODULE = "pulumi-azure-vm-backup/providers";

export function makeShim(kind: string): pulumi.dynamic.ResourceProvider {
  // Resolved as a file of the program directory (the host's working directory) would resolve it: from its
  // node_modules, or by the package's own name inside this package (its examples).
  // A require at call time, not an import: Pulumi serializes this function's text into the state (DESIGN §3).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (): pulumi.dynamic.ResourceProvider => require("module").createRequire(`${process.cwd()}/`)("pulumi-azure-vm-backup/providers").provider(kind);
  return {
    configure: (req) => load().configure!(req),
    check: (olds, news) => load().check!(olds, news),
    diff: (id, olds, news) => load().diff!(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read!(id, props),
    update: (id, olds, news) => load().update!(id, olds, news),
    delete: (id, props) => load().delete!(id, props),
  };
}
