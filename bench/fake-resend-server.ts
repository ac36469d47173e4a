// The fake Resend API as a process of its own, so the benchmark's worker and the "provider" do not
// share a CPU thread. Prints {"url": ...} on stdout once listening; stops on SIGTERM.
import { startFakeResend } from "./fake-resend";

const rate = Number(process.argv[2] ?? "0");
const fake = await startFakeResend({ rateLimit: rate > 0 ? rate : undefined, keepBodies: false });
process.stdout.write(JSON.stringify({ url: fake.url }) + "\n");
process.once("SIGTERM", () => void fake.close().finally(() => process.exit(0)));
