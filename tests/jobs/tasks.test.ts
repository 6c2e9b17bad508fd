import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../server/shared/errors'
import { TaskRunner } from '../../server/jobs/tasks'

function manualClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

describe('TaskRunner', () => {
  test('reports progress, result and duration; one task at a time', async () => {
    const clock = manualClock()
    const tasks = new TaskRunner(clock)
    expect(tasks.status()).toMatchObject({ task_type: '', is_running: false })
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const started = tasks.start('KEY_IMPORT', 'g1', 10, async (p) => {
      p.advance(4)
      await gate
      return { added_count: 10 }
    })
    expect(started).toMatchObject({ task_type: 'KEY_IMPORT', is_running: true, group_name: 'g1', total: 10, started_at: '2030-01-01T00:00:00.000Z' })
    expect(tasks.status().processed).toBe(4)
    let conflict: unknown
    try {
      tasks.start('KEY_VALIDATION', 'g2', 1, async () => null)
    } catch (err) {
      conflict = err
    }
    expect(conflict).toBeInstanceOf(ApiError)
    expect((conflict as ApiError).status).toBe(409)
    expect((conflict as ApiError).message).toBe('a KEY_IMPORT task is already running for group g1 (4/10)')
    clock.advance(2500)
    release()
    await tasks.idle()
    expect(tasks.status()).toEqual({
      task_type: 'KEY_IMPORT', is_running: false, group_name: 'g1', processed: 10, total: 10, result: { added_count: 10 },
      error: '', started_at: '2030-01-01T00:00:00.000Z', finished_at: '2030-01-01T00:00:02.500Z', duration_seconds: 2.5,
    })
  })

  test('a failing task reports its error and frees the runner', async () => {
    const tasks = new TaskRunner(manualClock())
    tasks.start('KEY_DELETE', 'g', 3, async () => {
      throw new Error('disk full')
    })
    await tasks.idle()
    expect(tasks.status()).toMatchObject({ is_running: false, error: 'disk full', result: null })
    expect(tasks.start('KEY_DELETE', 'g', 0, async () => 'ok').is_running).toBe(true)
    await tasks.idle()
    expect(tasks.status().result).toBe('ok')
  })
})
