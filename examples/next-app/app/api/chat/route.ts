import OpenAI from 'openai';
import { NextResponse } from 'next/server';
import { CHAT_MODEL, SYSTEM_PROMPT } from '@/lib/llm';
import type { ChatMessage, ChatReply } from '@/lib/chat-types';

const client = new OpenAI();

export async function POST(request: Request) {
  const { question } = (await request.json()) as { question?: unknown };
  if (typeof question !== 'string' || question.trim() === '') {
    return NextResponse.json({ error: 'question must be a non-empty string' }, { status: 400 });
  }
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: question },
  ];
  const completion = await client.chat.completions.create({ model: CHAT_MODEL, messages });
  const reply: ChatReply = { answer: completion.choices[0]?.message.content ?? '' };
  return NextResponse.json(reply);
}
