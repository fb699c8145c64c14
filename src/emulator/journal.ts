/**
 * Change tracking for the emulator's state, so that a save writes what changed and not the whole state
 * (issue 13: with 1,000 protected VMs the state is ~3 MB, and rewriting it after every request made an
 * `up` write gigabytes).
 *
 * The state is handed to the model and handlers through proxies that note, as each write happens, which
 * record it touched: a record is an element of one of the state's collections (a vault's own fields; each
 * policy, item, job, discovered VM id, guard proxy and private endpoint connection of a vault; each
 * registration, operation, VM, deleted vault, resource guard and private endpoint). `flush()` then turns the
 * touched records and collections into journal operations: removals and insertions by position (found by
 * comparing the collection with a copy of its members at the last flush: O(collection) CPU for a collection
 * that changed, nothing for the others) and the new fields of each changed record. Replaying the operations
 * on the state they started from gives the state they ended at (`applyOps`).
 *
 * Writes that reach the state without passing through a proxy (an array the code kept after assigning it)
 * are not seen; the model assigns fresh arrays (`x = x.filter(...)`) and pushes through the state, which are.
 */
import type { EmulatorState } from "./state";

interface Shape {
  /** Arrays of a record that are collections themselves (their elements are journaled one by one). */
  children?: Record<string, Shape>;
}

const LEAF: Shape = {};
const VAULT: Shape = { children: { policies: LEAF, items: LEAF, jobs: LEAF, discovered: LEAF, guardProxies: LEAF, privateEndpointConnections: LEAF } };
const ROOT: Record<string, Shape> = {
  vaults: VAULT,
  registrations: LEAF,
  operations: LEAF,
  vms: LEAF,
  deletedVaults: LEAF,
  resourceGuards: LEAF,
  privateEndpoints: LEAF,
  keyVaults: LEAF,
  roleAssignments: LEAF,
  disks: LEAF,
};

/** One change to one collection, addressed by path: `["vaults"]` or `["vaults", 3, "items"]` (indices after the change). */
export interface JournalOp {
  c: Array<string | number>;
  /** The collection is gone (absent). */
  none?: true;
  /** The whole collection, when its change is not a set of removals and insertions (a reorder). */
  all?: unknown[];
  /** Positions removed, in the collection before the change, ascending. */
  rm?: number[];
  /** Elements inserted, at their position after the change, ascending. */
  ins?: Array<[number, unknown]>;
  /** A record's new fields (child collections excluded, kept as they are), at its position after the change. */
  set?: Array<[number, unknown]>;
}

/** The state's own fields other than collections (`version`): written whole when one changes. */
export interface JournalTop {
  top: Record<string, unknown>;
}

interface Collection {
  parent: object;
  prop: string;
  shape: Shape;
  /** The collection holding the parent record (child collections only). */
  owner?: Collection;
  /** Members at the last flush (undefined: the collection was absent). */
  persisted: unknown[] | undefined;
}

type Context =
  | { kind: "root" }
  | { kind: "top" }
  | { kind: "collection"; collection: Collection }
  | { kind: "record"; record: object; collection: Collection; self: boolean };

const isObject = (v: unknown): v is object => typeof v === "object" && v !== null;

export class StateTracker {
  /** The state as the model must see it: writes through it are tracked. */
  readonly state: EmulatorState;
  private readonly raw: EmulatorState;
  private readonly toRaw = new WeakMap<object, object>();
  private readonly proxies = new WeakMap<object, { context: Context; proxy: object }>();
  private readonly collections = new WeakMap<object, Map<string, Collection>>();
  private dirtyCollections = new Set<Collection>();
  private dirtyRecords = new Map<object, Collection>();
  private topDirty = false;

  constructor(raw: EmulatorState) {
    this.raw = raw;
    for (const prop of Object.keys(ROOT)) {
      const collection = this.collection(raw, prop, ROOT[prop]!);
      this.snapshot(collection);
    }
    this.state = this.wrap(raw, { kind: "root" }) as EmulatorState;
  }

