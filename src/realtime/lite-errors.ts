// The LITE connection's own errors, built from its state: kept apart from errors.ts so the error
// classes import nothing of the LITE client (no import cycle through its types).
import { RealtimeConnectionError, RealtimeServerError, SpeechInterruptedError } from "./errors.js";
import type { SpeechFailure } from "./lite-machine.js";
import type { LiteEndedEvent } from "./lite-types.js";

/** What a speech or command on an ended LITE connection rejects with. */
export function closedError(ended: LiteEndedEvent | undefined): RealtimeConnectionError {
  const detail = ended ? ` (${ended.reason}${ended.closeCode ? `, code ${ended.closeCode}` : ""})` : "";
  return new RealtimeConnectionError(`the LITE connection is closed${detail}`, ended?.closeCode, ended?.closeReason);
}

/** The public error for a speech that did not finish. */
export function speechError(failure: SpeechFailure, eventId: string, ended: LiteEndedEvent | undefined): unknown {
  switch (failure.kind) {
    case "interrupted":
      return new SpeechInterruptedError(eventId, failure.by);
    case "server":
      return new RealtimeServerError(failure.errorType, failure.message, failure.eventId);
    case "closed":
      return closedError(ended);
    case "failed":
      return failure.error;
  }
}
