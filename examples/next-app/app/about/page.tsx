export const metadata = { title: 'About' };

export default function AboutPage() {
  return (
    <main>
      <h1>About</h1>
      <p>
        This app sends your question to <code>/api/chat</code>, which asks OpenAI, and can summarise
        long text through <code>/api/summarize</code>.
      </p>
    </main>
  );
}
