/** Finding packets (lint, static analysis): flatten them into finding items, group them by policy, plan and reconcile them. */
export { normalizeFindingPacketItems, type FindingPacketItem } from './normalize-finding-packet-items.js';
export { groupFindingPacketItems } from './group-finding-packet-items.js';
export { normalizeFindingPolicy, type FindingPolicy } from './normalize-finding-policy.js';
export { DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE, materializeFindingPacketFanoutConfig, type MaterializedFindingPacketFanout } from './materialize-finding-packet-fanout-config.js';
export { createFindingPacketFanoutPlan } from './create-finding-packet-fanout-plan.js';
export { createFindingPacketReconcileInput, type FindingPacketReconcileInput } from './create-finding-packet-reconcile-input.js';
