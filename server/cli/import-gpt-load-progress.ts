/**
 * Progress of `keypool import gpt-load` on stderr: a bar redrawn in place on a terminal, otherwise a plain line
 * at most every few seconds (and one when a phase ends) so logs of a piped run stay short. Then the summary.
 */
export type Phase = 'groups' | 'keys' | 'settings' | 'logs'
export const PHASES: readonly Phase[] = ['groups', 'keys', 'settings', 'logs']

export interface Tally {
  imported: number
  skipped: number
  failed: number
}

export type Summary = Record<Phase, Tally>

export function emptySummary(): Summary {
  return { groups: tally(), keys: tally(), settings: tally(), logs: tally() }
}
const tally = (): Tally => ({ imported: 0, skipped: 0, failed: 0 })

export interface ProgressOptions {
  write: (text: string) => void
  tty: boolean
  now?: () => number
  /** plain mode: ms between two lines of the same phase */
  everyMs?: number
  /** terminal mode: bar width in characters */
  width?: number
}

export class Progress {
  private phase: Phase | null = null
  private total = 0
  private done = 0
  private lastDraw = -Infinity
  private drawnDone = -1
  private readonly now: () => number

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => performance.now())
  }

  start(phase: Phase, total: number): void {
    this.finish()
    this.phase = phase
    this.total = total
    this.done = 0
    this.lastDraw = -Infinity
    this.drawnDone = -1
    this.draw(true)
  }

  advance(n = 1): void {
    this.done += n
    this.draw(false)
  }

  /** ends the current phase's line */
  finish(): void {
    if (this.phase === null) return
    if (this.done !== this.drawnDone) this.draw(true)
    if (this.opts.tty) this.opts.write('\n')
    this.phase = null
  }

  private draw(force: boolean): void {
    if (this.phase === null) return
    const t = this.now()
    const gap = this.opts.tty ? 100 : (this.opts.everyMs ?? 5000)
    if (!force && t - this.lastDraw < gap) return
    this.lastDraw = t
    this.drawnDone = this.done
    const pct = this.total === 0 ? 100 : Math.floor((Math.min(this.done, this.total) / this.total) * 100)
    const count = `${this.done}/${this.total}`
    if (!this.opts.tty) {
      this.opts.write(`import ${this.phase}: ${count} (${pct}%)\n`)
      return
    }
    const width = this.opts.width ?? 30
    const filled = Math.round((pct / 100) * width)
    this.opts.write(`\r${this.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${count}`)
  }
}

export function summaryText(s: Summary, notes: string[]): string {
  const lines = ['', 'GPT-Load import summary:', '            imported  skipped  failed']
  for (const p of PHASES) {
    const t = s[p]
    lines.push(`  ${p.padEnd(9)} ${String(t.imported).padStart(8)} ${String(t.skipped).padStart(8)} ${String(t.failed).padStart(7)}`)
  }
  if (notes.length > 0) lines.push('', ...notes.map((n) => `  - ${n}`))
  return `${lines.join('\n')}\n`
}
