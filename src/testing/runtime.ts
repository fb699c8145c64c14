/**
 * The program side of an offline run: Pulumi's own mocks (`pulumi.runtime.setMocks`) stand in for the
 * engine's resource monitor, with two additions an engine has: the options each resource was
 * registered with (dependencies, protect, retainOnDelete, ...), which the mocks do not pass on, and an
 * engine address for log messages.
 */
import * as pulumi from "@pulumi/pulumi";

/** How a resource was registered, as the engine sees it. */
export interface Registration {
  type: string;
  name: string;
  urn: string;
  parent: string;
  custom: boolean;
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  deletedWith: string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDeletedwith(): string;
}

type RegisterResource = (request: RegisterRequest, callback: (error: unknown, response: unknown) => void) => Promise<void>;

export interface RuntimeOptions {
  project: string;
  stack: string;
  preview: boolean;
  /** The program's stack config, keyed `namespace:key`. */
  config: Record<string, string>;
  /** Where log messages go (a FakeEngine's address). */
  engineAddress: string;
}

/** The URN Pulumi gives a resource (as the engine and the mock monitor build it). */
export function urnOf(project: string, stack: string, parent: string, type: string, name: string): string {
  const qualified = parent === "" ? type : `${parent.split("::")[2]!.split("$").pop()!}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * Points the Pulumi runtime of this process at `mocks`. `newResource` can read the registration being
 * served with `current()`: the mock monitor calls it synchronously within `registerResource`.
 */
export async function useMocks(mocks: pulumi.runtime.Mocks, options: RuntimeOptions): Promise<{ current(): Registration | undefined }> {
  pulumi.runtime.setAllConfig(options.config);
  // setMocks keeps the engine address it finds; the mock monitor is its own.
  pulumi.runtime.resetOptions(options.project, options.stack, -1, options.engineAddress, "", options.preview, "");
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview);
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: RegisterResource };
  const serve = monitor.registerResource.bind(monitor);
  let current: Registration | undefined;
  monitor.registerResource = (request, callback) => {
    const parent = request.getParent();
    current = {
      type: request.getType(),
      name: request.getName(),
      urn: urnOf(options.project, options.stack, parent, request.getType(), request.getName()),
      parent,
      custom: request.getCustom(),
      dependencies: request.getDependenciesList(),
      protect: request.getProtect() === true,
      retainOnDelete: request.getRetainondelete() === true,
      deleteBeforeReplace: request.getDeletebeforereplace(),
      ignoreChanges: request.getIgnorechangesList(),
      deletedWith: request.getDeletedwith(),
    };
    const served = serve(request, callback);
    current = undefined;
    return served;
  };
  return { current: () => current };
}
