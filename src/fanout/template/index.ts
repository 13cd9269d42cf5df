/** The template language of task requests: `{{path}}` placeholders, compiled once, rendered per group. */
export { compileTemplate, templatePaths, type CompiledTemplate, type TemplateContext } from './compile-template.js';
export { renderTemplate } from './render-template.js';
export { GROUP_TEMPLATE_FIELDS, groupTemplateField, type GroupTemplateFieldName } from './group-template-field.js';
export { templateGroupReads, type TemplateGroupReads } from './template-group-reads.js';
