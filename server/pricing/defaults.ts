/**
 * The price list keypool ships and seeds on first start: list prices in USD per million tokens for the current
 * OpenAI, Anthropic and Gemini models, standard (not batch, not priority) tier, prompts within the base context
 * tier (Gemini 2.5 Pro and Claude Sonnet 4.x charge more above 200k prompt tokens; that tier is not modelled).
 * `cache_write` is Anthropic's 5-minute cache write; providers that report no cache writes get their input price.
 * Providers change prices: operators check them and edit the list (`PUT /api/model-prices`, the UI).
 * https://openai.com/api/pricing  https://docs.anthropic.com/en/docs/about-claude/pricing
 * https://ai.google.dev/gemini-api/docs/pricing
 */
import type { NewModelPrice } from '../../db/types'

/** The day this list was compiled (UTC). */
export const DEFAULT_PRICES_DATE = '2026-12-02'

/** [glob, input, output, cached input, cache write]; a missing cache price is the input price. */
type Row = [string, number, number, number?, number?]

const OPENAI: Row[] = [
  ['gpt-5*', 1.25, 10, 0.125],
  ['gpt-5-mini*', 0.25, 2, 0.025],
  ['gpt-5-nano*', 0.05, 0.4, 0.005],
  ['gpt-5-pro*', 15, 120],
  ['gpt-4.1*', 2, 8, 0.5],
  ['gpt-4.1-mini*', 0.4, 1.6, 0.1],
  ['gpt-4.1-nano*', 0.1, 0.4, 0.025],
  ['gpt-4o*', 2.5, 10, 1.25],
  ['gpt-4o-2024-05-13', 5, 15],
  ['gpt-4o-mini*', 0.15, 0.6, 0.075],
  ['chatgpt-4o-latest', 5, 15],
  ['o1*', 15, 60, 7.5],
  ['o1-mini*', 1.1, 4.4, 0.55],
  ['o1-pro*', 150, 600],
  ['o3*', 2, 8, 0.5],
  ['o3-mini*', 1.1, 4.4, 0.55],
  ['o3-pro*', 20, 80],
  ['o3-deep-research*', 10, 40, 2.5],
  ['o4-mini*', 1.1, 4.4, 0.275],
  ['o4-mini-deep-research*', 2, 8, 0.5],
  ['gpt-4-turbo*', 10, 30],
  ['gpt-4', 30, 60],
  ['gpt-4-0613', 30, 60],
  ['gpt-3.5-turbo*', 0.5, 1.5],
  ['text-embedding-3-small', 0.02, 0],
  ['text-embedding-3-large', 0.13, 0],
  ['text-embedding-ada-002', 0.1, 0],
]

const ANTHROPIC: Row[] = [
  ['claude-opus-4-5*', 5, 25, 0.5, 6.25],
  ['claude-opus-4*', 15, 75, 1.5, 18.75],
  ['claude-opus-4-1*', 15, 75, 1.5, 18.75],
  ['claude-sonnet-4*', 3, 15, 0.3, 3.75],
  ['claude-3-7-sonnet*', 3, 15, 0.3, 3.75],
  ['claude-3-5-sonnet*', 3, 15, 0.3, 3.75],
  ['claude-haiku-4-5*', 1, 5, 0.1, 1.25],
  ['claude-3-5-haiku*', 0.8, 4, 0.08, 1],
  ['claude-3-haiku*', 0.25, 1.25, 0.03, 0.3],
  ['claude-3-opus*', 15, 75, 1.5, 18.75],
]

const GEMINI: Row[] = [
  ['gemini-3-pro*', 2, 12, 0.2],
  ['gemini-2.5-pro*', 1.25, 10, 0.125],
  ['gemini-2.5-flash*', 0.3, 2.5, 0.03],
  ['gemini-2.5-flash-lite*', 0.1, 0.4, 0.01],
  ['gemini-2.0-flash*', 0.1, 0.4, 0.025],
  ['gemini-2.0-flash-lite*', 0.075, 0.3],
  ['gemini-1.5-pro*', 1.25, 5, 0.3125],
  ['gemini-1.5-flash*', 0.075, 0.3, 0.01875],
  ['gemini-1.5-flash-8b*', 0.0375, 0.15, 0.01],
  ['gemini-embedding-001', 0.15, 0],
]

export const DEFAULT_PRICES: NewModelPrice[] = [...OPENAI, ...ANTHROPIC, ...GEMINI].map(([model, input, output, cached, write]) => ({
  model,
  input_per_mtok: input,
  output_per_mtok: output,
  cached_input_per_mtok: cached ?? input,
  cache_write_per_mtok: write ?? input,
}))