  /** Whether anything changed since the last flush. */
  pending(): boolean {
    return this.topDirty || this.dirtyCollections.size > 0 || this.dirtyRecords.size > 0;
  }

  /** Everything changed since the last flush, as journal operations (empty when nothing did). */
  flush(): Array<JournalOp | JournalTop> {
    const ops: Array<JournalOp | JournalTop> = [];
    if (this.topDirty) {
      const top: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(this.raw)) if (!(k in ROOT) && k !== "savedAt") top[k] = v;
      ops.push({ top });
    }
    const touched = new Set<Collection>(this.dirtyCollections);
    for (const collection of this.dirtyRecords.values()) touched.add(collection);
    // Root collections first: child paths use the parents' positions after the root changes.
    const ordered = [...touched].sort((a, b) => (a.owner === undefined ? 0 : 1) - (b.owner === undefined ? 0 : 1));
    const fresh = new Set<unknown>();
    for (const collection of ordered) {
      let path: Array<string | number> = [collection.prop];
      if (collection.owner !== undefined) {
        if (fresh.has(collection.parent)) continue; // written whole with its parent
        const at = (collection.owner.parent as Record<string, unknown[] | undefined>)[collection.owner.prop]?.indexOf(collection.parent) ?? -1;
        if (at < 0) continue; // the parent record is gone
        path = [collection.owner.prop, at, collection.prop];
      }
      const op = this.diff(collection, path, fresh);
      if (op !== undefined) ops.push(op);
    }
    this.dirtyCollections = new Set();
    this.dirtyRecords = new Map();
    this.topDirty = false;
    return ops;
  }

  private diff(collection: Collection, c: Array<string | number>, fresh: Set<unknown>): JournalOp | undefined {
    const current = (collection.parent as Record<string, unknown>)[collection.prop];
    const old = collection.persisted;
    if (!Array.isArray(current)) {
      collection.persisted = undefined;
      return old === undefined ? undefined : { c, none: true };
    }
    const whole = (): JournalOp => {
      for (const member of current) fresh.add(member);
      this.snapshot(collection);
      return { c, all: current };
    };
    if (old === undefined) return whole();
    const now = new Set(current);
    const before = new Set(old);
    if (now.size !== current.length || before.size !== old.length) return whole(); // duplicates: positions are ambiguous
    const rm: number[] = [];
    const kept: unknown[] = [];
    old.forEach((member, i) => (now.has(member) ? kept.push(member) : rm.push(i)));
    const ins: Array<[number, unknown]> = [];
    const set: Array<[number, unknown]> = [];
    let k = 0;
    for (let i = 0; i < current.length; i++) {
      const member = current[i];
      if (!before.has(member)) {
        ins.push([i, member]);
        fresh.add(member);
      } else {
        if (kept[k++] !== member) return whole(); // reordered
        if (isObject(member) && this.dirtyRecords.get(member) === collection) set.push([i, ownFields(member, collection.shape)]);
      }
    }
    collection.persisted = current.slice();
    for (const [, member] of ins) if (isObject(member)) this.snapshotChildren(member, collection);
    if (rm.length === 0 && ins.length === 0 && set.length === 0) return undefined;
    return { c, ...(rm.length > 0 ? { rm } : {}), ...(ins.length > 0 ? { ins } : {}), ...(set.length > 0 ? { set } : {}) };
  }

  private collection(parent: object, prop: string, shape: Shape, owner?: Collection): Collection {
    let byProp = this.collections.get(parent);
    if (byProp === undefined) this.collections.set(parent, (byProp = new Map()));
    let collection = byProp.get(prop);
    if (collection === undefined) {
      collection = { parent, prop, shape, persisted: undefined, ...(owner === undefined ? {} : { owner }) };
      byProp.set(prop, collection);
    }
    return collection;
  }

  /** Records the collection's members as persisted (and its records' child collections). */
  private snapshot(collection: Collection): void {
    const current = (collection.parent as Record<string, unknown>)[collection.prop];
    collection.persisted = Array.isArray(current) ? current.slice() : undefined;
    if (collection.shape.children !== undefined && Array.isArray(current))
      for (const member of current) if (isObject(member)) this.snapshotChildren(member, collection);
  }

  private snapshotChildren(record: object, owner: Collection): void {
    for (const [prop, shape] of Object.entries(owner.shape.children ?? {})) this.snapshot(this.collection(record, prop, shape, owner));
  }

  // ---- proxies -------------------------------------------------------------------------------

  /** @internal the proxy of `value` seen through `context` (one per object, kept while its context stays the same). */
  wrap(value: object, context: Context): object {
    const cached = this.proxies.get(value);
    if (cached !== undefined && sameContext(cached.context, context)) return cached.proxy;
    const proxy = new Proxy(value, new Handler(this, context));
    this.toRaw.set(proxy, value);
    this.proxies.set(value, { context, proxy });
    return proxy;
  }

  /** @internal a child's proxy, from the cache when its context matches (no allocation on the hot path: the model reads the whole state on every tick). */
  child(context: Context, target: object, prop: string, value: object): unknown {
    const cached = this.proxies.get(value);
    if (cached !== undefined && childMatches(cached.context, context, target, prop, value)) return cached.proxy;
    const child = this.childContext(context, target, prop, value);
    return child === undefined ? value : this.wrap(value, child);
  }

  /** @internal a write through a proxy. */
  store(context: Context, target: Record<string | symbol, unknown>, prop: string | symbol, value: unknown): void {
    const raw = this.unwrap(value);
    const old = target[prop];
    if (Object.is(old, raw)) return;
    // `x = x.filter(...)` that removed nothing (the model's tick does it for every item on every request):
    // keep the array, so that nothing is marked changed and its proxy stays valid.
    if (Array.isArray(old) && Array.isArray(raw) && sameMembers(old, raw)) return;
    target[prop] = raw;
    this.touched(context, prop);
  }

  private childContext(context: Context, target: object, prop: string, value: object): Context | undefined {
    switch (context.kind) {
      case "root":
        return prop in ROOT && Array.isArray(value) ? { kind: "collection", collection: this.collection(target, prop, ROOT[prop]!) } : { kind: "top" };
      case "top":
        return context;
      case "collection":
        return { kind: "record", record: value, collection: context.collection, self: true };
      case "record": {
        const shape = context.self ? context.collection.shape.children?.[prop] : undefined;
        if (shape !== undefined && Array.isArray(value)) return { kind: "collection", collection: this.collection(target, prop, shape, context.collection) };
        return { kind: "record", record: context.record, collection: context.collection, self: false };
      }
    }
  }

  /** @internal */
  touched(context: Context, prop: string | symbol): void {
    switch (context.kind) {
      case "root":
        if (typeof prop === "string" && prop in ROOT) this.dirtyCollections.add(this.collection(this.raw, prop, ROOT[prop]!));
        else if (prop !== "savedAt") this.topDirty = true;
        return;
      case "top":
        this.topDirty = true;
        return;
      case "collection":
        this.dirtyCollections.add(context.collection);
        return;
      case "record": {
        const shape = context.self && typeof prop === "string" ? context.collection.shape.children?.[prop] : undefined;
        if (shape !== undefined) this.dirtyCollections.add(this.collection(context.record, prop as string, shape, context.collection));
        else this.dirtyRecords.set(context.record, context.collection);
        return;
      }
    }
  }

  /** The raw value of anything about to be stored: proxies inside fresh objects and arrays are replaced by their targets. */
  /** @internal */
  unwrap(value: unknown): unknown {
    if (!isObject(value)) return value;
    const raw = this.toRaw.get(value);
    if (raw !== undefined) return raw;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (isObject(v)) value[i] = this.unwrap(v);
      }
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      const o = value as Record<string, unknown>;
      for (const k of Object.keys(o)) if (isObject(o[k])) o[k] = this.unwrap(o[k]);
    }
    return value;
  }
}

