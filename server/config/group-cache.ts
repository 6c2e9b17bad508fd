/**
 * In-memory view of every group, rebuilt from the store on change, so the proxy never touches the DB.
 * `invalidate()` is what admin writes (and cluster messages) call after a change.
 */
import type { Group, Store } from '../../db/types'

/** 'local' = changed by this node (the cluster bus forwards it); 'remote' = reloaded because another node changed it. */
export type ChangeOrigin = 'local' | 'remote'
/** may return a promise (the cluster's publish): `invalidate` resolves once every listener is done */
type ChangeListener = (groupIds: number[] | 'all', origin: ChangeOrigin) => void | Promise<unknown>
type KeysListener = (groupId: number, origin: ChangeOrigin) => void

export class GroupCache {
  private byNameMap = new Map<string, Group>()
  private byIdMap = new Map<number, Group>()
  private listeners: ChangeListener[] = []
  private keyListeners: KeysListener[] = []

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    const groups = await this.store.listGroups()
    this.byNameMap = new Map(groups.map((g) => [g.name, g]))
    this.byIdMap = new Map(groups.map((g) => [g.id, g]))
  }

  byName(name: string): Group | undefined {
    return this.byNameMap.get(name)
  }

  byId(id: number): Group | undefined {
    return this.byIdMap.get(id)
  }

  all(): Group[] {
    return [...this.byIdMap.values()].sort((a, b) => a.sort - b.sort || a.id - b.id)
  }

  /** Reload from the store after a change and tell listeners (the proxy's runtime state, the cluster bus). */
  async invalidate(groupIds: number[] | 'all' = 'all', origin: ChangeOrigin = 'local'): Promise<void> {
    await this.load()
    // awaited so an admin write answers after other nodes can know of it (read-your-writes across a cluster)
    await Promise.all(this.listeners.map((l) => l(groupIds, origin)))
  }

  /** Admin key writes call this after updating the store and the pool, so other nodes reload that group's keys. */
  keysChanged(groupId: number, origin: ChangeOrigin = 'local'): void {
    for (const l of this.keyListeners) l(groupId, origin)
  }

  onKeysChange(listener: KeysListener): () => void {
    this.keyListeners.push(listener)
    return () => {
      this.keyListeners = this.keyListeners.filter((l) => l !== listener)
    }
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener)
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }
}
