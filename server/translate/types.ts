/**
 * The wire shapes translation reads and writes, taken from the official SDKs (type-only imports: nothing of the
 * SDKs reaches the server bundle). OpenAI Chat Completions is the shared intermediate form: every direction goes
 * caller -> chat -> upstream, so each protocol needs only a reader and a writer of chat.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionFunctionTool as ChatCompletionTool,
} from 'openai/resources/chat/completions'
import type { CompletionUsage } from 'openai/resources/completions'
import type {
  Response as ResponsesAnswer,
  ResponseCreateParams,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses'
import type {
  ContentBlock,
  ContentBlockParam,
  Message as AnthropicMessage,
  MessageCreateParamsBase,
  MessageParam as AnthropicMessageParam,
  RawMessageStreamEvent as AnthropicStreamEvent,
  Tool as AnthropicTool,
  Usage as AnthropicUsage,
} from '@anthropic-ai/sdk/resources/messages'
import type {
  Content as GeminiContent,
  FunctionDeclaration,
  GenerateContentResponse,
  GenerationConfig,
  Part as GeminiPart,
  SafetySetting,
  Tool as GeminiTool,
  ToolConfig,
} from '@google/genai'

export type {
  AnthropicMessage,
  AnthropicMessageParam,
  AnthropicStreamEvent,
  AnthropicTool,
  AnthropicUsage,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  CompletionUsage,
  ContentBlock,
  ContentBlockParam,
  FunctionDeclaration,
  GeminiContent,
  GeminiPart,
  GeminiTool,
  ResponseCreateParams,
  ResponsesAnswer,
  ResponseStreamEvent,
}

/**
 * An Anthropic Messages request. The current SDK no longer lists the sampling fields the API still takes for the
 * models that accept them; they are added here.
 */
export type AnthropicRequest = MessageCreateParamsBase & { temperature?: number; top_p?: number; top_k?: number }

/** The chat request every translation goes through (stream flag included). */
export type ChatRequest = ChatCompletionCreateParamsBase

/**
 * The body of a Gemini REST `generateContent` call. The SDK's own `GenerateContentParameters` nests these under
 * `config`; the wire (and so this type) has them at the top, built from the SDK's part types.
 */
export interface GeminiRequest {
  contents: GeminiContent[]
  systemInstruction?: GeminiContent | string
  tools?: GeminiTool[]
  toolConfig?: ToolConfig
  generationConfig?: GenerationConfig
  safetySettings?: SafetySetting[]
  cachedContent?: string
}

/** A Gemini answer as JSON (the SDK's class minus its getters). */
export type GeminiAnswer = Pick<GenerateContentResponse, 'candidates' | 'usageMetadata' | 'modelVersion' | 'responseId' | 'promptFeedback'>

/** A request translated toward the upstream: its body, where it goes, and what could not be honoured. */
export interface TranslatedRequest {
  /** path (after /proxy/{group}) with query */
  path: string
  body: unknown
  stream: boolean
  model: string
  dropped: string[]
}

/** An error in protocol-neutral form, read from any provider's error body. */
export interface NeutralError {
  status: number
  message: string
  code?: string
}

/** One decoded streaming step in the intermediate form: a chat chunk, or an error the upstream sent mid-stream. */
export type StreamItem = { chunk: ChatCompletionChunk } | { error: NeutralError }
