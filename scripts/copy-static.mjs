// The dashboard's page (src/web/static: plain HTML, CSS and ES modules, no build step) ships in
// the package beside the compiled server, which serves it from `../static/` relative to itself.
import { cpSync, existsSync, rmSync } from 'node:fs';

const from = new URL('../src/web/static/', import.meta.url);
const to = new URL('../dist/web/static/', import.meta.url);
rmSync(to, { recursive: true, force: true });
if (existsSync(from)) cpSync(from, to, { recursive: true });
