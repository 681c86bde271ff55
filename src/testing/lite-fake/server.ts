// startLiteFake: a fake LITE-mode server on 127.0.0.1. It validates every client message against
// asyncapi.yaml, answers with spec-valid events, and plays the protocol variants of
// docs/realtime.md per session. Its memory is bounded (limits.ts) and nothing a client sends
// reaches the hosting process as an exception.
import type { LiteEvent } from "../../../generated/events.js";
import { serveConnection, stateWord, type Connection } from "./connection.js";
import { checkEvent, emit, type FakeSocket } from "./frames.js";
import { checkCloseCode, checkOptions, checkVariant } from "./limits.js";
import { FakeRecord } from "./record.js";
import type { LiteFake, LiteFakeOptions, LiteVariant } from "./types.js";
import { listen } from "./upgrade.js";

export async function startLiteFake(options: LiteFakeOptions = {}): Promise<LiteFake> {
  const limits = checkOptions(options);
  const record = new FakeRecord(limits, options);
  const variants = new Map<string, LiteVariant>();
  const ended = new Set<string>();
  const connections = new Map<FakeSocket, Connection>();
  let serverIds = 0;
  const variantOf = (sessionId: string): LiteVariant => ({ ...options, ...variants.get(sessionId) });
  const host = {
    record: record.receive.bind(record),
    warn: record.warn.bind(record),
    serverId: () => `srv-${++serverIds}`,
    maxUnsentBytes: limits.maxUnsentBytes,
  };
  const socketsOf = (sessionId: string) => [...connections].filter(([, c]) => c.sessionId === sessionId);

  const listener = await listen(options.port ?? 0, limits.maxFrameBytes, {
    full: () => connections.size >= limits.maxConnections,
    refused: (status, why) =>
      record.warn(
        status === 503 ? "too_many_connections" : "upgrade_refused",
        `refused an upgrade (${status}): ${why}`,
      ),
    failed: (error, sessionId) => record.warn("internal_error", `fake error: ${describe(error)}`, sessionId),
    connect(socket, sessionId) {
      socket.on("error", (error) =>
        error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"
          ? record.warn(
              "frame_too_large",
              `a frame over maxFrameBytes (${limits.maxFrameBytes}); closed 1009`,
              sessionId,
            )
          : record.warn("socket_error", `socket error: ${error.message}`, sessionId),
      );
      if (ended.has(sessionId)) return socket.close(4004, "no such session");
      const connection = serveConnection(socket, sessionId, variantOf(sessionId), host);
      connections.set(socket, connection);
      socket.on("close", () => {
        connection.stop();
        connections.delete(socket);
      });
    },
  });
  const url = `ws://127.0.0.1:${listener.port}`;
  const stopAll = (code: number, reason: string) => {
    for (const [socket, connection] of connections) {
      connection.stop();
      socket.close(code, reason);
    }
    connections.clear();
  };
  const close = async () => {
    for (const connection of connections.values()) connection.stop();
    connections.clear();
    await listener.close();
  };

  return {
    url,
    received: record.received,
    warnings: record.warnings,
    get droppedReceived() {
      return record.dropped;
    },
    wsUrlFor(sessionId, variant) {
      if (variant) {
        checkVariant(variant);
        variants.set(sessionId, variant);
      }
      return `${url}/v1/lite/${encodeURIComponent(sessionId)}`;
    },
    violations: () => record.received.filter((r) => r.violations.length > 0),
    get openSockets() {
      return connections.size;
    },
    send(sessionId: string, event: LiteEvent) {
      checkEvent(event);
      for (const [socket] of socketsOf(sessionId)) emit(socket, event);
    },
    endSession(sessionId, { code = 1000, stateEvent = true } = {}) {
      checkCloseCode(code, "code");
      ended.add(sessionId);
      const closed = stateWord(variantOf(sessionId), "closed") as "closed";
      for (const [socket, connection] of socketsOf(sessionId)) {
        connection.stop();
        if (stateEvent) emit(socket, { type: "session.state_updated", state: closed });
        socket.close(code, "session ended");
      }
    },
    reset() {
      stopAll(1012, "fake reset");
      ended.clear();
      variants.clear();
      record.clear();
      serverIds = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
