import { describe, expect, it } from 'vitest';
import { staticDirFor } from './serve-static.js';

describe('staticDirFor', () => {
  it('finds web/static beside web/server, and from a chunk of the CLI bundle', () => {
    expect(staticDirFor('file:///p/node_modules/drover/dist/web/server/serve-static.js')).toBe('/p/node_modules/drover/dist/web/static/');
    expect(staticDirFor('file:///p/node_modules/drover/dist/cli-bundle/chunk-ABC.js')).toBe('/p/node_modules/drover/dist/web/static/');
  });

  it('is not fooled by a project that lives under a folder named cli-bundle', () => {
    expect(staticDirFor('file:///home/me/cli-bundle/node_modules/drover/dist/web/server/serve-static.js')).toBe('/home/me/cli-bundle/node_modules/drover/dist/web/static/');
    expect(staticDirFor('file:///home/me/cli-bundle/drover/src/web/server/serve-static.ts')).toBe('/home/me/cli-bundle/drover/src/web/static/');
  });
});
