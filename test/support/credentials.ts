// The credentials the contract suite sends when the environment gives none.
export const TEST_API_KEY_DEFAULT = "test-api-key-0000";
export const TEST_SESSION_TOKEN_DEFAULT = "test-session-token-0000";
