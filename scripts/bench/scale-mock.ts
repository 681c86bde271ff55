// The LITE mock for `npm run bench:scale`, in its own process so the client's figures are the
// client's. It answers the parent over IPC: "ready" with its URL, then on each "cpu" request the
// CPU time and RSS it used since the previous one.
import { startLiteMock } from "../../src/testing/index.ts";

export type MockReport = { type: "ready"; url: string } | { type: "cpu"; cpuMs: number; rss: number };

const mock = await startLiteMock({
  // Speech "plays" in the mock's minimum (5 ms) once its speak_end arrives, so the time from the
  // last packet to the speech settling is the pipeline's (client, socket, mock), not a playback model.
  playMsPerSecond: 0,
});
// The mock records every message it receives for tests to inspect; a benchmark sending 1 s audio
// packets from thousands of streams must drop them, or the mock's memory grows by the stream.
const drop = setInterval(() => void (mock.received.length = 0), 200);

let last = process.cpuUsage();
process.on("message", (message: { type: string }) => {
  if (message.type === "cpu") {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    const report: MockReport = { type: "cpu", cpuMs: (used.user + used.system) / 1000, rss: process.memoryUsage().rss };
    process.send!(report);
  } else if (message.type === "stop") {
    clearInterval(drop);
    void mock.close().then(() => process.exit(0));
  }
});
process.send!({ type: "ready", url: mock.url } satisfies MockReport);
