/**
 * Usage between protocols. Chat's prompt_tokens include cached tokens (prompt_tokens_details.cached_tokens);
 * Anthropic counts input_tokens without the cache reads/writes; Gemini's promptTokenCount includes
 * cachedContentTokenCount; Responses' input_tokens include input_tokens_details.cached_tokens.
 */
import type { AnthropicUsage, CompletionUsage, GeminiAnswer } from './types'

type GeminiUsage = NonNullable<GeminiAnswer['usageMetadata']>
const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

export function chatUsage(prompt: number, completion: number, cached: number, reasoning = 0): CompletionUsage {
  const u: CompletionUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
  if (cached) u.prompt_tokens_details = { cached_tokens: cached }
  if (reasoning) u.completion_tokens_details = { reasoning_tokens: reasoning }
  return u
}

export function fromAnthropicUsage(u: Partial<AnthropicUsage> | null | undefined): CompletionUsage {
  const cached = n(u?.cache_read_input_tokens)
  return chatUsage(n(u?.input_tokens) + cached + n(u?.cache_creation_input_tokens), n(u?.output_tokens), cached)
}

export function toAnthropicUsage(u: CompletionUsage | null | undefined) {
  const cached = n(u?.prompt_tokens_details?.cached_tokens)
  return {
    input_tokens: Math.max(0, n(u?.prompt_tokens) - cached),
    output_tokens: n(u?.completion_tokens),
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
  }
}

export function fromGeminiUsage(u: GeminiUsage | null | undefined): CompletionUsage {
  const thoughts = n(u?.thoughtsTokenCount)
  return chatUsage(n(u?.promptTokenCount), n(u?.candidatesTokenCount) + thoughts, n(u?.cachedContentTokenCount), thoughts)
}

export function toGeminiUsage(u: CompletionUsage | null | undefined): GeminiUsage {
  const cached = n(u?.prompt_tokens_details?.cached_tokens)
  const out: GeminiUsage = {
    promptTokenCount: n(u?.prompt_tokens),
    candidatesTokenCount: n(u?.completion_tokens),
    totalTokenCount: n(u?.prompt_tokens) + n(u?.completion_tokens),
  }
  if (cached) out.cachedContentTokenCount = cached
  return out
}

export function toResponsesUsage(u: CompletionUsage | null | undefined) {
  return {
    input_tokens: n(u?.prompt_tokens),
    input_tokens_details: { cached_tokens: n(u?.prompt_tokens_details?.cached_tokens) },
    output_tokens: n(u?.completion_tokens),
    output_tokens_details: { reasoning_tokens: n(u?.completion_tokens_details?.reasoning_tokens) },
    total_tokens: n(u?.prompt_tokens) + n(u?.completion_tokens),
  }
}
