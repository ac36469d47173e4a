// A process that races for the embedded database's folder lock on command (tests/db/startup.test.ts):
// each "lock <dir>" line on stdin is answered "won" or "lost" on stdout, "release" drops the lock.
import readline from "node:readline";
import { acquireDataDirLock } from "../../db/client.server";

let release: (() => void) | undefined;
console.log("ready");
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [command, dir] = line.split(" ");
  if (command === "lock") {
    try {
      release = acquireDataDirLock(dir!);
      console.log("won");
    } catch {
      console.log("lost");
    }
  } else if (command === "release") {
    release?.();
    release = undefined;
    console.log("released");
  }
}
