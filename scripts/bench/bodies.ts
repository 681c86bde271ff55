// The two answers the benchmark server gives, as the API shapes them: the `{code, data, message}`
// envelope around one avatar (small) and around a page of avatars (~50 kB).

export const ENVELOPE_CODE = 100;
export const AVATAR_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
/** Bytes the large body should reach, roughly. */
const LARGE_BODY_BYTES = 50_000;

function avatar(index: number) {
  const id = `${AVATAR_ID.slice(0, -6)}${String(index).padStart(6, "0")}`;
  return {
    id,
    space_id: "space-0001",
    type: "VIDEO",
    status: "ACTIVE",
    name: `Avatar ${index}`,
    preview_url: `https://files.example.com/avatars/${id}/preview.webp`,
    is_expired: false,
    default_voice: { id: "voice-0001", name: "Narrator" },
    is_1080p: index % 2 === 0,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-06-01T12:30:00Z",
    error_message: null,
  };
}

function envelope(data: unknown): string {
  return JSON.stringify({ code: ENVELOPE_CODE, data, message: "ok" });
}

/** One avatar: what `GET /v1/avatars/{avatar_id}` answers. */
export const SMALL_BODY = envelope({ ...avatar(0), id: AVATAR_ID });

/** A page of avatars, grown until it passes ~50 kB: what `GET /v1/avatars` answers. */
export const LARGE_BODY = (() => {
  const results = [];
  let body = "";
  while (body.length < LARGE_BODY_BYTES) {
    results.push(avatar(results.length));
    body = envelope({ count: results.length, next: null, previous: null, results });
  }
  return body;
})();