/** The proxy handler: one per proxied object, its methods shared (no closures made per object). */
class Handler implements ProxyHandler<object> {
  constructor(
    private readonly tracker: StateTracker,
    private readonly context: Context,
  ) {}

  get(target: object, prop: string | symbol): unknown {
    const v = (target as Record<string | symbol, unknown>)[prop];
    if (!isObject(v) || typeof prop === "symbol") return v;
    return this.tracker.child(this.context, target, prop, v);
  }

  set(target: object, prop: string | symbol, value: unknown): boolean {
    this.tracker.store(this.context, target as Record<string | symbol, unknown>, prop, value);
    return true;
  }

  deleteProperty(target: object, prop: string | symbol): boolean {
    if (prop in target) {
      delete (target as Record<string | symbol, unknown>)[prop];
      this.tracker.touched(this.context, prop);
    }
    return true;
  }

  defineProperty(target: object, prop: string | symbol, descriptor: PropertyDescriptor): boolean {
    const raw: PropertyDescriptor = "value" in descriptor ? { ...descriptor, value: this.tracker.unwrap(descriptor.value) } : descriptor;
    Reflect.defineProperty(target, prop, raw);
    this.tracker.touched(this.context, prop);
    return true;
  }
}

/** Whether a cached proxy's context is the one `childContext` would give (without making it). */
function childMatches(cached: Context, parent: Context, target: object, prop: string, value: object): boolean {
  switch (parent.kind) {
    case "root":
      return prop in ROOT && Array.isArray(value)
        ? cached.kind === "collection" && cached.collection.parent === target && cached.collection.prop === prop
        : cached.kind === "top";
    case "top":
      return cached.kind === "top";
    case "collection":
      return cached.kind === "record" && cached.self && cached.record === value && cached.collection === parent.collection;
    case "record": {
      if (parent.self && Array.isArray(value) && parent.collection.shape.children?.[prop] !== undefined)
        return cached.kind === "collection" && cached.collection.parent === target && cached.collection.prop === prop;
      return cached.kind === "record" && !cached.self && cached.record === parent.record && cached.collection === parent.collection;
    }
  }
}

