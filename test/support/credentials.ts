// The one set of test credentials. Shaped like real ones, so that a test that looks for them
// in errors and logs finds them wherever they leak. Prism and the scripted servers accept any
// value; a run against a live server takes the real ones from the environment instead.
export const API_KEY = process.env.LIVEAVATAR_API_KEY ?? "la_key_7c1f0d9e2b4a4f61";
export const SESSION_TOKEN = process.env.LIVEAVATAR_SESSION_TOKEN ?? "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbg.Zt4m9Q2x";
