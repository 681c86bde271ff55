// The testing kit's own error: a bad option or fixture, raised where the caller passed it.
import { LiveAvatarError } from "liveavatar-api";

export class FakeConfigError extends LiveAvatarError {
  override name = "FakeConfigError";
}
