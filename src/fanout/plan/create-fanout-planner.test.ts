import { describe, expect, it } from 'vitest';
import { createFanoutPlanner } from './create-fanout-planner.js';
import { planFanout } from './plan-fanout.js';

const items = [{ id: 'a1', category: 'alpha', packet_id: 'p1' }, { category: 'beta', finding_id: 'f2' }, { id: 'a3', category: 'alpha', packet_id: 'p1' }, 'loose', { key: 'k5', category: 'beta', packet_id: 'p2' }];
const config = (template: Record<string, unknown>) => ({ group_key_path: 'category', orchestrator: { run_id: 'r' }, task_request_template: template });
const fed = (template: Record<string, unknown>) => {
  const planner = createFanoutPlanner({ config: config(template) });
  for (const item of structuredClone(items)) planner.add(item);
  return planner.finish();
};

describe('createFanoutPlanner', () => {
  it('fed one item at a time, gives the plan planFanout gives for the array, whatever the template reads', () => {
    const templates = [
      { id: 't-{{group.key}}', n: '{{group.item_count}}', at: '{{group.index}}' },
      { id: 't-{{group.key}}', ids: '{{group.item_ids}}', findings: '{{group.finding_ids}}', packets: '{{group.packet_ids}}', text: '{{group.key}}: {{group.item_ids}}' },
      { id: 't-{{group.key}}', items: '{{group.items}}', first: '{{group.items.0.id}}' },
      { id: 't-{{group.key}}', whole: '{{group}}' },
    ];
    for (const template of templates) expect(fed(template)).toEqual(planFanout({ config: config(template), items: structuredClone(items) }));
  });

  it('keeps only what the templates read: ids and counts, not the items', () => {
    const planner = createFanoutPlanner({ config: config({ id: 't-{{group.key}}', ids: '{{group.item_ids}}', count: '{{group.item_count}}' }) });
    const item = { id: 'a1', category: 'alpha', payload: 'x'.repeat(100) };
    planner.add(item);
    item.id = 'changed after add';
    const plan = planner.finish();
    expect(plan.task_requests[0]).toMatchObject({ ids: ['a1'], count: 1 });
    expect(plan.groups).toEqual([{ key: 'alpha', index: 0, item_count: 1 }]);
    expect(plan.summary.item_count).toBe(1);
  });

  it('with explicit groups ignores added items (but counts none of them)', () => {
    const planner = createFanoutPlanner({ config: { groups: [{ key: 'g', items: [{ id: 1 }] }], task_request_template: { id: '{{group.key}}' } } });
    expect(planner.usesItems).toBe(false);
    planner.add({ id: 'ignored' });
    expect(planner.finish().summary.item_count).toBe(1);
  });
});
