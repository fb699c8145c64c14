/**
 * Starting one of Pulumi's Node.js plugin processes as the engine does (the dynamic-provider host, a policy pack's
 * analyzer): `node <entry> <engine address> [...]`, which serves gRPC and prints its port on stdout. The engine address is
 * never dialled by them. The process ends with the one that started it (its stdin closes when that process dies, even by
 * SIGKILL), as the engine's plugins end with the engine, so that an interrupted run leaves no plugin behind.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/** A module that ends the process when its stdin closes (loaded with `--import`, before the plugin). */
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent("process.stdin.on('end',()=>process.exit(0));process.stdin.on('error',()=>process.exit(0));process.stdin.resume();")}`;

export interface PluginProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Node.js options before the entry (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export interface PluginProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  /** What the process printed to stderr so far. */
  stderr: () => string;
}

/** Starts `entry` with `args` after the engine address and waits for the port it prints; `what` names it in a failure. */
export async function startPluginProcess(entry: string, args: readonly string[], options: PluginProcessOptions, what: string): Promise<PluginProcess> {
  const child = spawn(process.execPath, ["--import", EXIT_WITH_PARENT, ...(options.nodeArgs ?? []), entry, "127.0.0.1:1", ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const line = /^(\d+)\s*$/m.exec(out);
      if (line !== null) resolve(Number(line[1]));
    });
    child.on("exit", (code) => reject(new Error(`${what} exited (${String(code)}): ${stderr}${out}`)));
  });
  return { child, port, stderr: () => stderr };
}
