/**
 * Bytes written to an emulator's state files, counted on disk (used by bench/persistence.ts and
 * test/emulator/persistence.test.ts): after each call of `account()` a file with a new inode (written whole and
 * renamed) counts its whole size, a grown file (the journal) its growth. `policy` calls it after every HTTP response
 * of the SDK clients it is added to.
 */
import { existsSync, statSync } from "node:fs";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

export class StateWrites {
  written = 0;
  private readonly seen = new Map<string, { ino: number; size: number }>();

  constructor(private readonly files: readonly string[]) {}

  account(): void {
    for (const file of this.files) {
      if (!existsSync(file)) {
        this.seen.delete(file);
        continue;
      }
      const s = statSync(file);
      const before = this.seen.get(file);
      this.written += before === undefined || before.ino !== s.ino ? s.size : Math.max(0, s.size - before.size);
      this.seen.set(file, { ino: s.ino, size: s.size });
    }
  }

  readonly policy: PipelinePolicy = {
    name: "count-state-writes",
    sendRequest: async (request, next) => {
      const response = await next(request);
      this.account();
      return response;
    },
  };
}
