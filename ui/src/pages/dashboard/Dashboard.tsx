import { For, Show } from 'solid-js'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { createDashboardData } from './dashboard.data'
import { warningText } from './warning-text'
import { RequestsChart } from './RequestsChart'
import { StatCards } from './StatCards'
import { CostPanels } from './CostPanels'

export default function Dashboard() {
  const data = createDashboardData()
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('dash.title')}</h1>
        <span class="live-dot" title={t('dash.live')} />
        <span class="faint">{t('dash.live')}</span>
        <span class="spacer" />
        <button class="btn sm ghost" onClick={() => data.refresh()}>
          <Icon name="refresh" size={14} />
          {t('common.refresh')}
        </button>
      </div>
      <Show when={data.stats()?.security_warnings.length}>
        <div class="notice warn">
          <strong>{t('dash.warnings')}</strong>
          {/* one line per type: several weak proxy keys read as one warning once translated */}
          <For each={data.stats()?.security_warnings.filter((w, i, all) => all.findIndex((x) => warningText(x) === warningText(w)) === i)}>
            {(w) => <div title={`${w.message} ${w.suggestion}`}>{warningText(w)}</div>}
          </For>
        </div>
      </Show>
      <StatCards stats={data.stats()} />
      <div class="card">
        <div class="card-head">
          <h2>{t('dash.chart')}</h2>
          <span class="spacer" />
          <select
            value={data.groupId() ?? ''}
            onChange={(e) => data.setGroupId(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}
            aria-label={t('logs.group')}
          >
            <option value="">{t('dash.allGroups')}</option>
            <For each={data.groups()}>{(g) => <option value={g.id}>{g.display_name || g.name}</option>}</For>
          </select>
        </div>
        <RequestsChart data={data.chart()} />
      </div>
      <CostPanels cost={data.cost()} topKeys={data.topKeys()} topModels={data.topModels()} />
    </div>
  )
}
