/**
 * A channel is a small record of functions describing one upstream API family.
 * The proxy never branches on the channel type; it asks the channel.
 */
import type { ChannelType } from '../../db/domain'

// The tuple is the store's vocabulary (db owns it); re-exported here as the channels' own name for it.
export { CHANNEL_TYPES, type ChannelType } from '../../db/domain'

/** Token usage read from an upstream answer. */
export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  /** prompt tokens read from the provider's cache (part of prompt_tokens) */
  cached_tokens?: number
  /** prompt tokens written to the provider's cache (part of prompt_tokens; Anthropic) */
  cache_write_tokens?: number
}

/** What the proxy tells the channel about the outgoing request so it can inject the real key. */
export interface InjectTarget {
  headers: Headers
  url: URL
  /** true when the client sent its key as `?key=` (gemini keeps that style) */
  clientUsedQueryKey: boolean
}

/** Incremental usage reader fed with the response bytes as they stream to the client. */
export interface UsageReader {
  push(chunk: Uint8Array): void
  /** Called after the last byte; returns what was found (null when the answer had no usage). */
  finish(): Usage | null
  /** Model name seen in the answer, when any. */
  model(): string | null
}

export interface ValidationRequest {
  method: string
  /** path + query appended to the upstream base URL */
  path: string
  headers: Record<string, string>
  body?: string
}

/** Bytes of a relayed stream as the client gets them: `push` per upstream chunk, `end` after the last. */
export interface StreamTransform {
  push(chunk: Uint8Array): Uint8Array
  end(): Uint8Array
}

/** For an API whose streams carry usage only when the request asks for it (OpenAI chat). */
export interface StreamUsage {
  /** The request body asking for the usage, or null when the request is no such stream or asks already. */
  ask(path: string, body: Uint8Array | null): Uint8Array | null
  /** Takes out of the answer stream what asking added, for a client that did not ask. */
  hide(): StreamTransform
}

export interface Channel {
  type: ChannelType
  /** Human label for the UI and /api/channel-types. */
  label: string
  /** Default upstream base URL offered when a group is created. */
  defaultUpstream: string
  defaultTestModel: string
  /** Default validation path (relative to the upstream base) when the group gives none. */
  defaultValidationEndpoint: string
  /** Put the pool key `key` where the channel sends it (the client's credentials are gone already: withPoolKey). */
  injectKey(target: InjectTarget, key: string): void
  /** The minimal request that proves a key works. */
  validationRequest(key: string, model: string, endpoint: string): ValidationRequest
  /** An error body in the channel's native JSON shape (what the provider's SDK knows how to show). */
  errorBody(status: number, message: string, code?: string): unknown
  /** Absent when the channel's streams carry usage anyway (Anthropic, Gemini, OpenAI Responses). */
  streamUsage?: StreamUsage
  /** Reader of usage from a JSON or SSE answer; `stream` is the content type said SSE. */
  usageReader(stream: boolean): UsageReader
  /** Extract the model a request asks for (from parsed JSON body or path, e.g. gemini's /models/{m}:...). */
  requestModel(path: string, body: unknown): string | null
  /** Rewrite the model in a request (model_redirect). Returns the new path and mutates body when needed. */
  setRequestModel(path: string, body: Record<string, unknown> | null, model: string): string
  /** True when the path is the channel's model list (`/v1/models`, `/v1beta/models`). */
  isModelList(method: string, path: string): boolean
  /** Filter/rename a model list answer for model_redirect strict mode; returns the new JSON. */
  filterModelList(body: unknown, allowed: (id: string) => boolean, extra: string[]): unknown
}
