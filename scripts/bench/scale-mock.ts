// The LITE mock for `npm run bench:scale`, in its own process so the client's figures are the
// client's. It answers the parent over IPC: "ready" with its URL, then on each "cpu" request the
// CPU time and RSS it used since the previous one.
import { startLiteFake } from "../../src/testing/index.ts";

export type MockReport = { type: "ready"; url: string } | { type: "cpu"; cpuMs: number; rss: number };

const mock = await startLiteFake({
  // Speech "plays" at once when its speak_end arrives, so the time from the last packet to the
  // speech settling is the pipeline's (client, socket, mock), not a playback model.
  playback: "after_speak_end",
  playMsPerSecond: 0,
  // A record of every 64 KB audio packet from thousands of streams is not what is measured.
  maxReceived: 0,
});

let last = process.cpuUsage();
process.on("message", (message: { type: string }) => {
  if (message.type === "cpu") {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    const report: MockReport = { type: "cpu", cpuMs: (used.user + used.system) / 1000, rss: process.memoryUsage().rss };
    process.send!(report);
  } else if (message.type === "stop") {
    void mock.close().then(() => process.exit(0));
  }
});
process.send!({ type: "ready", url: mock.url } satisfies MockReport);
