import { expect, test } from 'bun:test'
import { hostname } from 'node:os'
import { createNodeId, nodeId } from '../../server/cluster/node-id'

test('nodeId is the same for the whole process; createNodeId is new each time and readable', () => {
  expect(nodeId()).toBe(nodeId())
  const a = createNodeId()
  expect(a).not.toBe(createNodeId())
  expect(a).toStartWith(`${hostname()}-${process.pid}-`)
  expect(a).not.toContain(' ')
})
