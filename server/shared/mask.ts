/** Masks a secret for logs, errors and lists: `sk-abc…wxyz`. Short secrets show less so little is revealed. */
export function maskKey(key: string): string {
  if (key.length <= 8) return key.length <= 2 ? '…' : `${key.slice(0, 1)}…${key.slice(-1)}`
  if (key.length <= 16) return `${key.slice(0, 3)}…${key.slice(-3)}`
  return `${key.slice(0, 5)}…${key.slice(-4)}`
}
