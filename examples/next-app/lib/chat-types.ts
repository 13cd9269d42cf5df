// Type-only: drover must not report this file as an LLM call.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

export type ChatMessage = ChatCompletionMessageParam;

export interface ChatReply {
  answer: string;
}
