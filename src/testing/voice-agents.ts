// Voice agents and LLM models in the fake's state. The 2026-12 spec knows the voice-agent bodies
// by name only, so their shape here follows the vendor's guides: an id, a name, an `agent_type`
// (`liveavatar_agent`, or a connector: `elevenlabs_agent`, `cartesia_agent`), the avatar and
// language it speaks with. `GET /v1/llm-models` maps each provider to the models it accepts.
import { FakeConfigError } from "./errors.js";
import type { SampleContext } from "./sample.js";
import type { FixtureVoiceAgent } from "./types.js";

export type VoiceAgentRow = Record<string, unknown> & { id: string; agent_type: string };

export const AGENT_TYPES = ["liveavatar_agent", "elevenlabs_agent", "cartesia_agent"] as const;

/** Agents whose conversation runs at a third party: the session is LITE, with no `ws_url` of ours. */
export const CONNECTOR_AGENT_TYPES: ReadonlySet<string> = new Set(["elevenlabs_agent", "cartesia_agent"]);

/** Placeholder names (override with `fixtures.llmModels`): the shape is the API's, the list is not. */
export const DEFAULT_LLM_MODELS: Record<string, string[]> = {
  openai: ["gpt-4o", "gpt-4o-mini"],
  anthropic: ["claude-sonnet-4-5"],
  gemini: ["gemini-2.5-flash"],
};

/** The seed's voice agents: the fixtures, or `count` of them, one of each type in turn. */
export function seedVoiceAgents(
  given: FixtureVoiceAgent[] | undefined,
  count: number,
  sample: SampleContext,
): Map<string, VoiceAgentRow> {
  if (given !== undefined && !Array.isArray(given)) throw new FakeConfigError("fixtures.voiceAgents must be an array");
  const rows: FixtureVoiceAgent[] =
    given ?? Array.from({ length: count }, (_, i) => ({ agent_type: AGENT_TYPES[i % AGENT_TYPES.length] }));
  return new Map(
    rows.map((row, i) => {
      if (row.agent_type !== undefined && !(AGENT_TYPES as readonly string[]).includes(row.agent_type)) {
        throw new FakeConfigError(`fixtures.voiceAgents[${i}].agent_type must be one of ${AGENT_TYPES.join(", ")}`);
      }
      const agent: VoiceAgentRow = {
        name: `voice-agent-${sample.random.token(6)}`,
        avatar_id: sample.random.uuid(),
        language: "en",
        agent_configuration: {},
        created_at: sample.now,
        updated_at: sample.now,
        ...row,
        id: row.id ?? sample.random.uuid(),
        agent_type: row.agent_type ?? "liveavatar_agent",
      };
      return [agent.id, agent];
    }),
  );
}

export function seedLlmModels(given: Record<string, string[]> | undefined): Record<string, string[]> {
  if (given === undefined) return DEFAULT_LLM_MODELS;
  const valid =
    typeof given === "object" &&
    given !== null &&
    Object.values(given).every((models) => Array.isArray(models) && models.every((m) => typeof m === "string"));
  if (!valid) throw new FakeConfigError('fixtures.llmModels must map providers to model names: { "openai": ["..."] }');
  return given;
}

/** The list view of a voice agent. */
export function agentListItem(agent: VoiceAgentRow): Record<string, unknown> {
  const { id, name, agent_type, avatar_id, language, created_at, updated_at } = agent;
  return { id, name, agent_type, avatar_id, language, created_at, updated_at };
}
