/**
 * How the fake upstream uses tools, the same way in all four protocols, so tool round trips can be tested through
 * any SDK: when the request declares functions and its last turn is the user's, the answer calls them (the first
 * two: two calls in one answer are parallel calls), each with the user's last text as the value of the function's
 * first parameter; when the last turn carries tool results, the answer is text quoting them ("tool results: …").
 */
type Body = Record<string, unknown>
type Obj = Record<string, unknown>

export interface FakeCall {
  id: string
  name: string
  /** the arguments as JSON text */
  args: string
}

export type ToolTurn = { calls: FakeCall[] } | { results: string[] } | null

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : [])
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {})

/** Declared functions as {name, first parameter}, whatever the protocol. */
function declared(body: Body): { name: string; param: string | null }[] {
  const out: { name: string; param: string | null }[] = []
  for (const t of list(body.tools)) {
    const fn = obj(t.function)
    const decls = list(t.functionDeclarations)
    const entries = decls.length ? decls : [fn.name ? fn : t]
    for (const d of entries) {
      if (typeof d.name !== 'string') continue
      const schema = obj(d.parameters ?? d.input_schema ?? d.parametersJsonSchema)
      out.push({ name: d.name, param: Object.keys(obj(schema.properties))[0] ?? null })
    }
  }
  return out
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.map((p) => (typeof p === 'string' ? p : text(obj(p).text ?? obj(p).content ?? ''))).join('') : v === undefined ? '' : JSON.stringify(v)

/** Tool results of the last turn (chat `tool` messages, Anthropic tool_result blocks, Gemini functionResponse, Responses outputs). */
function lastResults(body: Body): string[] | null {
  const turns = list(body.messages ?? body.contents ?? body.input)
  const results: string[] = []
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i]!
    if (t.role === 'tool' || t.type === 'function_call_output') {
      results.unshift(text(t.content ?? t.output))
      continue
    }
    if (results.length) break
    const blocks = list(t.content).filter((b) => b.type === 'tool_result')
    const responses = list(t.parts).filter((p) => p.functionResponse)
    if (blocks.length) return blocks.map((b) => text(b.content))
    if (responses.length) return responses.map((p) => JSON.stringify(obj(p.functionResponse).response ?? {}))
    return null
  }
  return results.length ? results : null
}

let seq = 0

export function toolTurn(body: Body, userText: string): ToolTurn {
  const fns = declared(body)
  if (!fns.length) return null
  const results = lastResults(body)
  if (results) return { results }
  const calls = fns.slice(0, 2).map((f) => ({
    id: `call_fake${++seq}`,
    name: f.name,
    args: JSON.stringify(f.param ? { [f.param]: userText } : {}),
  }))
  return { calls }
}

/** Argument text in stream pieces (cut in two so argument deltas are really streamed). */
export function argPieces(args: string): string[] {
  const mid = Math.ceil(args.length / 2)
  return [args.slice(0, mid), args.slice(mid)].filter((p) => p)
}
