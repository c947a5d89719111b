// Login. After the first successful login the app works offline with the cached user.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { login } from '../lib/auth.js';
import { navigate } from '../lib/router.js';

export function Login({ expired, previous }) {
  const [email, setEmail] = useState(previous?.email || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setError('');
    setBusy(true);
    try {
      const user = await login(email.trim(), password);
      const path = window.location.pathname;
      if (path === '/' || path === '/login') navigate(user.role === 'rep' ? '/today' : '/manager', { replace: true });
    } catch (err) {
      setError(
        err.status === 401 ? 'Wrong email or password.'
          : err.status === 429 ? 'Too many attempts. Wait a minute and try again.'
            : err.status === 0 ? 'You are offline. Connect once to sign in.'
              : err.status === 422 ? 'Enter your email and password.'
                // Never the browser's or the server's raw text (issue 14).
                : 'Sign-in is not possible right now: the server had a problem. Try again in a few minutes.',
      );
    } finally {
      setBusy(false);
    }
  }

  return html`
    <main id="main" class="login">
      <h1>FieldRep</h1>
      ${expired && html`<p class="notice" role="status">Your session ended. Sign in again; nothing you logged is lost.</p>`}
      <form onSubmit=${submit} class="stack" novalidate>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required
               value=${email} onInput=${(e) => setEmail(e.target.value)} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
               value=${password} onInput=${(e) => setPassword(e.target.value)} />
        ${error && html`<p class="error" role="alert">${error}</p>`}
        <button class="btn btn--primary" type="submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  `;
}
