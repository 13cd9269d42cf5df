/** The fanout config, validated and compiled (aliases resolved, defaults applied), and what inputs are called in messages. */
export { compileFanoutConfig, type CompiledFanoutConfig } from './compile-fanout-config.js';
export { sourceName, type FanoutSources } from './fanout-sources.js';
