/** The time source every part takes as a port, so tests can drive time instead of sleeping. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
