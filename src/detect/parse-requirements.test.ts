import { describe, expect, it } from 'vitest';
import { parseRequirements } from './parse-requirements.js';

describe('parseRequirements', () => {
  it('reads names and normalises them, skipping options, URLs and comments', () => {
    const text = [
      '# web',
      'Django>=5.1,<6',
      'djangorestframework==3.15.2  # api',
      'Flask_Cors[extra]~=4.0 ; python_version >= "3.10"',
      '-r base.txt',
      '--index-url https://example.test/simple',
      '-e git+https://example.test/repo.git#egg=thing',
      'https://example.test/pkg.whl',
      '',
      'zope.interface',
    ].join('\n');
    expect(parseRequirements(text)).toEqual(['django', 'djangorestframework', 'flask-cors', 'zope-interface']);
  });

  it('handles CRLF line endings', () => {
    expect(parseRequirements('fastapi\r\nuvicorn\r\n')).toEqual(['fastapi', 'uvicorn']);
  });
});
