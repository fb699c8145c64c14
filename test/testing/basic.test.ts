import { startEmulator, type Emulator } from "../../src/emulator";
import { OfflineStack } from "../../src/testing";
import basic = require("../../examples/basic/index");

describe("examples/basic, offline", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  beforeAll(async () => {
    emulator = await startEmulator({ clock: { speed: 3600 } });
    stack = await OfflineStack.start({ emulator, project: "backup-basic" });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.stop();
  });

  it("previews, deploys, finds nothing to change, and destroys keeping the backups", async () => {
    const preview = await stack.preview(basic);
    console.log(JSON.stringify({ ...preview, steps: preview.steps.map((s) => `${s.op} ${s.type} ${s.name}`) }, null, 2));
    const up = await stack.up(basic);
    console.log(JSON.stringify({ ...up, steps: up.steps.map((s) => `${s.op} ${s.type} ${s.name}`) }, null, 2));
    const again = await stack.up(basic);
    console.log(JSON.stringify(again.summary), again.errors, again.failures);
  }, 60000);
});
