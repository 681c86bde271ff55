// The LITE fake's former names, kept for one minor version (removed in 0.3.0).
import { startLiteFake } from "./lite-fake/server.js";
import type { LiteFake, LiteFakeOptions } from "./lite-fake/types.js";

/** @deprecated use `startLiteFake` */
export const startLiteMock = startLiteFake;
/** @deprecated use `LiteFake` */
export type LiteMock = LiteFake;
/** @deprecated use `LiteFakeOptions` */
export type LiteMockOptions = LiteFakeOptions;
export type { LiteReceived, LiteVariant } from "./lite-fake/types.js";
