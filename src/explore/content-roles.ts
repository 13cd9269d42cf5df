import type { FrameworkId } from '../detect/framework-id.js';
import type { FileRole } from './path-roles.js';
import type { SourceLanguage } from './source-language.js';

/**
 * Roles that only a file's text reveals, for frameworks that declare routes in code rather than
 * by file layout (Express, Flask, FastAPI), or where the layout is ambiguous (a React Router
 * route module without a default export is a resource route, i.e. an endpoint; a Django view
 * module that returns JSON is an API). Takes the path roles and returns the final set.
 */
/** `app.get('/x', handler)`, `chatRouter.post('/chat', auth, handler)`: a receiver named like a server or router, a path, a handler. */
const JS_ROUTE = /\b[\w$]*(?:app|App|router|Router|server|Server|routes|Routes|fastify)\s*\.\s*(?:get|post|put|patch|delete|all|options|head)\s*\(\s*['"`]\/[^'"`\n]*['"`]\s*,/;
const JS_SERVER_BOOT = /\b(?:express|fastify|polka)\s*\(|\bnew\s+(?:Koa|Hono)\s*\(|\bcreateServer\s*\(/;
const DEFAULT_EXPORT = /^[ \t]*export\s+default\b/m;
const PY_FLASK_ROUTE = /^[ \t]*@\w+\.(?:route|get|post|put|patch|delete)\(/m;
const PY_FASTAPI_ROUTE = /^[ \t]*@\w+\.(?:get|post|put|patch|delete|options|head|api_route|websocket)\(/m;
const PY_TEMPLATES = /\b(?:render_template|TemplateResponse)\b/;
const DJANGO_API = /\b(?:rest_framework|ninja|JsonResponse)\b/;
const DJANGO_PAGE = /\b(?:render|render_to_response|TemplateResponse)\s*\(|\b(?:TemplateView|ListView|DetailView|FormView|CreateView|UpdateView|DeleteView)\b/;

export function contentRoles(path: string, language: SourceLanguage, text: string, framework: FrameworkId | null, roles: readonly FileRole[]): FileRole[] {
  const out = new Set(roles);
  if (language === 'js') {
    if (framework === 'react-router' && path.startsWith('app/routes/') && out.has('page') && !DEFAULT_EXPORT.test(text)) {
      out.delete('page');
      out.add('api');
    }
    if (framework === 'express' || framework === 'node' || framework === 'javascript') {
      if (JS_ROUTE.test(text)) out.add('api');
      if (JS_SERVER_BOOT.test(text)) out.add('entry');
    }
  } else if (language === 'python') {
    if (framework === 'django' && out.has('page') && DJANGO_API.test(text)) {
      out.add('api');
      if (!DJANGO_PAGE.test(text)) out.delete('page');
    }
    if (framework === 'flask' || framework === 'python') {
      if (/\bFlask\s*\(/.test(text)) out.add('entry');
      if (PY_FLASK_ROUTE.test(text)) out.add(PY_TEMPLATES.test(text) ? 'page' : 'api');
    }
    if (framework === 'fastapi' || framework === 'python') {
      if (/\bFastAPI\s*\(/.test(text)) out.add('entry');
      if (PY_FASTAPI_ROUTE.test(text)) out.add(PY_TEMPLATES.test(text) ? 'page' : 'api');
    }
  } else if (language === 'ruby') {
    if (framework === 'rails' && out.has('page') && /\bActionController::API\b/.test(text)) {
      out.delete('page');
      out.add('api');
    }
  }
  return [...out];
}
