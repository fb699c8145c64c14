/**
 * The offline stack's checkpoints: steps appended to a journal, replayed on load (a line cut short by a kill
 * is the step that never landed), folded into the state file at the end of a run.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpoint, loadStackState, saveStackState, type StateResource } from "../../src/testing/state";

const resource = (name: string, id?: string): StateResource => ({
  urn: `urn:pulumi:dev::p::t::${name}`,
  type: "t",
  name,
  custom: true,
  parent: "",
  ...(id === undefined ? {} : { id }),
  inputs: { name },
  outputs: { name },
  dependencies: [],
});

describe("offline stack checkpoints", () => {
  it("replays a killed run's journal: done resources, deletions, and the create still pending", () => {
    const path = join(mkdtempSync(join(tmpdir(), "avb-journal-")), "stack-state.json");
    saveStackState(path, { version: 1, project: "p", stack: "dev", resources: [resource("a", "1"), resource("b", "2")], outputs: { x: 1 } });
    checkpoint(path, { pending: { kind: "updating", ...resource("a"), inputs: { name: "a2" } } });
    checkpoint(path, { done: { ...resource("a", "1"), outputs: { name: "a2" } } });
    checkpoint(path, { pending: { kind: "deleting", ...resource("b") } });
    checkpoint(path, { deleted: resource("b").urn });
    checkpoint(path, { pending: { kind: "creating", ...resource("c") } });
    // The kill cut the next line short.
    appendFileSync(`${path}.journal`, '{"done":{"urn":"urn:pulumi:dev::p::t::c","ty');

    const state = loadStackState(path, "p", "dev");
    expect(state.resources.map((r) => [r.name, r.outputs.name])).toEqual([["a", "a2"]]);
    expect(state.pendingOperations?.map((p) => `${p.kind} ${p.name}`)).toEqual(["creating c"]);
    expect(state.outputs).toEqual({ x: 1 });

    // The end of the next run writes the whole state and drops the journal.
    saveStackState(path, { ...state, pendingOperations: [] });
    expect(existsSync(`${path}.journal`)).toBe(false);
    expect((JSON.parse(readFileSync(path, "utf8")) as { resources: unknown[] }).resources).toHaveLength(1);
  });

  it("a failed step clears its pending operation; replaying a journal already folded in changes nothing", () => {
    const path = join(mkdtempSync(join(tmpdir(), "avb-journal-")), "stack-state.json");
    checkpoint(path, { pending: { kind: "creating", ...resource("a") } });
    checkpoint(path, { failed: resource("a").urn });
    checkpoint(path, { pending: { kind: "creating", ...resource("b") } });
    checkpoint(path, { done: resource("b", "9") });
    const state = loadStackState(path, "p", "dev");
    expect(state.pendingOperations).toBeUndefined();
    expect(state.resources.map((r) => r.id)).toEqual(["9"]);
    // Killed between writing the state and dropping the journal: the replay lands on the same state.
    saveStackState(path, state);
    checkpoint(path, { pending: { kind: "creating", ...resource("b") } });
    checkpoint(path, { done: resource("b", "9") });
    expect(loadStackState(path, "p", "dev")).toEqual(state);
  });
});
