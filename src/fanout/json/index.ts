/** Reading and writing plain JSON values safely: own-property paths, `__proto__` as data, the reference's notion of text. */
export { getOwnPath } from './get-own-path.js';
export { parseDotPath } from './parse-dot-path.js';
export { setOwnProperty } from './set-own-property.js';
export { textOf } from './text-of.js';
export { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
