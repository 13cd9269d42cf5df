import { describe, expect, it } from 'vitest';
import { parseSetupRequires } from './parse-setup-requires.js';

describe('parseSetupRequires', () => {
  it('reads install_requires from setup.py', () => {
    const text = 'from setuptools import setup\nsetup(name="x", install_requires=[\n  "Flask>=3",\n  \'openai\',\n])\n';
    expect(parseSetupRequires(text)).toEqual(['flask', 'openai']);
  });

  it('reads install_requires from setup.cfg', () => {
    const text = '[options]\ninstall_requires =\n    django>=5\n    requests  # http\npython_requires = >=3.10\n';
    expect(parseSetupRequires(text)).toEqual(['django', 'requests']);
  });

  it('returns nothing without install_requires', () => {
    expect(parseSetupRequires('setup(name="x")')).toEqual([]);
  });
});
