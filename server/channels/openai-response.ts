/** OpenAI Responses API (`/v1/responses`). https://platform.openai.com/docs/api-reference/responses */
import { withModel } from './credentials.ts'
import { bearerRequest, openai } from './openai.ts'
import type { Channel } from './types.ts'
import { count, createUsageReader, nestedCount, type UsageShape } from './usage.ts'

/** JSON answers and the `response.completed` event both carry `usage` with input/output token names. */
const responsesUsage: UsageShape = {
  usageKey: 'usage',
  modelKey: 'model',
  read: (u) => ({
    prompt: count(u.input_tokens),
    completion: count(u.output_tokens),
    total: count(u.total_tokens),
    cached: nestedCount(u.input_tokens_details, 'cached_tokens'),
  }),
}

const RESPONSES_ENDPOINT = '/v1/responses'

export const openaiResponse: Channel = {
  ...openai,
  type: 'openai-response',
  label: 'OpenAI Responses',
  defaultValidationEndpoint: RESPONSES_ENDPOINT,
  validationRequest(key, model, endpoint) {
    // 16 is the smallest max_output_tokens the Responses API accepts.
    const body = { model, input: 'hi', max_output_tokens: 16 }
    return bearerRequest(key, withModel(endpoint || RESPONSES_ENDPOINT, model), body)
  },
  usageReader: (stream) => createUsageReader(responsesUsage, stream),
  // response.completed always carries the usage
  streamUsage: undefined,
}
