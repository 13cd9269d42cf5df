import { NextResponse } from 'next/server';
import { summarize } from '@/lib/llm';

export async function POST(request: Request) {
  const { text } = (await request.json()) as { text?: unknown };
  if (typeof text !== 'string') {
    return NextResponse.json({ error: 'text must be a string' }, { status: 400 });
  }
  return NextResponse.json({ summary: await summarize(text) });
}
