import { templatePaths } from './compile-template.js';
import { isGroupTemplateField, type GroupTemplateFieldName } from './group-template-field.js';

/** What the templates read of a group, beyond its key and index. */
export interface TemplateGroupReads {
  /** A template reads the items themselves (`{{group.items}}`, `{{group}}`, an unknown field): they must be kept. */
  readonly items: boolean;
  /** The derived fields read (`item_ids`, `packet_ids`, ...), computed as items go by. */
  readonly fields: ReadonlySet<GroupTemplateFieldName>;
}

/**
 * Decides from the placeholders alone whether planning needs each group's items or only a count
 * and a few ids per item: the difference between memory bounded by the input and memory bounded
 * by the groups. Anything under `group` that is not `key`, `index` or a derived field counts as
 * reading the items, so the answer errs towards keeping them.
 */
export function templateGroupReads(templates: readonly unknown[]): TemplateGroupReads {
  const fields = new Set<GroupTemplateFieldName>();
  let items = false;
  for (const template of templates) {
    for (const path of templatePaths(template)) {
      const [head, field] = path;
      if (head !== 'group') continue;
      if (field === 'key' || field === 'index') continue;
      if (field !== undefined && isGroupTemplateField(field)) fields.add(field);
      else items = true;
    }
  }
  return { items, fields };
}
