'use client';

import { useState, type FormEvent } from 'react';
import type { ChatReply } from '@/lib/chat-types';

export function ChatForm() {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    try {
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      });
      const reply = (await response.json()) as ChatReply;
      setAnswer(reply.answer);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit}>
      <textarea value={question} onChange={(event) => setQuestion(event.target.value)} placeholder="Ask something" />
      <button type="submit" disabled={pending || question.trim() === ''}>
        {pending ? 'Thinking…' : 'Ask'}
      </button>
      {answer !== null && <p>{answer}</p>}
    </form>
  );
}
