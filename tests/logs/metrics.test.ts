import { describe, expect, test } from 'bun:test'
import { Metrics } from '../../server/logs/metrics'

const req = { group: 'g', status: 200, durationMs: 100, ttfbMs: 10, retries: 0, upstream: 'u' }

describe('Metrics', () => {
  test('RPM counts the last 60 seconds only', () => {
    let now = 1_000_000_000
    const m = new Metrics({ now: () => now })
    for (let i = 0; i < 3; i++) m.recordRequest(req)
    now += 30_000
    m.recordRequest(req)
    expect(m.rpm()).toBe(4)
    now += 31_000 // the first three are now 61 s old
    expect(m.rpm()).toBe(1)
    now += 60_000 // the same ring slots are reused without counting stale seconds
    m.recordRequest(req)
    expect(m.rpm()).toBe(1)
  })

  test('renders counters, cumulative histograms and gauges from sources', async () => {
    const m = new Metrics()
    m.recordRequest({ ...req, group: 'a"b', status: 429, durationMs: 2000, ttfbMs: null, retries: 1 })
    m.recordRequest({ ...req, group: 'a"b', status: 429, durationMs: 40 })
    m.setQueueDepthSource(() => 7)
    m.setKeyCountsSource(async () => [{ group: 'a"b', counts: { active: 1, cooling: 2, invalid: 3, disabled: 4 } }])
    const lines = (await m.render()).split('\n')
    expect(lines).toContain('keypool_requests_total{group="a\\"b",status="429"} 2')
    expect(lines).toContain('keypool_retries_total{group="a\\"b"} 1')
    expect(lines).toContain('keypool_upstream_duration_seconds_bucket{group="a\\"b",le="0.05"} 1')
    expect(lines).toContain('keypool_upstream_duration_seconds_bucket{group="a\\"b",le="2.5"} 2')
    expect(lines).toContain('keypool_upstream_duration_seconds_bucket{group="a\\"b",le="+Inf"} 2')
    expect(lines).toContain('keypool_upstream_duration_seconds_sum{group="a\\"b"} 2.04')
    expect(lines).toContain('keypool_upstream_ttfb_seconds_count{group="a\\"b"} 1')
    expect(lines).toContain('keypool_keys{group="a\\"b",state="disabled"} 4')
    expect(lines).toContain('keypool_log_queue_depth 7')
    expect(lines).toContain('# TYPE keypool_upstream_ttfb_seconds histogram')
  })
})
