import { compileTemplate, type TemplateContext } from './compile-template.js';

/** Renders a template value once. To render the same template many times, use `compileTemplate`. */
export function renderTemplate(template: unknown, context: TemplateContext): unknown {
  return compileTemplate(template)(context);
}
