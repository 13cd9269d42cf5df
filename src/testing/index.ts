export { MemoryStore, memoryLocation, type MemoryLocation } from '../store/memory/memory-store.js';
export { QueueBuilder, TEST_POLICY } from './queue-builder.js';
export { functionAgent } from '../agents/function-agent.js';
