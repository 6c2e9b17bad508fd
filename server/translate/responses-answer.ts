/** Non-streamed chat answers as an OpenAI Responses `response` object. */
import { newId } from './chat-parts'
import { toResponsesUsage } from './usage-map'
import type { ChatCompletion, ChatRequest, ResponsesAnswer } from './types'

type OutputItem = ResponsesAnswer['output'][number]

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): OutputItem {
  return { id, type: 'message', status, role: 'assistant', content: status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [] } as OutputItem
}

export function callItem(id: string, callId: string, name: string, args: string, status: 'in_progress' | 'completed'): OutputItem {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args } as OutputItem
}

/** The envelope of a response; `output` and `usage` filled once known. */
export function responseObject(
  id: string,
  model: string,
  req: ChatRequest,
  status: 'in_progress' | 'completed' | 'incomplete',
  output: OutputItem[],
  usage: ReturnType<typeof toResponsesUsage> | null,
): ResponsesAnswer {
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    max_output_tokens: req.max_tokens ?? null,
    model,
    output,
    output_text: output.flatMap((o) => (o.type === 'message' ? o.content.map((c) => (c.type === 'output_text' ? c.text : '')) : [])).join(''),
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    temperature: req.temperature ?? null,
    tool_choice: 'auto',
    tools: [],
    top_p: req.top_p ?? null,
    usage: usage ?? undefined,
  } as unknown as ResponsesAnswer
}

export function chatAnswerToResponses(c: ChatCompletion, req: ChatRequest): ResponsesAnswer {
  const choice = c.choices?.[0]
  const output: OutputItem[] = []
  if (choice?.message?.content) output.push(messageItem(newId('msg_'), choice.message.content, 'completed'))
  for (const call of choice?.message?.tool_calls ?? [])
    if (call.type === 'function') output.push(callItem(newId('fc_'), call.id, call.function.name, call.function.arguments, 'completed'))
  const status = choice?.finish_reason === 'length' ? 'incomplete' : 'completed'
  return responseObject(`resp_${c.id ?? newId('')}`, c.model, req, status, output, toResponsesUsage(c.usage))
}