function sameContext(a: Context, b: Context): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "collection" && b.kind === "collection") return a.collection === b.collection;
  if (a.kind === "record" && b.kind === "record") return a.record === b.record && a.collection === b.collection && a.self === b.self;
  return true;
}

function sameMembers(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function ownFields(record: object, shape: Shape): unknown {
  if (shape.children === undefined) return record;
  const fields: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const child of Object.keys(shape.children)) delete fields[child];
  return fields;
}

/** Applies journal operations to a state (loaded from JSON: plain data). */
export function applyOps(state: EmulatorState, ops: ReadonlyArray<JournalOp | JournalTop>): void {
  const root = state as unknown as Record<string, unknown>;
  for (const op of ops) {
    if ("top" in op) {
      Object.assign(root, op.top);
      continue;
    }
    let parent: Record<string, unknown> = root;
    let shape: Shape = { children: ROOT };
    for (let i = 0; i + 1 < op.c.length; i += 2) {
      const list = parent[op.c[i] as string] as Array<Record<string, unknown>>;
      shape = shape.children![op.c[i] as string]!;
      parent = list[op.c[i + 1] as number]!;
    }
    const prop = op.c[op.c.length - 1] as string;
    shape = shape.children![prop] ?? LEAF;
    if (op.none === true) {
      delete parent[prop];
      continue;
    }
    if (op.all !== undefined) {
      parent[prop] = op.all;
      continue;
    }
    let list = (parent[prop] as unknown[] | undefined) ?? [];
    if (op.rm !== undefined) {
      const gone = new Set(op.rm);
      list = list.filter((_, i) => !gone.has(i));
    }
    for (const [i, v] of op.ins ?? []) list.splice(i, 0, v);
    for (const [i, fields] of op.set ?? []) {
      const old = list[i] as Record<string, unknown>;
      const kept: Record<string, unknown> = {};
      for (const child of Object.keys(shape.children ?? {})) if (child in old) kept[child] = old[child];
      list[i] = { ...(fields as Record<string, unknown>), ...kept };
    }
    parent[prop] = list;
  }
}
