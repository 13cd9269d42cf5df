import { memoryLocation, MemoryStore } from '../src/testing/index.js';
import { describeStoreConformance } from './conformance/store-conformance.js';

describeStoreConformance('MemoryStore', memoryLocation, (location) => new MemoryStore(location));
