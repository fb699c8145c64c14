/**
 * `azure-vm-backup status` refusals that need no Azure: no subscription anywhere. The command reads no stack config, so
 * its message names what the command takes (--subscription, --vault, the environment), not `pulumi config set`.
 */
import { runStatus } from "../../src/cli/status";

describe("azure-vm-backup status without a subscription", () => {
  it("exits 2 and says how to give one to the command", async () => {
    const result = await runStatus({ format: "text" }, { PATH: process.env.PATH });
    expect(result.exitCode).toBe(2);
    expect(result.error).toContain("--subscription");
    expect(result.error).toContain("AZURE_SUBSCRIPTION_ID");
    expect(result.error).not.toContain("pulumi config");
  });
});
