import { describe, expect, it } from 'vitest';
import { contentRoles } from './content-roles.js';

describe('contentRoles', () => {
  it('turns a React Router route module without a default export into an endpoint', () => {
    expect(contentRoles('app/routes/api.chat.ts', 'js', 'export async function action() {}', 'react-router', ['page'])).toEqual(['api']);
    expect(contentRoles('app/routes/home.tsx', 'js', 'export default function Home() {}', 'react-router', ['page'])).toEqual(['page']);
  });

  it('finds Express-style routes and server start-up', () => {
    const routes = "const router = Router();\nrouter.get('/users', list);\nchatRouter.post('/chat', auth, async (req, res) => {});";
    expect(contentRoles('src/users.js', 'js', routes, 'express', [])).toEqual(['api']);
    expect(contentRoles('src/server.js', 'js', 'const app = express();\napp.listen(3000);', 'express', [])).toEqual(['entry']);
    expect(contentRoles('src/main.ts', 'js', 'const server = new Hono();', 'node', [])).toEqual(['entry']);
  });

  it('does not take settings getters or HTTP clients for routes', () => {
    expect(contentRoles('src/a.js', 'js', "app.get('port');\naxios.get('/api/users', { params });", 'express', [])).toEqual([]);
  });

  it('applies Express rules only to Node-side frameworks', () => {
    expect(contentRoles('src/a.js', 'js', "app.get('/x', handler);", 'react', [])).toEqual([]);
  });

  it('splits Django view modules into pages and APIs', () => {
    expect(contentRoles('api/views.py', 'python', 'from django.http import JsonResponse', 'django', ['page'])).toEqual(['api']);
    expect(contentRoles('shop/views.py', 'python', 'def index(r):\n    return render(r, "x.html")\n', 'django', ['page'])).toEqual(['page']);
    expect(contentRoles('mixed/views.py', 'python', 'render(r, "x")\nJsonResponse({})', 'django', ['page'])).toEqual(['page', 'api']);
  });

  it('finds Flask and FastAPI apps and routes', () => {
    const flask = 'app = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return render_template("i.html")\n';
    expect(contentRoles('web.py', 'python', flask, 'flask', [])).toEqual(['entry', 'page']);
    expect(contentRoles('api.py', 'python', '@bp.post("/ask")\ndef ask():\n    return {}\n', 'flask', [])).toEqual(['api']);
    expect(contentRoles('main.py', 'python', 'app = FastAPI()\n@app.get("/")\ndef root(): ...\n', 'fastapi', [])).toEqual(['entry', 'api']);
    expect(contentRoles('x.py', 'python', '@router.websocket("/ws")\nasync def ws(): ...\n', 'python', [])).toEqual(['api']);
  });

  it('marks a Rails controller built on ActionController::API as an endpoint', () => {
    expect(contentRoles('app/controllers/chat_controller.rb', 'ruby', 'class ChatController < ActionController::API', 'rails', ['page'])).toEqual(['api']);
  });
});
