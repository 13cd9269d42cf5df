import { openai } from '@ai-sdk/openai';
import { generateText } from 'ai';

export const CHAT_MODEL = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';

export const SYSTEM_PROMPT = 'You answer questions about this product briefly and plainly. Say so when you do not know.';

/** Summarises text with the Vercel AI SDK (the chat route uses the OpenAI SDK directly). */
export async function summarize(text: string): Promise<string> {
  const { text: summary } = await generateText({
    model: openai(CHAT_MODEL),
    system: 'Summarise the text in three sentences.',
    prompt: text,
  });
  return summary;
}
