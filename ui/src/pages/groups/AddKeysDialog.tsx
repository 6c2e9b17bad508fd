/**
 * Bulk add from paste or file. Up to 5,000 keys go in one request; more go to the server's background import,
 * whose progress is polled. A file is read with a progress bar and never put into the textarea (it may be MBs).
 */
import { createMemo, createSignal, Show } from 'solid-js'
import { api } from '../../api/client'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { Progress } from '../../components/Progress'
import { t } from '../../i18n'
import { fmtInt } from '../../lib/format'
import { task, watchTask } from '../../lib/tasks'
import { attempt, toast } from '../../lib/toast'

const SYNC_LIMIT = 5000

/** A quick count for the button label; the server does the real split and de-duplication. */
export function countKeys(text: string): number {
  const trimmed = text.trim()
  if (!trimmed) return 0
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed)
      if (Array.isArray(parsed)) return parsed.length
    } catch {
      // not JSON after all: count tokens below
    }
  }
  return trimmed.split(/[\s,;]+/).filter(Boolean).length
}

export function AddKeysDialog(props: { group: GroupView; onClose: () => void; onAdded: () => void }) {
  const [pasted, setPasted] = createSignal('')
  const [file, setFile] = createSignal<{ name: string; text: string } | null>(null)
  const [reading, setReading] = createSignal<{ loaded: number; total: number } | null>(null)
  const [busy, setBusy] = createSignal(false)
  const text = () => file()?.text ?? pasted()
  const count = createMemo(() => countKeys(text()))

  const readFile = (f: File) => {
    const reader = new FileReader()
    reader.onprogress = (e) => setReading({ loaded: e.loaded, total: e.total })
    reader.onload = () => {
      setReading(null)
      setFile({ name: f.name, text: String(reader.result ?? '') })
    }
    reader.onerror = () => {
      setReading(null)
      toast('error', reader.error?.message ?? 'read error')
    }
    reader.readAsText(f)
  }

  const submit = async () => {
    setBusy(true)
    if (count() <= SYNC_LIMIT) {
      const result = await attempt(() => api.keys.addMultiple(props.group.id, text()), (r) =>
        t('keys.added', { added: fmtInt(r.added_count), ignored: fmtInt(r.ignored_count), total: fmtInt(r.total_in_group) }),
      )
      setBusy(false)
      if (result) props.onAdded()
      return
    }
    const started = await attempt(() => api.keys.addAsync(props.group.id, text()))
    if (!started) return setBusy(false)
    await watchTask(started)
    setBusy(false)
    props.onAdded()
  }

  return (
    <Modal
      wide
      title={t('keys.addTitle', { name: props.group.display_name || props.group.name })}
      onClose={props.onClose}
      footer={
        <>
          <button class="btn ghost" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button class="btn primary" disabled={busy() || count() === 0} onClick={submit} data-testid="keys-add-submit">
            {t('keys.add')} ({fmtInt(count())})
          </button>
        </>
      }
    >
      <p class="muted">{t('keys.addHint')}</p>
      <Show
        when={file()}
        fallback={
          <textarea
            rows={12}
            value={pasted()}
            onInput={(e) => setPasted(e.currentTarget.value)}
            placeholder={'sk-...\nsk-...'}
            data-testid="keys-textarea"
            autofocus
          />
        }
      >
        {(f) => (
          <div class="notice row">
            <span>{t('keys.fileLoaded', { n: fmtInt(f().text.length), file: f().name })}</span>
            <span class="spacer" />
            <button class="btn sm ghost" onClick={() => setFile(null)}>
              {t('common.remove')}
            </button>
          </div>
        )}
      </Show>
      <div class="row">
        <label class="btn sm">
          <Icon name="upload" size={14} />
          {t('keys.fromFile')}
          <input type="file" accept=".txt,.csv,.json,text/plain" hidden onChange={(e) => e.currentTarget.files?.[0] && readFile(e.currentTarget.files[0])} />
        </label>
      </div>
      <Show when={reading()}>{(r) => <Progress value={r().loaded} total={r().total} />}</Show>
      <Show when={busy()}>
        <Show when={task()?.is_running} fallback={<Progress />}>
          <Progress value={task()?.processed} total={task()?.total} />
        </Show>
      </Show>
    </Modal>
  )
}
