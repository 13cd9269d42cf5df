import { ChatForm } from '@/components/chat-form';

export default function HomePage() {
  return (
    <main>
      <h1>Ask the docs</h1>
      <p>Type a question; the answer comes from the model behind <code>/api/chat</code>.</p>
      <ChatForm />
    </main>
  );
}
