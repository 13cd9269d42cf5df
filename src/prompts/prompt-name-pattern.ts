/** Task types and skill names: lowercase, safe in file names and URLs (`llm-analytics`). */
export const PROMPT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
