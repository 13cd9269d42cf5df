import { describe, expect, it } from 'vitest';
import { parseTomlDependencies } from './parse-toml-dependencies.js';

describe('parseTomlDependencies', () => {
  it('reads PEP 621 arrays, optional dependencies and dependency groups', () => {
    const text = `
[project]
name = "app"
dependencies = [
  "FastAPI[standard]>=0.115",  # web
  'litellm',
]

[project.optional-dependencies]
dev = ["pytest>=8", "ruff"]

[dependency-groups]
lint = ["mypy"]

[build-system]
requires = ["hatchling"]
`;
    const parsed = parseTomlDependencies(text);
    expect(parsed.names).toEqual(['fastapi', 'litellm', 'pytest', 'ruff', 'mypy']);
    expect(parsed.tables).toEqual(['project', 'project.optional-dependencies', 'dependency-groups', 'build-system']);
  });

  it('reads Poetry tables keyed by name, without python', () => {
    const text = `
[tool.poetry]
name = "app"

[tool.poetry.dependencies]
python = "^3.12"
Django = { version = "^5.1", extras = ["argon2"] }
celery = "^5"

[tool.poetry.group.dev.dependencies]
pytest = "*"
`;
    expect(parseTomlDependencies(text).names).toEqual(['django', 'celery', 'pytest']);
  });

  it('reads a one-line array and uv dev-dependencies', () => {
    const text = '[project]\ndependencies = ["flask", "gunicorn"]\n[tool.uv]\ndev-dependencies = ["pytest"]\n';
    const parsed = parseTomlDependencies(text);
    expect(parsed.names).toEqual(['flask', 'gunicorn', 'pytest']);
    expect(parsed.tables).toContain('tool.uv');
  });

  it('reads Pipfile packages and dev-packages but not requires', () => {
    const text = '[[source]]\nurl = "https://pypi.org/simple"\n[packages]\nflask = "*"\n[dev-packages]\npytest = "*"\n[requires]\npython_version = "3.12"\n';
    expect(parseTomlDependencies(text).names).toEqual(['flask', 'pytest']);
  });

  it('keeps a # inside a string', () => {
    expect(parseTomlDependencies('[project]\ndependencies = ["pkg @ https://example.test/#frag"]\n').names).toEqual(['pkg']);
  });
});
