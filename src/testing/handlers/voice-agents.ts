// Voice agents (list, get, delete; created in the vendor's dashboard, so not here) and the
// provider -> models map of `GET /v1/llm-models`.
import { notFound } from "../respond.js";
import { agentListItem, type VoiceAgentRow } from "../voice-agents.js";
import type { CallContext, Handler } from "./context.js";

function agent(call: CallContext): VoiceAgentRow {
  const id = call.path.agent_id!;
  const found = call.state.voiceAgents.get(id);
  if (!found) throw notFound("voice agent", id);
  return found;
}

export const voiceAgentHandlers: Record<string, Handler> = {
  "GET /v1/voice_agents": (call) => [...call.state.voiceAgents.values()].map(agentListItem),
  "GET /v1/voice_agents/{agent_id}": (call) => agent(call),
  "DELETE /v1/voice_agents/{agent_id}": (call) => {
    call.state.voiceAgents.delete(agent(call).id);
    return null;
  },
  "GET /v1/llm-models": (call) => call.state.llmModels,
};
