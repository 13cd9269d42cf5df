import { describe, expect, it } from 'vitest';
import { pnpmPatterns, uvMembers } from './read-workspace.js';

describe('pnpmPatterns', () => {
  it('reads the packages list and nothing else', () => {
    const text = "packages:\n  - 'apps/*'\n  - \"packages/**\"  # all\n  - '!**/test/**'\n\ncatalog:\n  react: ^19\nonlyBuiltDependencies:\n  - esbuild\n";
    expect(pnpmPatterns(text)).toEqual(['apps/*', 'packages/**', '!**/test/**']);
  });

  it('reads an inline list, and nothing from a settings-only file', () => {
    expect(pnpmPatterns('packages: [apps/*, "libs/*"]\n')).toEqual(['apps/*', 'libs/*']);
    expect(pnpmPatterns('onlyBuiltDependencies:\n  - esbuild\n')).toEqual([]);
  });
});

describe('uvMembers', () => {
  it('reads the members of [tool.uv.workspace]', () => {
    expect(uvMembers('[project]\nname = "x"\n\n[tool.uv.workspace]\nmembers = [\n  "backend",\n  \'libs/*\',\n]\nexclude = ["libs/old"]\n\n[tool.ruff]\n')).toEqual(['backend', 'libs/*']);
  });

  it('is null without a uv workspace', () => {
    expect(uvMembers('[project]\nname = "x"\n[tool.uv]\ndev-dependencies = []\n')).toBeNull();
  });
});
