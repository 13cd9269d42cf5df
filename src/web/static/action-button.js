// A button for an action (`--allow-actions`): it sends the request once, and shows the server's
// reason when the action is refused. Success needs no message: the event it recorded arrives
// through the stream and redraws the page.
import { h } from './dom.js';

export function actionButton(label, description, send) {
  const message = h('span', { class: 'action-error', role: 'alert' });
  const button = h('button', { type: 'button', class: 'action', 'data-action': label.toLowerCase().replace(/\s+/g, '-'), title: description }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    message.textContent = '';
    send().catch((error) => {
      message.textContent = error.message;
      button.disabled = false;
    });
  });
  return h('span', { class: 'action-wrap' }, button, ' ', message);
}
